package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.store.TenantChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.json.JsonObject;

/**
 * The directory's side of the store: what it tells the store verticle (watched, unwatched, each
 * tenant's latest snapshot, in the order it learns them) and what it asks of it at start. A directory
 * deployed without a store (some tests) has a feed that does nothing.
 */
final class StoreFeed {
  private final Vertx vertx;
  private final boolean enabled;

  StoreFeed(Vertx vertx, boolean enabled) {
    this.vertx = vertx;
    this.enabled = enabled;
  }

  /** The store's answer to {@code restore}: the start epoch and every stored tenant; nothing when disabled. */
  Future<JsonObject> restore() {
    if (!enabled) {
      return Future.succeededFuture(new JsonObject().put("epoch", 0L));
    }
    return vertx.eventBus().<JsonObject>request(Addresses.STORE, new JsonObject().put("action", "restore"))
        .map(reply -> reply.body());
  }

  void watched(String tenant, WatchOrigin origin) {
    send(TenantChange.watched(tenant, origin.wireName()));
  }

  void unwatched(String tenant) {
    send(TenantChange.unwatched(tenant));
  }

  /** Whole, though a tenant hands the directory only the history's new entries: the store keeps whole snapshots. */
  void snapshot(TenantSnapshot snapshot) {
    if (enabled) {
      send(TenantChange.snapshot(snapshot.tenant(), SnapshotJson.toJson(snapshot)));
    }
  }

  private void send(TenantChange change) {
    if (enabled) {
      vertx.eventBus().send(Addresses.STORE_CHANGES, change.toJson());
    }
  }
}
