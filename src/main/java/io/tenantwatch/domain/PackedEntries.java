package io.tenantwatch.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * History entries packed into one byte array and a few shared strings, the form a {@link History} keeps:
 * fifty entries as records cost about 15 KB a tenant, most of it object headers, instants and strings
 * repeated in every command. Packed, an entry that sent one command takes about twenty bytes.
 *
 * <p>Each entry is written as: its tenant, its {@code at} (seconds as the difference from the previous
 * entry's, then the fraction), {@code from}, {@code to}, {@code cause}, the number of commands, and per
 * command a header byte (its type, running, and whether its tenant, state, reason and {@code at} are the
 * entry's own, as the machine makes them), only those fields that differ from the entry's, its endpoint
 * and api, and its {@code seq} and {@code epoch} as differences from the command before. Every string is a
 * code: 0 for null, one of {@link #WORDS} (the state names and the engine's causes, shared by every
 * tenant), or a position in this history's own table of the other strings (endpoints, apis, an unknown
 * state's raw name), each held once. The encoding is a function of the entries alone, so equal histories
 * have equal packings.
 */
final class PackedEntries {
  /** The strings every tenant's history repeats: written as a code, read back as these very strings. */
  private static final String[] WORDS = words();
  private static final Map<String, Integer> WORD_CODES = codes();
  private static final CommandType[] TYPES = CommandType.values();
  private static final int RUNNING = 1 << 3;
  private static final int OWN_TENANT = 1 << 4;
  private static final int OWN_STATE = 1 << 5;
  private static final int OWN_REASON = 1 << 6;
  private static final int OWN_AT = 1 << 7;

  static final PackedEntries NONE = new PackedEntries(new byte[0], new String[0], 0);

  private final byte[] bytes;
  private final String[] texts;
  private final int size;

  private PackedEntries(byte[] bytes, String[] texts, int size) {
    this.bytes = bytes;
    this.texts = texts;
    this.size = size;
  }

  static PackedEntries of(List<HistoryEntry> entries) {
    if (entries.isEmpty()) {
      return NONE;
    }
    Writer writer = new Writer();
    entries.forEach(writer::entry);
    return new PackedEntries(writer.out.toByteArray(), writer.texts.toArray(new String[0]), entries.size());
  }

  int size() {
    return size;
  }

  /** The entries, read back in order; their strings are the shared words and this packing's own. */
  List<HistoryEntry> entries() {
    return entries(0);
  }

  /** The entries from {@code from} on, in order; those before are passed over without being made. */
  List<HistoryEntry> entries(int from) {
    if (from < 0 || from > size) {
      throw new IndexOutOfBoundsException("entries from " + from + " of " + size);
    }
    Reader reader = new Reader();
    reader.skip(from);
    List<HistoryEntry> entries = new ArrayList<>(size - from + 1);
    for (int i = from; i < size; i++) {
      entries.add(reader.entry());
    }
    return entries;
  }

  /** The entry at {@code index}, read from the start (the ones before it passed over, not made). */
  HistoryEntry entry(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("entry " + index + " of " + size);
    }
    Reader reader = new Reader();
    reader.skip(index);
    return reader.entry();
  }

  /**
   * These entries and {@code entry} after them: the packing of the longer list, made by writing only the new
   * entry after these bytes, from where the writer of these entries stood after the last (the same bytes and
   * table as packing the whole list afresh, since each entry is written relative to the one before it).
   */
  PackedEntries append(HistoryEntry entry) {
    Reader reader = new Reader();
    reader.skip(size);
    Writer writer = new Writer(bytes, texts, reader.seconds, reader.seq, reader.epoch);
    writer.entry(entry);
    return new PackedEntries(writer.out.toByteArray(), writer.texts.toArray(new String[0]), size + 1);
  }

  /**
   * Whether these entries are {@code earlier}'s with none dropped and maybe more after them: then the packing
   * begins with {@code earlier}'s bytes and table, as each entry is written relative to the one before it.
   */
  boolean startsWith(PackedEntries earlier) {
    return size >= earlier.size && bytes.length >= earlier.bytes.length && texts.length >= earlier.texts.length
        && Arrays.equals(bytes, 0, earlier.bytes.length, earlier.bytes, 0, earlier.bytes.length)
        && Arrays.equals(texts, 0, earlier.texts.length, earlier.texts, 0, earlier.texts.length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PackedEntries packed && size == packed.size && Arrays.equals(bytes, packed.bytes)
        && Arrays.equals(texts, packed.texts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + Arrays.hashCode(texts);
  }

  private static String[] words() {
    List<String> words = new ArrayList<>();
    for (TenantState state : TenantState.values()) {
      words.add(state.displayName());
    }
    words.addAll(List.of("poll", "admin", "unwatched", "restored", "handover", "snapshot"));
    for (ChangeType.Known type : ChangeType.Known.values()) {
      words.add(("notification:" + type.displayName()).intern());
    }
    return words.toArray(new String[0]);
  }

  private static Map<String, Integer> codes() {
    Map<String, Integer> codes = new HashMap<>();
    for (int i = 0; i < WORDS.length; i++) {
      codes.put(WORDS[i], i + 1);
    }
    return codes;
  }

  private static final class Writer {
    private final Bytes out;
    private final List<String> texts;
    private long seconds;
    private long seq;
    private long epoch;

    Writer() {
      out = new Bytes();
      texts = new ArrayList<>(2);
    }

    /** A writer that goes on after {@code written}, as it stood once it had written them. */
    Writer(byte[] written, String[] texts, long seconds, long seq, long epoch) {
      this.out = new Bytes(written);
      this.texts = new ArrayList<>(Arrays.asList(texts));
      this.seconds = seconds;
      this.seq = seq;
      this.epoch = epoch;
    }

    void entry(HistoryEntry entry) {
      text(entry.tenant());
      Instant at = entry.at();
      out.signed(at.getEpochSecond() - seconds);
      seconds = at.getEpochSecond();
      fraction(at.getNano());
      text(entry.from());
      text(entry.to());
      text(entry.cause());
      out.unsigned(entry.commands().size());
      for (Command command : entry.commands()) {
        command(entry, command);
      }
    }

    private void command(HistoryEntry entry, Command command) {
      boolean ownTenant = equal(command.tenant(), entry.tenant());
      boolean ownState = equal(command.state(), entry.to());
      boolean ownReason = equal(command.reason(), entry.cause());
      boolean ownAt = command.at().equals(entry.at());
      out.add(command.type().ordinal() | (command.running() ? RUNNING : 0) | (ownTenant ? OWN_TENANT : 0)
          | (ownState ? OWN_STATE : 0) | (ownReason ? OWN_REASON : 0) | (ownAt ? OWN_AT : 0));
      if (!ownTenant) {
        text(command.tenant());
      }
      if (!ownState) {
        text(command.state());
      }
      if (!ownReason) {
        text(command.reason());
      }
      if (!ownAt) {
        out.signed(command.at().getEpochSecond() - entry.at().getEpochSecond());
        fraction(command.at().getNano());
      }
      text(command.endpoint());
      text(command.api());
      out.signed(command.seq() - seq);
      seq = command.seq();
      out.signed(command.epoch() - epoch);
      epoch = command.epoch();
    }

    /** Whole milliseconds and microseconds, the common clocks' precision, in fewer bytes than nanoseconds. */
    private void fraction(int nanos) {
      if (nanos % 1_000_000 == 0) {
        out.unsigned((long) (nanos / 1_000_000) << 2);
      } else if (nanos % 1_000 == 0) {
        out.unsigned((long) (nanos / 1_000) << 2 | 1);
      } else {
        out.unsigned((long) nanos << 2 | 2);
      }
    }

    private void text(String value) {
      if (value == null) {
        out.unsigned(0);
        return;
      }
      Integer word = WORD_CODES.get(value);
      if (word != null) {
        out.unsigned(word);
        return;
      }
      int known = texts.indexOf(value);
      if (known < 0) {
        known = texts.size();
        texts.add(value);
      }
      out.unsigned(WORDS.length + 1 + known);
    }

    private static boolean equal(String a, String b) {
      return a == null ? b == null : a.equals(b);
    }
  }

  private final class Reader {
    private int position;
    private long seconds;
    private long seq;
    private long epoch;

    HistoryEntry entry() {
      String tenant = text();
      seconds += signed();
      Instant at = Instant.ofEpochSecond(seconds, fraction());
      String from = text();
      String to = text();
      String cause = text();
      int count = (int) unsigned();
      List<Command> commands = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int header = bytes[position++] & 0xff;
        String commandTenant = (header & OWN_TENANT) != 0 ? tenant : text();
        String state = (header & OWN_STATE) != 0 ? to : text();
        String reason = (header & OWN_REASON) != 0 ? cause : text();
        Instant commandAt = at;
        if ((header & OWN_AT) == 0) {
          long commandSeconds = at.getEpochSecond() + signed();
          commandAt = Instant.ofEpochSecond(commandSeconds, fraction());
        }
        String endpoint = text();
        String api = text();
        seq += signed();
        epoch += signed();
        commands.add(new Command(TYPES[header & 7], commandTenant, state, (header & RUNNING) != 0, endpoint, api,
            reason, seq, epoch, commandAt));
      }
      return new HistoryEntry(tenant, at, from, to, cause, commands);
    }

    /** Passes over the next {@code count} entries, making nothing, keeping what the entries after them build on. */
    void skip(int count) {
      for (int i = 0; i < count; i++) {
        unsigned(); // tenant
        seconds += signed();
        unsigned(); // fraction
        unsigned(); // from
        unsigned(); // to
        unsigned(); // cause
        int commands = (int) unsigned();
        for (int c = 0; c < commands; c++) {
          int header = bytes[position++] & 0xff;
          if ((header & OWN_TENANT) == 0) {
            unsigned();
          }
          if ((header & OWN_STATE) == 0) {
            unsigned();
          }
          if ((header & OWN_REASON) == 0) {
            unsigned();
          }
          if ((header & OWN_AT) == 0) {
            signed();
            unsigned();
          }
          unsigned(); // endpoint
          unsigned(); // api
          seq += signed();
          epoch += signed();
        }
      }
    }

    private long fraction() {
      long value = unsigned();
      long scale = switch ((int) (value & 3)) {
        case 0 -> 1_000_000;
        case 1 -> 1_000;
        default -> 1;
      };
      return (value >>> 2) * scale;
    }

    private String text() {
      int code = (int) unsigned();
      if (code == 0) {
        return null;
      }
      return code <= WORDS.length ? WORDS[code - 1] : texts[code - WORDS.length - 1];
    }

    private long signed() {
      long zigzag = unsigned();
      return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    private long unsigned() {
      long value = 0;
      int shift = 0;
      while (true) {
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
        shift += 7;
      }
    }
  }

  /** A growing byte array with variable-length numbers (seven bits a byte, low first). */
  private static final class Bytes {
    private byte[] buffer;
    private int length;

    Bytes() {
      buffer = new byte[64];
    }

    /** Starting with {@code written}, with room for about one more entry. */
    Bytes(byte[] written) {
      buffer = Arrays.copyOf(written, written.length + 32);
      length = written.length;
    }

    void add(int b) {
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, length * 2);
      }
      buffer[length++] = (byte) b;
    }

    void unsigned(long value) {
      while ((value & ~0x7fL) != 0) {
        add((int) (value & 0x7f) | 0x80);
        value >>>= 7;
      }
      add((int) value);
    }

    /** Zigzag: small negative and positive numbers both take few bytes. */
    void signed(long value) {
      unsigned((value << 1) ^ (value >> 63));
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buffer, length);
    }
  }
}
