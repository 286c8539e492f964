package io.tenantwatch.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A single engine's {@link Routing}: every tenant runs here. */
final class LocalRouting implements Routing {
  private final Vertx vertx;

  LocalRouting(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Routed> toOwner(String tenant, String address, JsonObject body, DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> new Routed(null, reply.body()));
  }

  @Override
  public Future<List<NodeAnswer>> toEveryNode(String address, JsonObject body, DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(address, body, options).transform(done -> Future.succeededFuture(
        List.of(new NodeAnswer(null, done.succeeded() ? done.result().body() : null, done.cause()))));
  }

  @Override
  public <T> MessageConsumer<T> everyNodesPublications(String address, Handler<Message<T>> handler) {
    return vertx.eventBus().localConsumer(address, handler);
  }
}
