package io.tenantwatch.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What is still to be written for one tenant: the net effect of the changes made since its last write,
 * applied in this order: forget the tenant ({@code reset}), watch it ({@code origin}), keep its latest
 * snapshot and bring its history up to date, remember the notifications it applied. Changes to one
 * tenant are folded with {@link #then(TenantChange)}, so a batch holds one change per tenant and the
 * store applies its parts in that fixed order, which keeps each tenant's changes in the order they were
 * made.
 *
 * @param tenant the context identifier
 * @param reset whether the tenant was unwatched: everything stored about it goes first
 * @param origin how the tenant came to be watched ({@code config}, {@code admin}, {@code notification}),
 *     null when this change does not watch it
 * @param snapshot the tenant's latest snapshot as JSON ({@code SnapshotJson}) without its history, null
 *     when unchanged
 * @param history what happens to its stored history, null when nothing
 * @param seen notifications applied since, oldest first
 * @param epoch the epoch of the lease on the tenant's shard under which the change was made, 0 on an engine
 *     that is not clustered; a clustered store writes the change only while that epoch is its shard's
 *     current one and this node holds it ({@link PostgresTenantStore})
 */
public record TenantChange(String tenant, boolean reset, String origin, JsonObject snapshot, HistoryUpdate history,
    List<SeenNotification> seen, long epoch) implements PendingChange {

  public TenantChange {
    Objects.requireNonNull(tenant, "tenant");
    if (snapshot != null && snapshot.containsKey("history")) {
      throw new IllegalArgumentException("a tenant change carries the history apart from the snapshot");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("a tenant change's epoch is at least 0, was " + epoch);
    }
    seen = List.copyOf(seen);
  }

  /** A change made outside any cluster (epoch 0). */
  public TenantChange(String tenant, boolean reset, String origin, JsonObject snapshot, HistoryUpdate history,
      List<SeenNotification> seen) {
    this(tenant, reset, origin, snapshot, history, seen, 0);
  }

  /** This change as made under the shard lease of {@code epoch} (at least 1 in a cluster). */
  public TenantChange withEpoch(long epoch) {
    return new TenantChange(tenant, reset, origin, snapshot, history, seen, epoch);
  }

  /** The tenant is watched from now on (kept with its first origin if it already was). */
  public static TenantChange watched(String tenant, String origin) {
    return watched(tenant, origin, 0);
  }

  /** As {@link #watched(String, String)}, made under the shard lease of {@code epoch}. */
  public static TenantChange watched(String tenant, String origin, long epoch) {
    return new TenantChange(tenant, false, Objects.requireNonNull(origin, "origin"), null, null, List.of(), epoch);
  }

  /** The tenant is no longer watched: it leaves the store with all it had there. */
  public static TenantChange unwatched(String tenant) {
    return new TenantChange(tenant, true, null, null, null, List.of());
  }

  /** The tenant's latest snapshot ({@code SnapshotJson}, history included), its history replacing the stored one. */
  public static TenantChange snapshot(String tenant, JsonObject snapshot) {
    JsonObject rest = Objects.requireNonNull(snapshot, "snapshot").copy();
    Object history = rest.remove("history");
    if (!(history instanceof JsonArray entries)) {
      throw new IllegalArgumentException("a whole snapshot has a history");
    }
    return snapshot(tenant, rest, HistoryUpdate.whole(entries));
  }

  /** The tenant's latest snapshot without its history, and what that history gets. */
  public static TenantChange snapshot(String tenant, JsonObject withoutHistory, HistoryUpdate history) {
    return new TenantChange(tenant, false, null, Objects.requireNonNull(withoutHistory, "snapshot"), history, List.of());
  }

  /** The tenant applied a notification. */
  public static TenantChange seen(String tenant, SeenNotification notification) {
    return new TenantChange(tenant, false, null, null, null, List.of(notification));
  }

  /** This change without its snapshot and history: what is left when those are set aside; null when nothing. */
  TenantChange withoutSnapshot() {
    if (!reset && origin == null && seen.isEmpty()) {
      return null;
    }
    return new TenantChange(tenant, reset, origin, null, null, seen, epoch);
  }

  /** Whether this change leaves the stored history as the sender has it: it sends it whole, or forgets it. */
  @Override
  public boolean historyInStep() {
    return reset || history != null && history.whole();
  }

  @Override
  public boolean hasSnapshot() {
    return snapshot != null;
  }

  /** This very change: it is made already. */
  @Override
  public TenantChange make() {
    return this;
  }

  /** Whether after this change the tenant is not in the store at all. */
  boolean gone() {
    return reset && origin == null;
  }

  /**
   * This change followed by a later one to the same tenant, as one change. It carries the higher of the two
   * epochs: a node folds only changes it made itself, and the later lease is the one it must still hold.
   */
  public TenantChange then(TenantChange later) {
    if (later.reset) {
      return later.epoch >= epoch ? later : later.withEpoch(epoch);
    }
    if (gone() && later.origin == null) {
      // A late snapshot or notification of a tenant that was unwatched meanwhile: it has nowhere to go.
      return this;
    }
    List<SeenNotification> all = new ArrayList<>(seen);
    all.addAll(later.seen);
    return new TenantChange(tenant, reset, origin != null ? origin : later.origin,
        later.snapshot != null ? later.snapshot : snapshot, historyThen(later.history), all, Math.max(epoch, later.epoch));
  }

  private HistoryUpdate historyThen(HistoryUpdate later) {
    if (later == null) {
      return history;
    }
    return history == null ? later : history.then(later);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    seen.forEach(s -> list.add(s.toJson()));
    JsonObject json = new JsonObject().put("tenant", tenant).put("reset", reset).put("origin", origin)
        .put("snapshot", snapshot).put("history", history == null ? null : history.toJson()).put("seen", list);
    // Unclustered changes keep the form they always had.
    return epoch == 0 ? json : json.put("epoch", epoch);
  }

  /** @throws IllegalArgumentException when a field is missing or of the wrong type */
  public static TenantChange fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("a tenant change is a JSON object");
    }
    try {
      String tenant = json.getString("tenant");
      if (tenant == null) {
        throw new IllegalArgumentException("a tenant change needs a tenant");
      }
      JsonArray list = json.getJsonArray("seen", new JsonArray());
      List<SeenNotification> seen = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        seen.add(SeenNotification.fromJson(list.getJsonObject(i)));
      }
      JsonObject history = json.getJsonObject("history");
      Object epoch = json.getValue("epoch", 0L);
      if (!(epoch instanceof Long || epoch instanceof Integer)) {
        throw new IllegalArgumentException("a tenant change's epoch is a whole number");
      }
      return new TenantChange(tenant, json.getBoolean("reset", false), json.getString("origin"),
          json.getJsonObject("snapshot"), history == null ? null : HistoryUpdate.fromJson(history), seen,
          ((Number) epoch).longValue());
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed tenant change: " + e.getMessage(), e);
    }
  }
}
