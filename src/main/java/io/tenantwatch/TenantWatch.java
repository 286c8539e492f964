package io.tenantwatch;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.SimulatorSection;
import io.tenantwatch.config.StateApiOptions;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.demo.DemoWorker;
import io.tenantwatch.http.AdminRoutes;
import io.tenantwatch.http.HttpListener;
import io.tenantwatch.http.PublicRoutes;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.poll.PollerOptions;
import io.tenantwatch.poll.StatePoller;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.tenant.TenantDirectory;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine, deployed into a platform's own {@link Vertx} with one call:
 *
 * <pre>{@code
 * TenantWatch.deploy(vertx, config).onSuccess(engine -> ...);
 * }</pre>
 *
 * It deploys the worker registry, the state poller, the tenant directory (one verticle per watched tenant)
 * and the public and admin HTTP listeners, plus the simulator and the demo worker when the config asks
 * for them. Workers join through {@link io.tenantwatch.worker.TenantGate}. {@link #close()} undeploys it
 * all again, in reverse order.
 */
public final class TenantWatch {
  private static final Logger LOG = LoggerFactory.getLogger(TenantWatch.class);

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private Simulator simulator;
  private HttpListener publicListener;
  private HttpListener adminListener;

  private TenantWatch(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Validates the config (DESIGN.md keys) and deploys the engine.
   *
   * @return the running engine, or a failed future with a {@link ConfigException} naming the bad key
   */
  public static Future<TenantWatch> deploy(Vertx vertx, JsonObject config) {
    TenantWatchOptions options;
    try {
      options = TenantWatchOptions.fromJson(config == null ? new JsonObject() : config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return deploy(vertx, options, Clock.systemUTC());
  }

  /** Deploys the engine with validated options and the given clock (tests pass their own). */
  public static Future<TenantWatch> deploy(Vertx vertx, TenantWatchOptions options, Clock clock) {
    TenantWatch engine = new TenantWatch(vertx);
    return engine.start(options, clock)
        .map(engine)
        .recover(failure -> engine.close().transform(closed -> Future.failedFuture(failure)));
  }

  private Future<Void> start(TenantWatchOptions options, Clock clock) {
    StateApiOptions stateApi = options.stateApi();
    return startSimulator(options.simulator(), clock)
        .compose(simulatorUrl -> {
          String baseUrl = options.stateApiBaseUrl(simulatorUrl);
          LOG.info("state API at {}", baseUrl);
          return deploy(new WorkerRegistry(DeliveryPolicy.DEFAULT, clock))
              .compose(v -> deploy(new StatePoller(new PollerOptions(baseUrl, stateApi.requestTimeoutMs(),
                  stateApi.maxConcurrentPolls(), stateApi.maxPollsPerSecond()))));
        })
        .compose(v -> options.demoWorker() ? deploy(new DemoWorker()) : Future.succeededFuture())
        .compose(v -> deploy(new TenantDirectory(machine(stateApi), clock, watchedAtStart(options))))
        .compose(v -> {
          publicListener = new HttpListener("public", options.http().host(), options.http().port(),
              PublicRoutes::create);
          return deploy(publicListener);
        })
        .compose(v -> {
          Duration pollTimeout = stateApi.requestTimeout().multipliedBy(2).plusSeconds(1);
          adminListener = new HttpListener("admin", options.admin().host(), options.admin().port(),
              v2 -> AdminRoutes.create(v2, options.admin().token(), pollTimeout));
          return deploy(adminListener);
        })
        .mapEmpty();
  }

  private Future<String> startSimulator(SimulatorSection section, Clock clock) {
    if (!section.enabled()) {
      return Future.succeededFuture(null);
    }
    simulator = new Simulator(SimulatorOptions.defaults().withPort(section.port())
        .withTenants(section.tenants()).withSeed(section.seed()), clock);
    return deploy(simulator).map(v -> simulator.stateApiBaseUrl());
  }

  private Set<String> watchedAtStart(TenantWatchOptions options) {
    Set<String> tenants = new LinkedHashSet<>(options.tenants());
    if (simulator != null) {
      tenants.addAll(simulator.tenantIds());
    }
    return tenants;
  }

  private static TenantMachine machine(StateApiOptions stateApi) {
    return new TenantMachine(stateApi.pollSettings(), () -> ThreadLocalRandom.current().nextDouble());
  }

  private Future<Void> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
  }

  /** Undeploys every part of the engine, newest first. */
  public Future<Void> close() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.transform(ignored -> vertx.undeploy(id));
    }
    deployments.clear();
    return chain;
  }

  /** The public listener's port (the webhook and {@code /health}). */
  public int httpPort() {
    return publicListener.actualPort();
  }

  /** The admin listener's port. */
  public int adminPort() {
    return adminListener.actualPort();
  }

  /** The embedded simulator, when the config enabled it. */
  public Optional<Simulator> simulator() {
    return Optional.ofNullable(simulator);
  }
}
