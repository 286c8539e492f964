package io.tenantwatch.worker;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Predicate;

/** Drives a {@link WorkerRegistry} over the event bus the way the engine and the workers do. */
final class RegistryProbe {
  static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  /**
   * How often {@link #awaitWorker} asks again. The registry's counters move on acknowledgements that
   * travel between the registry and a worker, which a test cannot listen to; it asks until they show.
   */
  private static final long RECHECK_MS = 20;

  private final Vertx vertx;

  RegistryProbe(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<String> deploy(DeliveryPolicy policy) {
    return vertx.deployVerticle(new WorkerRegistry(policy, CLOCK));
  }

  /** Hands a command over fire-and-forget, as a tenant verticle does. */
  void send(Command command) {
    vertx.eventBus().send(Addresses.WORKERS_COMMAND, command.toJson());
  }

  /** Hands a command over and waits for the registry to have taken it. */
  Future<JsonObject> hand(Command command) {
    return vertx.eventBus().<JsonObject>request(Addresses.WORKERS_COMMAND, command.toJson()).map(m -> m.body());
  }

  /** Delivers a command straight to a worker's address, as the registry does, and answers its acknowledgement. */
  Future<JsonObject> deliver(String address, Command command) {
    return vertx.eventBus().<JsonObject>request(address, command.toJson(), new DeliveryOptions().setSendTimeout(60_000))
        .map(m -> m.body());
  }

  Future<JsonArray> register(Object body) {
    return vertx.eventBus().<JsonObject>request(Addresses.WORKERS_REGISTER, body)
        .map(m -> m.body().getJsonArray("tenants"));
  }

  Future<JsonArray> workers() {
    return vertx.eventBus().<JsonObject>request(Addresses.WORKERS_LIST, new JsonObject())
        .map(m -> m.body().getJsonArray("workers"));
  }

  /** The listed worker at this address, or null. */
  Future<JsonObject> worker(String address) {
    return workers().map(list -> list.stream()
        .map(JsonObject.class::cast)
        .filter(w -> address.equals(w.getString("address")))
        .findFirst()
        .orElse(null));
  }

  /** The listed worker at this address once it meets the condition. */
  Future<JsonObject> awaitWorker(String address, Predicate<JsonObject> condition) {
    return worker(address).compose(w -> w != null && condition.test(w)
        ? Future.succeededFuture(w)
        : recheck().compose(v -> awaitWorker(address, condition)));
  }

  /** Completes once no worker is listed at this address. */
  Future<Void> awaitGone(String address) {
    return worker(address).compose(w -> w == null
        ? Future.succeededFuture()
        : recheck().compose(v -> awaitGone(address)));
  }

  private Future<Void> recheck() {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(RECHECK_MS, id -> promise.complete());
    return promise.future();
  }
}
