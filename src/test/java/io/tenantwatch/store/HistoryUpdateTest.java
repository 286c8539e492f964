package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a history update does to a stored history, alone, written twice, and folded with later ones. */
class HistoryUpdateTest {

  private static JsonObject entry(int n) {
    return new JsonObject().put("at", "2026-11-27T01:00:" + String.format("%02d", n % 60) + "Z").put("n", n)
        .put("commands", new JsonArray());
  }

  private static JsonArray entries(int from, int to) {
    JsonArray list = new JsonArray();
    for (int n = from; n <= to; n++) {
      list.add(entry(n));
    }
    return list;
  }

  @Test
  @DisplayName("a whole history replaces whatever is stored")
  void wholeReplaces() {
    assertThat(HistoryUpdate.whole(entries(5, 6)).applyTo(entries(1, 3))).isEqualTo(entries(5, 6));
    assertThat(HistoryUpdate.whole(new JsonArray()).applyTo(entries(1, 3))).isEqualTo(new JsonArray());
  }

  @Test
  @DisplayName("an append goes after the entry it names and keeps the last 'keep' entries")
  void appendAfterItsEntry() {
    assertThat(HistoryUpdate.appended(entry(3), entries(4, 5), 5).applyTo(entries(1, 3))).isEqualTo(entries(1, 5));
    assertThat(HistoryUpdate.appended(entry(3), entries(4, 5), 3).applyTo(entries(1, 3))).isEqualTo(entries(3, 5));
    assertThat(HistoryUpdate.appended(null, entries(1, 2), 2).applyTo(new JsonArray())).isEqualTo(entries(1, 2));
  }

  @Test
  @DisplayName("an append to a history that does not end with its entry does nothing, so one written twice is written once")
  void appendIsGuarded() {
    HistoryUpdate append = HistoryUpdate.appended(entry(3), entries(4, 5), 50);
    JsonArray once = append.applyTo(entries(1, 3));

    assertThat(append.applyTo(once)).isEqualTo(once);
    assertThat(append.applyTo(entries(1, 2))).isEqualTo(entries(1, 2));
    assertThat(append.applyTo(new JsonArray())).isEqualTo(new JsonArray());
    assertThat(HistoryUpdate.appended(null, entries(1, 1), 50).applyTo(entries(1, 1))).isEqualTo(entries(1, 1));
  }

  @Test
  @DisplayName("an entry matches by value: numbers read back as another type still match")
  void entriesMatchByValue() {
    JsonObject readBack = new JsonObject(entry(3).encode()).put("n", 3L);

    assertThat(HistoryUpdate.appended(entry(3), entries(4, 4), 50).applyTo(new JsonArray().add(readBack)))
        .hasSize(2);
  }

  @Test
  @DisplayName("updates folded as the feed sends them leave what they leave written one by one")
  void foldingIsWritingInTurn() {
    Random random = new Random(20261127);
    for (int run = 0; run < 2_000; run++) {
      int limit = 1 + random.nextInt(6);
      List<JsonObject> history = new ArrayList<>();
      int next = 0;
      JsonArray stored = new JsonArray();
      JsonObject sentLast = null;
      boolean sentAny = false;
      List<HistoryUpdate> updates = new ArrayList<>();
      for (int step = 0; step < 1 + random.nextInt(8); step++) {
        for (int added = random.nextInt(4); added > 0; added--) {
          history.add(entry(next++));
          if (history.size() > limit) {
            history.remove(0);
          }
        }
        JsonArray now = new JsonArray(new ArrayList<>(history));
        int from = sentAny ? now.getList().lastIndexOf(sentLast) : -2;
        HistoryUpdate update = from == -2 || (sentLast != null && from < 0) || random.nextInt(10) == 0
            ? HistoryUpdate.whole(now)
            : HistoryUpdate.appended(sentLast, new JsonArray(new ArrayList<>(now.getList().subList(from + 1, now.size()))),
                now.size());
        updates.add(update);
        sentAny = true;
        sentLast = now.isEmpty() ? null : now.getJsonObject(now.size() - 1);
      }
      JsonArray inTurn = stored;
      for (HistoryUpdate update : updates) {
        inTurn = update.applyTo(inTurn);
      }
      HistoryUpdate folded = updates.get(0);
      for (HistoryUpdate update : updates.subList(1, updates.size())) {
        folded = folded.then(update);
      }

      assertThat(folded.applyTo(stored)).as("run %d: %s", run, updates).isEqualTo(inTurn);
      assertThat(inTurn).isEqualTo(new JsonArray(history));
    }
  }

  @Test
  @DisplayName("a fold keeps no more than the first update leaves plus what the later one adds")
  void foldKeepsWhatTheFirstLeft() {
    HistoryUpdate first = HistoryUpdate.appended(entry(3), entries(4, 4), 1);
    HistoryUpdate later = HistoryUpdate.appended(entry(4), entries(5, 5), 3);

    assertThat(later.applyTo(first.applyTo(entries(1, 3)))).isEqualTo(entries(4, 5));
    assertThat(first.then(later).applyTo(entries(1, 3))).isEqualTo(entries(4, 5));
  }

  @Test
  @DisplayName("an append that does not follow the one before it is dropped from the fold, as it would do nothing")
  void foldDropsAnAppendThatDoesNotFollow() {
    HistoryUpdate first = HistoryUpdate.appended(entry(3), entries(4, 4), 50);

    assertThat(first.then(HistoryUpdate.appended(entry(9), entries(10, 10), 50))).isEqualTo(first);
  }

  @Test
  @DisplayName("it travels as JSON and back unchanged")
  void jsonRoundTrip() {
    HistoryUpdate append = HistoryUpdate.appended(entry(3), entries(4, 5), 50);
    HistoryUpdate whole = HistoryUpdate.whole(entries(1, 2));

    assertThat(HistoryUpdate.fromJson(new JsonObject(append.toJson().encode()))).isEqualTo(append);
    assertThat(HistoryUpdate.fromJson(new JsonObject(whole.toJson().encode()))).isEqualTo(whole);
  }

  @Test
  @DisplayName("malformed updates are refused with a clear error")
  void malformedRefused() {
    assertThatThrownBy(() -> HistoryUpdate.fromJson(new JsonObject().put("whole", true)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs whole, entries and keep");
    assertThatThrownBy(() -> HistoryUpdate.fromJson(new JsonObject().put("whole", "yes")
        .put("entries", new JsonArray()).put("keep", 0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HistoryUpdate.appended(null, new JsonArray().add("text"), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> HistoryUpdate.appended(null, new JsonArray(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HistoryUpdate(true, entry(1), new JsonArray(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
