package io.tenantwatch.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What is still to be written for one tenant: the net effect of the changes made since its last write,
 * applied in this order: forget the tenant ({@code reset}), watch it ({@code origin}), keep its latest
 * snapshot, remember the notifications it applied. Changes to one tenant are folded with
 * {@link #then(TenantChange)}, so a batch holds one change per tenant and the store applies its parts
 * in that fixed order, which keeps each tenant's changes in the order they were made.
 *
 * @param tenant the context identifier
 * @param reset whether the tenant was unwatched: everything stored about it goes first
 * @param origin how the tenant came to be watched ({@code config}, {@code admin}, {@code notification}),
 *     null when this change does not watch it
 * @param snapshot the tenant's latest snapshot as JSON, null when unchanged
 * @param seen notifications applied since, oldest first
 */
public record TenantChange(String tenant, boolean reset, String origin, JsonObject snapshot,
    List<SeenNotification> seen) {

  public TenantChange {
    Objects.requireNonNull(tenant, "tenant");
    seen = List.copyOf(seen);
  }

  /** The tenant is watched from now on (kept with its first origin if it already was). */
  public static TenantChange watched(String tenant, String origin) {
    return new TenantChange(tenant, false, Objects.requireNonNull(origin, "origin"), null, List.of());
  }

  /** The tenant is no longer watched: it leaves the store with all it had there. */
  public static TenantChange unwatched(String tenant) {
    return new TenantChange(tenant, true, null, null, List.of());
  }

  /** The tenant's latest snapshot ({@code SnapshotJson}). */
  public static TenantChange snapshot(String tenant, JsonObject snapshot) {
    return new TenantChange(tenant, false, null, Objects.requireNonNull(snapshot, "snapshot"), List.of());
  }

  /** The tenant applied a notification. */
  public static TenantChange seen(String tenant, SeenNotification notification) {
    return new TenantChange(tenant, false, null, null, List.of(notification));
  }

  /** Whether after this change the tenant is not in the store at all. */
  boolean gone() {
    return reset && origin == null;
  }

  /** This change followed by a later one to the same tenant, as one change. */
  public TenantChange then(TenantChange later) {
    if (later.reset) {
      return later;
    }
    if (gone() && later.origin == null) {
      // A late snapshot or notification of a tenant that was unwatched meanwhile: it has nowhere to go.
      return this;
    }
    List<SeenNotification> all = new ArrayList<>(seen);
    all.addAll(later.seen);
    return new TenantChange(tenant, reset, origin != null ? origin : later.origin,
        later.snapshot != null ? later.snapshot : snapshot, all);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    seen.forEach(s -> list.add(s.toJson()));
    return new JsonObject().put("tenant", tenant).put("reset", reset).put("origin", origin)
        .put("snapshot", snapshot).put("seen", list);
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
      return new TenantChange(tenant, json.getBoolean("reset", false), json.getString("origin"),
          json.getJsonObject("snapshot"), seen);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed tenant change: " + e.getMessage(), e);
    }
  }
}
