package io.tenantwatch;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.poll.PollerSupervisor;
import io.tenantwatch.tenant.DirectoryMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's way down, before {@link TenantWatch#close()} undeploys its parts. The caller has already
 * flipped the draining flag, so the webhook (and the admin API's changes) answer 503; then, in order:
 * <ol>
 *   <li>the poller starts no more polls and answers once those in flight have sent their results;</li>
 *   <li>every tenant arms no more timers and answers once it has handled what was sent to it before,
 *       those last results included, so every command they made is with the worker registry;</li>
 *   <li>the registry answers once no command delivery is still waiting for a worker.</li>
 * </ol>
 * It waits at most {@code budget} in all; a step whose part is not deployed (a start that failed half
 * way) is skipped. Past the budget it says at WARN what it was still waiting for, and the undeploy goes
 * ahead all the same.
 */
final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(TenantWatch.class);

  private final Vertx vertx;
  private final Duration budget;
  private final DeliveryOptions waitUpToBudget;
  private volatile String stage = "starting";

  GracefulStop(Vertx vertx, Duration budget) {
    this.vertx = vertx;
    this.budget = budget;
    this.waitUpToBudget = new DeliveryOptions().setSendTimeout(Math.max(1, budget.toMillis()));
  }

  /** Completes once the engine has drained or the budget has run out; never fails. */
  Future<Void> drain() {
    LOG.info("Shutting down: webhooks answer 503 and no poll starts any more; finishing what is in flight "
        + "(at most {} ms)", budget.toMillis());
    Promise<Void> drained = Promise.promise();
    long deadline = vertx.setTimer(Math.max(1, budget.toMillis()), id -> {
      if (drained.tryComplete()) {
        LOG.warn("Stopped waiting after {} ms while {}; undeploying all the same", budget.toMillis(), stage);
      }
    });
    step("finishing the polls in flight", Addresses.POLL_SUPERVISOR_DRAIN, new JsonObject())
        .compose(v -> step("the tenants were handling their last poll results", Addresses.DIRECTORY,
            DirectoryMessages.quiesce()))
        .compose(v -> step("command deliveries to the workers were pending", Addresses.WORKERS_DRAIN, new JsonObject()))
        .onComplete(done -> {
          vertx.cancelTimer(deadline);
          if (drained.tryComplete()) {
            LOG.info("Drained: no poll in flight, every command delivered");
          }
        });
    return drained.future();
  }

  private Future<Void> step(String what, String address, JsonObject request) {
    stage = what;
    return vertx.eventBus().request(address, request, waitUpToBudget).<Void>mapEmpty().recover(skipped -> {
      LOG.debug("Drain step '{}' skipped: {}", what, skipped.getMessage());
      return Future.succeededFuture();
    });
  }
}
