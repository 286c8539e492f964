package io.tenantwatch.health;

import io.tenantwatch.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How {@code /ready} learns that the store is reachable: a probe that succeeds with details for the
 * answer's {@code data}, or fails with the reason it is not.
 */
@FunctionalInterface
public interface StoreCheck {
  /**
   * The address the store verticle answers its health on ({@code io.tenantwatch.store.StoreHealth}): any
   * body; the reply is {@code {"reachable":bool,"pendingWrites":n}}, shown as the check's data.
   */
  String ADDRESS = Addresses.STORE_HEALTH;

  /** Probes the store once. */
  Future<JsonObject> probe(Vertx vertx);

  /** The memory store lives in the engine's own heap: always reachable. */
  static StoreCheck memory() {
    return vertx -> Future.succeededFuture(new JsonObject().put("type", "memory"));
  }

  /** A store that answers on {@link #ADDRESS}; no answer within {@code timeout} counts as unreachable. */
  static StoreCheck onBus(Duration timeout) {
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeout.toMillis());
    return vertx -> vertx.eventBus().<Object>request(ADDRESS, new JsonObject(), delivery).compose(reply -> {
      if (reply.body() instanceof JsonObject body && Boolean.TRUE.equals(body.getValue("reachable"))) {
        return Future.succeededFuture(body);
      }
      Object pending = reply.body() instanceof JsonObject body ? body.getValue("pendingWrites") : null;
      return Future.failedFuture("the store is unreachable"
          + (pending == null ? "" : " (" + pending + " writes pending, kept in memory until it is back)"));
    });
  }
}
