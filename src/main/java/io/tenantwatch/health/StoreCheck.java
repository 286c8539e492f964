package io.tenantwatch.health;

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
   * The address a durable store answers the readiness probe on: any body; the reply is
   * {@code {"ok":true,...}} when it can read and write (other fields are shown as they are), and
   * {@code {"ok":false,"error":"<sentence>"}} or a failed reply when it cannot.
   */
  String ADDRESS = "tenantwatch.store.health";

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
      if (reply.body() instanceof JsonObject body && Boolean.TRUE.equals(body.getValue("ok"))) {
        return Future.succeededFuture(body);
      }
      String why = reply.body() instanceof JsonObject body && body.getValue("error") instanceof String error
          ? error : "the store answered that it is not ok";
      return Future.failedFuture(why);
    });
  }
}
