package io.tenantwatch.health;

import io.tenantwatch.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The checks behind {@code GET /ready} (vertx-health-check), each a named procedure whose answer shows in
 * the body: {@code listeners} (the HTTP listeners the engine opens itself are bound: none with
 * {@code http.enabled} and {@code admin.enabled} false, whose routes a platform mounts), {@code store} (the store answers its
 * probe) and {@code poller} (a state poller answers, and it is not wedged: polls in flight with no
 * progress for {@code wedgedAfter}), and on a cluster node {@code cluster} (the node is a member of the
 * cluster: DOWN before it joined, and once it left or was expelled).
 *
 * @param listening true once the engine's own listeners (those enabled) are bound
 * @param store how the store is probed
 * @param wedgedAfter how long polls may be in flight without any finishing before the poller counts as wedged
 * @param checkTimeout how long each check may take before it counts as down
 * @param clock the time the poller's progress is judged by
 * @param member whether this node holds its cluster membership; null on a single engine (no such check)
 */
public record Readiness(BooleanSupplier listening, StoreCheck store, Duration wedgedAfter, Duration checkTimeout,
    Clock clock, BooleanSupplier member) {

  public static final String LISTENERS = "listeners";
  public static final String STORE = "store";
  public static final String POLLER = "poller";
  public static final String CLUSTER = "cluster";

  /**
   * The engine's checks: a poller counts as wedged after three request timeouts without progress (each
   * poll's own deadline is one), and a check that takes longer than a request timeout counts as down.
   */
  public static Readiness of(BooleanSupplier listening, StoreCheck store, Duration requestTimeout, Clock clock) {
    return new Readiness(listening, store, requestTimeout.multipliedBy(3), requestTimeout, clock, null);
  }

  /** These checks and a cluster node's {@value #CLUSTER}: up while {@code member} says the node is a member. */
  public Readiness withMembership(BooleanSupplier member) {
    return new Readiness(listening, store, wedgedAfter, checkTimeout, clock, member);
  }

  /** The checks, registered on a fresh {@link HealthChecks} of {@code vertx}. */
  public HealthChecks checks(Vertx vertx) {
    long timeout = checkTimeout.toMillis();
    HealthChecks checks = HealthChecks.create(vertx);
    if (member != null) {
      checks.register(CLUSTER, timeout, promise -> promise.complete(member.getAsBoolean() ? Status.OK()
          : Status.KO(new JsonObject().put("reason", "this node holds no cluster membership"))));
    }
    return checks
        .register(LISTENERS, timeout, promise -> promise.complete(listening.getAsBoolean() ? Status.OK()
            : Status.KO(new JsonObject().put("reason", "the engine's HTTP listeners are not all bound yet"))))
        .register(STORE, timeout, promise -> settle(promise, store.probe(vertx), Status::OK))
        .register(POLLER, timeout, promise -> settle(promise, pollerProgress(vertx), this::judgePoller));
  }

  private Future<JsonObject> pollerProgress(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.POLL_PROGRESS, new JsonObject(),
            new DeliveryOptions().setSendTimeout(checkTimeout.toMillis()))
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture("no state poller answered: " + failure.getMessage()));
  }

  /** Up unless polls are in flight and none has finished (nor the first of them started) for too long. */
  public Status judgePoller(JsonObject progress) {
    int inFlight = progress.getInteger("inFlight", 0);
    String since = progress.getString("lastProgressAt");
    JsonObject data = new JsonObject().put("inFlight", inFlight).put("lastProgressAt", since);
    if (since == null) {
      // No poll has started yet: nothing can be stuck.
      return Status.OK(data);
    }
    Duration quiet = Duration.between(Instant.parse(since), clock.instant());
    if (inFlight > 0 && quiet.compareTo(wedgedAfter) > 0) {
      return Status.KO(data.put("reason", "polls are in flight and none has finished for " + quiet.toSeconds()
          + " s"));
    }
    return Status.OK(data);
  }

  private static void settle(Promise<Status> promise, Future<JsonObject> probe, Function<JsonObject, Status> judge) {
    probe.onComplete(answer -> {
      if (answer.failed()) {
        promise.complete(Status.KO(new JsonObject().put("reason", String.valueOf(answer.cause().getMessage()))));
        return;
      }
      promise.complete(judge.apply(answer.result()));
    });
  }
}
