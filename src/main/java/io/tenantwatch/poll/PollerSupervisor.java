package io.tenantwatch.poll;

import io.tenantwatch.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link StatePoller} running. It deploys the poller as its child (so undeploying the
 * supervisor undeploys the poller) and replaces it with a fresh one when it fails: when the poller
 * reports itself on {@link io.tenantwatch.bus.Addresses#POLL_FAILED}, or when its deployment has gone (someone undeployed it),
 * which the supervisor checks every {@code checkEvery}. A fresh poller starts with an empty queue; the
 * tenants whose polls were queued or in flight ask again when their poll watchdog runs out, so no
 * tenant goes unpolled.
 *
 * <p>On {@link Addresses#POLL_SUPERVISOR_DRAIN} (the engine's graceful stop) it stops supervising and passes the drain on to the
 * poller: the answer, {@code {"queued":N}}, comes once no poll is in flight.
 */
public final class PollerSupervisor extends VerticleBase {
  /** How often the engine checks that its poller is still deployed. */
  public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(PollerSupervisor.class);
  /** The poller answers a drain when its polls in flight end, which their own deadline bounds. */
  private static final DeliveryOptions DRAIN_DELIVERY = new DeliveryOptions().setSendTimeout(3_600_000);

  private final Supplier<StatePoller> pollers;
  private final Duration checkEvery;
  private volatile String current;
  private StatePoller poller;
  private boolean replacing;
  private boolean draining;
  private long checkTimer = -1;

  /**
   * @param pollers makes a fresh poller, at start and for every replacement
   * @param checkEvery how often to check that the poller is still deployed
   */
  public PollerSupervisor(Supplier<StatePoller> pollers, Duration checkEvery) {
    this.pollers = pollers;
    this.checkEvery = checkEvery;
  }

  @Override
  public Future<?> start() {
    return Future.all(
            vertx.eventBus().<JsonObject>localConsumer(Addresses.POLL_FAILED, this::onFailed).completion(),
            vertx.eventBus().localConsumer(Addresses.POLL_SUPERVISOR_DRAIN, this::onDrain).completion())
        .compose(v -> deployFresh())
        .onSuccess(v -> checkTimer = vertx.setPeriodic(checkEvery.toMillis(), id -> check()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(checkTimer);
    return Future.succeededFuture();
  }

  /** The deployment of the poller running now (tests use it to undeploy the poller under the engine). */
  public String pollerDeployment() {
    return current;
  }

  private Future<String> deployFresh() {
    replacing = true;
    StatePoller fresh = pollers.get();
    return vertx.deployVerticle(fresh)
        .onSuccess(id -> {
          current = id;
          poller = fresh;
        })
        .onFailure(e -> LOG.warn("Could not deploy a state poller; trying again in {} ms", checkEvery.toMillis(), e))
        .onComplete(done -> replacing = false);
  }

  private void check() {
    if (draining || replacing || (current != null && !poller.isUndeployed())) {
      return;
    }
    LOG.warn("The state poller is no longer deployed; deploying a fresh one");
    current = null;
    poller = null;
    deployFresh();
  }

  private void onFailed(Message<JsonObject> message) {
    String failed = message.body() == null ? null : message.body().getString("deployment");
    if (draining || replacing || failed == null || !failed.equals(current)) {
      return;
    }
    LOG.info("Replacing the state poller that failed");
    replacing = true;
    current = null;
    poller = null;
    vertx.undeploy(failed).onComplete(undeployed -> deployFresh());
  }

  private void onDrain(Message<Object> message) {
    draining = true;
    if (current == null || poller.isUndeployed()) {
      message.reply(new JsonObject().put("queued", 0));
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.POLL_DRAIN, new JsonObject(), DRAIN_DELIVERY)
        .onComplete(drained -> message.reply(drained.succeeded() ? drained.result().body()
            : new JsonObject().put("queued", 0)));
  }
}
