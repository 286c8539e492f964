package io.tenantwatch.domain;

import java.util.AbstractList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;

/**
 * A tenant's recorded steps, newest last: an immutable, bounded list of {@link HistoryEntry}s kept
 * packed ({@link PackedEntries}), since a node holds a million tenants with up to fifty entries each.
 * Entries are made as records only when read (a view, an event, the store), each time afresh: read the
 * whole list once ({@link #iterator}, {@link #newest}) rather than by position in a loop.
 *
 * <p>Two histories are equal when they hold equal entries in the same order; a history also equals any
 * other list of the same entries.
 */
public final class History extends AbstractList<HistoryEntry> {
  /** No entries. */
  public static final History EMPTY = new History(PackedEntries.NONE);

  private final PackedEntries packed;

  private History(PackedEntries packed) {
    this.packed = packed;
  }

  /** These entries, oldest first; the history itself when it is one already. */
  public static History of(List<HistoryEntry> entries) {
    if (entries instanceof History history) {
      return history;
    }
    entries.forEach(entry -> Objects.requireNonNull(entry, "a history entry"));
    return entries.isEmpty() ? EMPTY : new History(PackedEntries.of(entries));
  }

  /**
   * This history with {@code entry} after its entries, keeping only the newest {@code limit}. While it has room,
   * only the new entry is packed, after the others' bytes: every tenant's step appends one, on the way to its
   * commands, and reading the whole history back to pack it again made as many records as it holds.
   */
  public History append(HistoryEntry entry, int limit) {
    Objects.requireNonNull(entry, "a history entry");
    if (size() < limit) {
      return new History(packed.append(entry));
    }
    List<HistoryEntry> longer = packed.entries();
    longer.add(entry);
    return keepNewest(longer, limit);
  }

  /** This history with only its newest {@code limit} entries (all of them when it has no more). */
  public History keep(int limit) {
    return size() <= limit ? this : keepNewest(packed.entries(), limit);
  }

  private static History keepNewest(List<HistoryEntry> entries, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a history keeps a number of entries, not " + limit);
    }
    return of(entries.subList(Math.max(0, entries.size() - limit), entries.size()));
  }

  /** The newest entry, null when there is none. */
  public HistoryEntry newest() {
    return isEmpty() ? null : packed.entry(size() - 1);
  }

  /**
   * The entries added since {@code earlier}, oldest first, when this history is {@code earlier} with entries added
   * and none dropped; null when it is not. Told from the packings alone: only the added entries are made.
   */
  public List<HistoryEntry> addedSince(History earlier) {
    return packed.startsWith(earlier.packed) ? packed.entries(earlier.size()) : null;
  }

  /** The newest {@code count} entries (all of them when there are fewer), oldest first; the others are not made. */
  public List<HistoryEntry> newest(int count) {
    return packed.entries(Math.max(0, size() - count));
  }

  @Override
  public HistoryEntry get(int index) {
    return packed.entry(index);
  }

  @Override
  public int size() {
    return packed.size();
  }

  /** Reads the entries once, in order. */
  @Override
  public Iterator<HistoryEntry> iterator() {
    return Collections.unmodifiableList(packed.entries()).iterator();
  }

  @Override
  public ListIterator<HistoryEntry> listIterator(int index) {
    return List.copyOf(packed.entries()).listIterator(index);
  }

  @Override
  public boolean equals(Object other) {
    if (other instanceof History history) {
      return packed.equals(history.packed);
    }
    return other instanceof List<?> list && packed.entries().equals(list);
  }

  @Override
  public int hashCode() {
    return packed.entries().hashCode();
  }
}
