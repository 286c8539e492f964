package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The packed history a snapshot holds: a list of entries that reads back exactly what it was given. */
class HistoryTest {
  private static final String CTX = "Cust12345";
  private static final Instant NOW = Instant.parse("2026-02-23T09:00:00Z");
  private static final String ENDPOINT = "https://sod2.superoffice.com/" + CTX;
  private static final String API = ENDPOINT + "/api";

  private static HistoryEntry step(int i, String from, String to, CommandType... types) {
    Instant at = NOW.plusSeconds(3_600L * i).plusNanos(1_000L * i);
    List<Command> commands = new ArrayList<>();
    for (int c = 0; c < types.length; c++) {
      commands.add(new Command(types[c], CTX, to, types[c] == CommandType.RESUME, ENDPOINT, API, "poll",
          10L * i + c + 1, 0, at));
    }
    return new HistoryEntry(CTX, at, from, to, "poll", commands);
  }

  @Test
  @DisplayName("a history reads back its entries in order, equal to the records it was made of")
  void roundTrip() {
    List<HistoryEntry> entries = List.of(
        step(0, "Unknown", "Running", CommandType.RESUME),
        step(1, "Running", "OfflineMaintenance", CommandType.PAUSE),
        step(2, "OfflineMaintenance", "Frozen"),
        step(3, "Frozen", "Running", CommandType.RESUME, CommandType.RESYNC));

    History history = History.of(entries);

    assertThat(history).hasSize(4).containsExactlyElementsOf(entries);
    assertThat(history.get(2)).isEqualTo(entries.get(2));
    assertThat(history.newest()).isEqualTo(entries.get(3));
    assertThat(History.EMPTY.newest()).isNull();
  }

  @Test
  @DisplayName("appending keeps only the newest historyLimit entries, the oldest dropped first")
  void bounded() {
    History history = History.EMPTY;
    List<HistoryEntry> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      HistoryEntry entry = step(i, i % 2 == 0 ? "Running" : "OfflineMaintenance",
          i % 2 == 0 ? "OfflineMaintenance" : "Running", i % 2 == 0 ? CommandType.PAUSE : CommandType.RESUME);
      all.add(entry);
      history = history.append(entry, 50);
    }

    assertThat(history).hasSize(50).containsExactlyElementsOf(all.subList(10, 60));
    assertThat(history.keep(3)).containsExactlyElementsOf(all.subList(57, 60));
    assertThat(history.append(all.get(0), 0)).isEmpty();
    History full = history;
    assertThatThrownBy(() -> full.append(all.get(0), -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("histories of equal entries are equal, to each other and to a list of the same records")
  void equality() {
    List<HistoryEntry> entries = List.of(step(0, "Unknown", "Running", CommandType.RESUME),
        step(1, "Running", "Suspended", CommandType.PAUSE));
    History one = History.of(entries);
    // Equal text in other string objects, as each parsed poll brings.
    History other = History.of(entries.stream().map(HistoryTest::freshStrings).toList());

    assertThat(one).isEqualTo(other).isEqualTo(entries).hasSameHashCodeAs(other).hasSameHashCodeAs(entries);
    assertThat(History.of(entries.subList(0, 1))).isNotEqualTo(one);
    assertThat(History.of(one)).isSameAs(one);
    assertThat(History.of(List.of())).isSameAs(History.EMPTY);
  }

  @Test
  @DisplayName("whatever an entry holds reads back exactly: odd instants, foreign states, commands unlike their entry, nulls")
  void irregularEntries() {
    List<HistoryEntry> entries = irregular(new Random(18), 200);

    assertThat(History.of(entries)).containsExactlyElementsOf(entries);
  }

  @Test
  @DisplayName("a history appended to an entry at a time packs as its entries packed at once, and reads its newest alone")
  void appendedPacksAsWhole() {
    List<HistoryEntry> entries = irregular(new Random(19), 120);
    History grown = History.EMPTY;
    for (int i = 0; i < entries.size(); i++) {
      grown = grown.append(entries.get(i), 50);
      // Equal histories compare their packings: the same bytes and the same table of strings.
      assertThat(grown).isEqualTo(History.of(entries.subList(Math.max(0, i - 49), i + 1)));
    }

    assertThat(grown.newest(3)).containsExactlyElementsOf(entries.subList(117, 120));
    assertThat(grown.newest(0)).isEmpty();
    assertThat(grown.newest(80)).containsExactlyElementsOf(entries.subList(70, 120));
    assertThat(grown.newest()).isEqualTo(entries.get(119));
    assertThat(grown.get(7)).isEqualTo(entries.get(77));
  }

  @Test
  @DisplayName("a history tells the entries added since one it grew from, and that it did not grow from one whose entries it dropped")
  void addedSince() {
    List<HistoryEntry> entries = irregular(new Random(20), 60);
    History first = History.of(entries.subList(0, 10));
    History grown = History.of(entries.subList(0, 13));
    History full = History.of(entries.subList(10, 60));

    assertThat(grown.addedSince(first)).containsExactlyElementsOf(entries.subList(10, 13));
    assertThat(grown.addedSince(History.EMPTY)).containsExactlyElementsOf(entries.subList(0, 13));
    assertThat(first.addedSince(first)).isEmpty();
    assertThat(first.addedSince(grown)).isNull();
    assertThat(full.append(entries.get(0), 50).addedSince(full)).isNull();
    assertThat(grown.addedSince(History.of(entries.subList(9, 10)))).isNull();
  }

  private static List<HistoryEntry> irregular(Random random, int count) {
    List<HistoryEntry> entries = new ArrayList<>();
    String[] words = {null, "Running", "7", "Frozen", "notification:Move", "notification:42", "restored", ENDPOINT, ""};
    for (int i = 0; i < count; i++) {
      Instant at = Instant.ofEpochSecond(random.nextInt() * 1000L, random.nextInt(1_000_000_000));
      List<Command> commands = new ArrayList<>();
      for (int c = random.nextInt(3); c > 0; c--) {
        Instant commandAt = random.nextBoolean() ? at : at.minusNanos(random.nextInt(5_000_000));
        commands.add(new Command(CommandType.values()[random.nextInt(5)], random.nextBoolean() ? CTX : "Cust9",
            words[random.nextInt(words.length)], random.nextBoolean(), words[random.nextInt(words.length)],
            words[random.nextInt(words.length)], words[random.nextInt(words.length)], random.nextLong(),
            random.nextInt(Integer.MAX_VALUE), commandAt));
      }
      entries.add(new HistoryEntry(random.nextBoolean() ? CTX : null, at, words[random.nextInt(words.length)],
          words[random.nextInt(words.length)], words[random.nextInt(words.length)], commands));
    }
    return entries;
  }

  @Test
  @DisplayName("strings read back are shared: the table's state names and causes, and one endpoint for every entry")
  void sharedStrings() {
    History history = History.of(List.of(freshStrings(step(0, "Unknown", "Running", CommandType.RESUME)),
        freshStrings(step(1, "Running", "Suspended", CommandType.PAUSE))));

    HistoryEntry first = history.get(0);
    HistoryEntry second = history.get(1);
    assertThat(first.to()).isSameAs(TenantState.RUNNING.displayName());
    assertThat(first.cause()).isSameAs(second.cause());
    assertThat(first.commands().get(0).endpoint()).isSameAs(second.commands().get(0).endpoint());
  }

  private static HistoryEntry freshStrings(HistoryEntry entry) {
    List<Command> commands = entry.commands().stream().map(c -> new Command(c.type(), fresh(c.tenant()),
        fresh(c.state()), c.running(), fresh(c.endpoint()), fresh(c.api()), fresh(c.reason()), c.seq(), c.epoch(),
        c.at())).toList();
    return new HistoryEntry(fresh(entry.tenant()), entry.at(), fresh(entry.from()), fresh(entry.to()),
        fresh(entry.cause()), commands);
  }

  private static String fresh(String text) {
    return text == null ? null : new String(text.toCharArray());
  }
}
