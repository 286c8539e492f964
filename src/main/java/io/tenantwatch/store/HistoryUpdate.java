package io.tenantwatch.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one change does to a tenant's stored history (its entries as {@code HistoryEntry} JSON, oldest
 * first). Either the {@link #whole} history, or entries {@link #appended} to the history the store holds:
 * most steps record an entry or two, and sending the store fifty entries to add one was most of what
 * the engine allocated under a stream of notifications, and most of what PostgreSQL parsed.
 *
 * <p>An append names the entry it goes after ({@code after}, null for an empty history) and applies
 * only to a stored history that ends with that entry; to any other it does nothing. So an append written
 * twice (a write retried whose first try did reach the store) is written once, and one that does not fit
 * what the store holds cannot scramble it. After appending, only the last {@code keep} entries stay.
 *
 * @param whole whether {@code entries} are the whole history (then {@code after} is null and
 *     {@code keep} is their number)
 * @param after the entry the stored history must end with for an append to apply, null for none
 * @param entries the entries, oldest first
 * @param keep how many entries the history has after this change, at most
 */
public record HistoryUpdate(boolean whole, JsonObject after, JsonArray entries, int keep) {

  public HistoryUpdate {
    Objects.requireNonNull(entries, "entries");
    if (keep < 0) {
      throw new IllegalArgumentException("a history update keeps a number of entries, not " + keep);
    }
    if (whole && (after != null || keep != entries.size())) {
      throw new IllegalArgumentException("a whole history names no entry it follows and keeps all its entries");
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject)) {
        throw new IllegalArgumentException("a history entry is a JSON object");
      }
    }
  }

  /** The whole history, replacing what the store holds. */
  public static HistoryUpdate whole(JsonArray entries) {
    return new HistoryUpdate(true, null, entries, entries.size());
  }

  /** {@code entries} go after {@code after} (null: the history is empty), and the last {@code keep} stay. */
  public static HistoryUpdate appended(JsonObject after, JsonArray entries, int keep) {
    return new HistoryUpdate(false, after, entries, keep);
  }

  /** The entry a history applied to ends with afterwards, when this update applied; null for an empty one. */
  JsonObject last() {
    if (keep == 0) {
      return null;
    }
    return entries.isEmpty() ? after : entries.getJsonObject(entries.size() - 1);
  }

  /** This update followed by a later one, as one: written once, it leaves what the two leave in turn. */
  HistoryUpdate then(HistoryUpdate later) {
    if (later.whole) {
      return later;
    }
    if (!Objects.equals(later.after, last())) {
      return this; // the later append does not follow this one, so on top of it it would do nothing
    }
    // The entries themselves are shared, not copied: no update changes an entry once it is made.
    List<Object> joined = new ArrayList<>(entries.size() + later.entries.size());
    joined.addAll(entries.getList());
    joined.addAll(later.entries.getList());
    JsonArray both = new JsonArray(joined);
    // The history this one leaves has at most `keep` entries, so after the later one at most keep + its own.
    int kept = (int) Math.min(later.keep, (long) keep + later.entries.size());
    JsonArray last = lastOf(both, kept);
    return whole ? whole(last) : appended(after, last, kept);
  }

  /** What a stored history is after this update. */
  public JsonArray applyTo(JsonArray stored) {
    if (whole) {
      return entries;
    }
    if (!endsWith(stored)) {
      return stored;
    }
    JsonArray longer = stored.copy();
    entries.forEach(longer::add);
    return lastOf(longer, keep);
  }

  private boolean endsWith(JsonArray stored) {
    return after == null ? stored.isEmpty()
        : !stored.isEmpty() && after.equals(stored.getValue(stored.size() - 1));
  }

  private static JsonArray lastOf(JsonArray list, int count) {
    if (list.size() <= count) {
      return list;
    }
    return new JsonArray(new ArrayList<>(list.getList().subList(list.size() - count, list.size())));
  }

  public JsonObject toJson() {
    return new JsonObject().put("whole", whole).put("after", after).put("entries", entries).put("keep", keep);
  }

  /** @throws IllegalArgumentException when a field is missing, of the wrong type or out of range */
  public static HistoryUpdate fromJson(JsonObject json) {
    try {
      Boolean whole = json.getBoolean("whole");
      JsonArray entries = json.getJsonArray("entries");
      Integer keep = json.getInteger("keep");
      if (whole == null || entries == null || keep == null) {
        throw new IllegalArgumentException("a history update needs whole, entries and keep");
      }
      return new HistoryUpdate(whole, json.getJsonObject("after"), entries, keep);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed history update: " + e.getMessage(), e);
    }
  }
}
