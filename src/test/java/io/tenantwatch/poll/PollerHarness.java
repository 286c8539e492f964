package io.tenantwatch.poll;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.machine.PollReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/** What the poller tests do over and over: deploy a poller, ask for polls, wait for their results. */
final class PollerHarness {

  private PollerHarness() {
  }

  static Future<String> deploy(Vertx vertx, PollerOptions options) {
    return deploy(vertx, options, Clock.systemUTC());
  }

  static Future<String> deploy(Vertx vertx, PollerOptions options, Clock clock) {
    return vertx.deployVerticle(new StatePoller(options, clock));
  }

  static PollerOptions options(StateApiStub stub, long timeoutMs, int maxConcurrent, int maxPerSecond) {
    return new PollerOptions(stub.baseUrl(), timeoutMs, maxConcurrent, maxPerSecond);
  }

  /** Asks for one poll and completes with the result delivered to the tenant's address. */
  static Future<PollResult> pollAndAwait(Vertx vertx, String ctx, PollReason reason) {
    Promise<PollResult> result = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.tenant(ctx),
        message -> result.tryComplete(PollResult.fromJson(message.body())));
    return consumer.completion()
        .compose(v -> request(vertx, ctx, reason))
        .compose(ack -> result.future())
        .eventually(consumer::unregister);
  }

  /** Sends a poll request and completes with the poller's acknowledgement. */
  static Future<JsonObject> request(Vertx vertx, String ctx, PollReason reason) {
    return vertx.eventBus().<JsonObject>request(Addresses.POLL, new PollRequest(ctx, reason).toJson())
        .map(reply -> reply.body());
  }

  static Future<PollStats> stats(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.POLL_STATS, new JsonObject())
        .map(reply -> PollStats.fromJson(reply.body()));
  }
}
