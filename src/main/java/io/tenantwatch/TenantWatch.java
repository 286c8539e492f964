package io.tenantwatch;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.SimulatorSection;
import io.tenantwatch.config.StateApiOptions;
import io.tenantwatch.config.StoreOptions;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.demo.DemoWorker;
import io.tenantwatch.health.Readiness;
import io.tenantwatch.health.StoreCheck;
import io.tenantwatch.http.AdminRoutes;
import io.tenantwatch.http.ConnectionLimits;
import io.tenantwatch.http.HttpListener;
import io.tenantwatch.http.PublicRoutes;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.node.ClusterWorkerPeers;
import io.tenantwatch.node.Membership;
import io.tenantwatch.node.NodeRelay;
import io.tenantwatch.node.ShardRouting;
import io.tenantwatch.node.ShardOwner;
import io.tenantwatch.store.ClusteredStore;
import io.tenantwatch.store.TenantStores;
import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.poll.PollerOptions;
import io.tenantwatch.poll.PollerSupervisor;
import io.tenantwatch.poll.StatePoller;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.StoreVerticle;
import io.tenantwatch.tenant.PollWatchdog;
import io.tenantwatch.tenant.SymptomReports;
import io.tenantwatch.tenant.TenantDirectory;
import io.tenantwatch.webhook.TokenVerifier;
import io.tenantwatch.webhook.TokenVerifierOptions;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerPeers;
import io.tenantwatch.worker.WorkerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine, deployed into a platform's own {@link Vertx} with one call:
 *
 * <pre>{@code
 * TenantWatch.deploy(vertx, config).onSuccess(engine -> ...);
 * }</pre>
 *
 * It deploys the store (R11: the tenants outlive a restart), the worker registry, the state poller, the tenant directory (one verticle per watched tenant),
 * the consumer of workers' symptom reports and the public and admin HTTP listeners, plus the simulator and the demo worker when the config asks
 * for them. Workers join through {@link io.tenantwatch.worker.TenantGate}. {@link #close()} stops it
 * gracefully: it drains what is in flight, then undeploys it all again, in reverse order.
 *
 * <p>A platform with its own HTTP server may serve the engine's routes there instead of (or beside) the
 * engine's listeners: with {@code http.enabled} and {@code admin.enabled} false the engine opens no port,
 * and the platform mounts {@link #publicRouter()} and {@link #adminRouter()} in its own router
 * (docs/contracts.md, "Mounted routes"):
 *
 * <pre>{@code
 * Router router = Router.router(vertx);
 * router.route("/tenantwatch/*").subRouter(engine.publicRouter());
 * router.route("/tenantwatch/*").subRouter(engine.adminRouter());
 * vertx.createHttpServer().requestHandler(router).listen(8080);
 * }</pre>
 */
public final class TenantWatch {
  private static final Logger LOG = LoggerFactory.getLogger(TenantWatch.class);

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  /** Read by the listeners on every request: true from the first moment of {@link #close()}. */
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Read by {@code /ready}: true once the listeners the config enables are bound (at once, with none). */
  private final AtomicBoolean listening = new AtomicBoolean();
  /** Read by mounted admin routes: true once the engine's parts are being undeployed. */
  private final AtomicBoolean stopped = new AtomicBoolean();
  private TenantWatchOptions options;
  /** The checks of {@code /ready}, on the engine's listener and on mounted routes alike. */
  private Readiness readiness;
  private EngineMetrics metrics;
  private Duration shutdownTimeout = Duration.ofMillis(TenantWatchOptions.DEFAULT_SHUTDOWN_TIMEOUT_MS);
  private Future<Void> closing;
  private Simulator simulator;
  private HttpListener publicListener;
  private HttpListener adminListener;
  /** Deployed before the store, so its undeploy waits for the store's last write. */
  private StoreVerticle store;
  private String storeDeployment;
  /** With {@code cluster.enabled}: deployed first, so this node stays a member until everything else is stopped. */
  private Membership membership;
  /** With {@code cluster.enabled}: the tenant store and the shard leases on the database the nodes share. */
  private ClusteredStore clusteredStore;
  private ShardOwner shardOwner;
  /** Where the listeners find a tenant: here on a single engine, on its shard's owner on a cluster node. */
  private Routing routing;
  /** With {@code cluster.enabled}: the routing, which the worker registry also reaches the other members by. */
  private ShardRouting shardRouting;
  private TokenVerifier verifier;
  private static final int MAX_PUBLIC_INSTANCES = 8;
  /**
   * Vert.x gives the servers of one Vertx that listen on the same negative port one free port to share.
   * Each engine takes its own number, far from the small ones other code uses, so that no other server
   * (a second engine, a platform's own) shares its public port and takes half of its connections.
   */
  private static final AtomicInteger SHARED_FREE_PORTS = new AtomicInteger(Integer.MIN_VALUE / 2);
  /** The store verticle's: a worker ({@link #deployStore(StoreVerticle)}). Never changed. */
  private static final DeploymentOptions STORE_DEPLOYMENT = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);

  private TenantWatch(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Validates the config (the keys of docs/contracts.md, "Configuration") and deploys the engine.
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

  /**
   * Deploys the engine with validated options and the given clock (tests pass their own).
   *
   * <p>With {@code cluster.enabled} the Vertx must be clustered (a platform passes its own as it is; the
   * runnable jar builds one with {@link io.tenantwatch.node.ClusteredVertx}), and this node must agree
   * with the current members on {@code cluster.shards}.
   *
   * @return the running engine, or a failed future with a {@link ConfigException} naming {@code store.type}
   *     when the options choose no store (a library never starts a PostgreSQL or forgets its tenants
   *     unasked), or choose {@code embedded} without its optional dependency; naming
   *     {@code cluster.enabled} when the Vertx is not clustered; naming {@code cluster.shards} when a
   *     member has another shard count
   */
  public static Future<TenantWatch> deploy(Vertx vertx, TenantWatchOptions options, Clock clock) {
    try {
      options.store().checkChosen();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    TenantWatch engine = new TenantWatch(vertx);
    return engine.start(options, clock)
        .map(engine)
        .recover(failure -> engine.close().transform(closed -> Future.failedFuture(failure)));
  }

  /** The engine's parts, deployed in this order and undeployed in the reverse one. */
  private Future<Void> start(TenantWatchOptions options, Clock clock) {
    this.options = options;
    shutdownTimeout = options.shutdownTimeout();
    metrics = EngineMetrics.forVertx(vertx, clock);
    readiness = Readiness.of(listening::get, storeCheck(options), options.stateApi().requestTimeout(), clock);
    if (options.cluster().enabled()) {
      readiness = readiness.withMembership(() -> membership != null && membership.holdsMembership());
    }
    return deployMembership(options, clock)
        .compose(v -> deployStore(options, clock))
        .compose(v -> deploySimulator(options.simulator(), clock))
        .compose(simulatorUrl -> deployPolling(options, options.stateApiBaseUrl(simulatorUrl), clock))
        .compose(v -> deployWorkers(options, clock))
        .compose(v -> deployTenants(options, clock))
        .compose(v -> createVerifier(options, clock))
        .compose(v -> deployPublicListener(options))
        .compose(v -> deployAdminListener(options))
        .onSuccess(v -> listening.set(true))
        .compose(v -> aimSimulatorAtWebhook(options));
  }

  /** First, with {@code cluster.enabled}: a node that disagrees with the members on the shards stops here. */
  private Future<Void> deployMembership(TenantWatchOptions options, Clock clock) {
    if (!options.cluster().enabled()) {
      return Future.succeededFuture();
    }
    membership = new Membership(options.cluster(), clock);
    // The relay right after: the other members' registries may speak to this node's as soon as it starts.
    return deploy(membership).compose(v -> deploy(new NodeRelay(options.cluster().nodeId())));
  }

  /** Before everything but the membership, so that it is undeployed after them: it writes the tenants' last changes as the engine stops. */
  private Future<Void> deployStore(TenantWatchOptions options, Clock clock) {
    if (options.cluster().enabled()) {
      ClusterOptions cluster = options.cluster();
      return TenantStores.clustered(vertx, options.store().url(), System.getenv(StoreOptions.PASSWORD_VARIABLE),
              cluster.nodeId(), cluster.shards())
          .compose(opened -> {
            clusteredStore = opened;
            // Made here, deployed with the tenants: the registry and the listeners route by its view of the owners.
            shardOwner = new ShardOwner(cluster, opened.leases(), membership, System::nanoTime, metrics);
            shardRouting = new ShardRouting(vertx, shardOwner::owners, cluster);
            routing = shardRouting;
            return deployStore(new StoreVerticle(v -> Future.succeededFuture(opened.tenants()), clock, metrics));
          });
    }
    routing = Routing.local(vertx);
    return deployStore(StoreVerticle.of(options.store(), clock, metrics));
  }

  /**
   * On a worker thread: making the directory's changes into JSON, folding them and encoding a write of up to
   * {@code WRITE_BATCH} snapshots take milliseconds at a time, and on an event loop they held up whatever else
   * that loop serves (tenants, the worker registry, a listener); nothing waits on the store but the directory's
   * next batch.
   */
  private Future<Void> deployStore(StoreVerticle verticle) {
    store = verticle;
    return vertx.deployVerticle(store, STORE_DEPLOYMENT).onSuccess(id -> {
      storeDeployment = id;
      deployments.add(id);
    }).mapEmpty();
  }

  /** The embedded fake SuperOffice, when enabled; the future holds its state-API URL, or null. */
  private Future<String> deploySimulator(SimulatorSection section, Clock clock) {
    if (!section.enabled()) {
      return Future.succeededFuture(null);
    }
    simulator = new Simulator(SimulatorOptions.defaults().withPort(section.port())
        .withTenants(section.tenants()).withSeed(section.seed()), clock);
    return deploy(simulator).map(v -> simulator.stateApiBaseUrl());
  }

  /** The state poller, under a supervisor that replaces it should it fail. */
  private Future<Void> deployPolling(TenantWatchOptions options, String baseUrl, Clock clock) {
    LOG.info("state API at {}", baseUrl);
    PollerOptions poller = PollerOptions.from(options.stateApi(), baseUrl);
    Predicate<String> runsHere = shardOwner == null ? tenant -> true : shardOwner::runsInTime;
    return deploy(new PollerSupervisor(() -> new StatePoller(poller, clock, metrics, runsHere),
        PollerSupervisor.DEFAULT_CHECK_EVERY));
  }

  /** The registry that delivers commands to the workers, and the demo worker when asked for. */
  private Future<Void> deployWorkers(TenantWatchOptions options, Clock clock) {
    WorkerPeers peers = shardOwner == null ? WorkerPeers.NONE
        : new ClusterWorkerPeers(shardRouting, membership, shardOwner);
    return deploy(new WorkerRegistry(DeliveryPolicy.DEFAULT, clock, metrics, peers))
        .compose(v -> options.demoWorker() ? deploy(new DemoWorker(metrics.registry())) : Future.succeededFuture());
  }

  /** The directory, which restores the stored tenants and starts one verticle per watched tenant. */
  private Future<Void> deployTenants(TenantWatchOptions options, Clock clock) {
    StateApiOptions stateApi = options.stateApi();
    PollWatchdog watchdog = PollWatchdog.forRequestTimeout(stateApi.requestTimeout());
    // The workers' reports once the tenants they go to run: undeployed before them.
    if (!options.cluster().enabled()) {
      return deploy(TenantDirectory.stored(machine(stateApi)::apply, clock, watchedAtStart(options), watchdog,
              metrics.tenants()))
          .compose(v -> deploy(new SymptomReports(routing, metrics)));
    }
    // The shard owner after the directory, so that it is undeployed first: its stop hands every shard over.
    return deploy(TenantDirectory.clustered(machine(stateApi)::apply, clock, watchedAtStart(options), watchdog,
            metrics.tenants(), options.cluster().shards()))
        .compose(v -> deploy(shardOwner))
        .compose(v -> deploy(new SymptomReports(routing, metrics)));
  }

  private Future<Void> createVerifier(TenantWatchOptions options, Clock clock) {
    // The simulator signs with its own key; it is trusted only while the simulator runs.
    List<String> simulatorKeys = simulator == null ? List.of() : List.of(simulator.signer().publicKeyPem());
    List<String> simulatorIssuers = simulator == null ? List.of() : List.of(Simulator.ISSUER);
    return TokenVerifier.create(vertx,
            TokenVerifierOptions.from(options.webhook(), simulatorKeys, simulatorIssuers, clock))
        .onSuccess(created -> verifier = created)
        .mapEmpty();
  }

  private Future<Void> deployAdminListener(TenantWatchOptions options) {
    if (!options.admin().enabled()) {
      LOG.info("admin.enabled is false: no admin listener; the platform mounts adminRouter() in its own server");
      return Future.succeededFuture();
    }
    Duration pollTimeout = options.stateApi().pollNowWait();
    adminListener = new HttpListener("admin", options.admin().host(), options.admin().port(),
        v -> AdminRoutes.create(v, routing, options.admin(), pollTimeout, draining::get, metrics),
        ConnectionLimits.of("admin", options.admin().limits(), metrics));
    return deploy(adminListener).onSuccess(ok -> {
      LOG.info("admin listener on http://{}:{} (/admin/tenants, /admin/events, /metrics)",
          options.admin().host(), adminListener.actualPort());
    });
  }

  /**
   * Once the webhook listens, the simulator sends its notifications there. Without the engine's own
   * public listener the platform knows where it mounted the webhook and tells the simulator itself
   * ({@code engine.simulator().get().sendNotificationsTo(url)}).
   */
  private Future<Void> aimSimulatorAtWebhook(TenantWatchOptions options) {
    if (simulator != null && publicListener == null) {
      LOG.info("http.enabled is false: the simulator sends no notifications until told where the webhook is "
          + "mounted (simulator().get().sendNotificationsTo(url))");
    } else if (simulator != null) {
      String host = isWildcard(options.http().host()) ? Simulator.HOST : options.http().host();
      simulator.sendNotificationsTo("http://" + host + ":" + httpPort() + options.webhook().path());
    }
    return Future.succeededFuture();
  }

  /**
   * The public listener runs one instance per event loop (up to the cores), all sharing one port, so
   * verifying a burst of notification tokens does not queue on a single event loop.
   */
  private Future<Void> deployPublicListener(TenantWatchOptions options) {
    if (!options.http().enabled()) {
      LOG.info("http.enabled is false: no public listener; the platform mounts publicRouter() in its own server");
      return Future.succeededFuture();
    }
    String host = options.http().host();
    Function<Vertx, Router> routes = v -> PublicRoutes.create(v, routing, options.webhook(), verifier,
        draining::get, metrics, readiness);
    int instances = Math.min(MAX_PUBLIC_INSTANCES, Runtime.getRuntime().availableProcessors());
    // Vert.x shares a port between instances only when they ask for the same one; for "any free port"
    // (0) a negative port is its way to say "a free port, the same for every instance of this listener".
    int port = options.http().port() == 0 ? SHARED_FREE_PORTS.getAndIncrement() : options.http().port();
    List<HttpListener> created = new ArrayList<>();
    // One object for every instance: http.maxConnections caps the listener, not each event loop.
    ConnectionLimits limits = ConnectionLimits.of("public", options.http().limits(), metrics);
    return vertx.deployVerticle(() -> {
          HttpListener listener = new HttpListener("public", host, port, routes, limits);
          synchronized (created) {
            created.add(listener);
          }
          return listener;
        }, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> {
          deployments.add(id);
          publicListener = created.get(0);
          LOG.info("public listener on http://{}:{} ({} event loops; webhook at {})", host,
              publicListener.actualPort(), instances, options.webhook().path());
        })
        .mapEmpty();
  }

  /** The memory store lives in the engine's heap; a durable one answers {@link StoreCheck#ADDRESS}. */
  private static StoreCheck storeCheck(TenantWatchOptions options) {
    return options.store().type().equals(StoreOptions.MEMORY) ? StoreCheck.memory()
        : StoreCheck.onBus(options.stateApi().requestTimeout());
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** The configured tenants (without duplicates: the options refuse them), and the simulator's. */
  private Collection<String> watchedAtStart(TenantWatchOptions options) {
    if (simulator == null) {
      return options.tenants();
    }
    Set<String> tenants = new LinkedHashSet<>(options.tenants());
    tenants.addAll(simulator.tenantIds());
    return tenants;
  }

  private static TenantMachine machine(StateApiOptions stateApi) {
    return new TenantMachine(stateApi.pollSettings(), () -> ThreadLocalRandom.current().nextDouble());
  }

  private Future<Void> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
  }

  /**
   * Stops the engine gracefully: from this moment the webhook answers 503 {@code shutting-down} (with
   * {@code Retry-After}) and no new poll starts; the polls in flight finish, the tenants handle their
   * results and the worker registry delivers the commands they made, for at most half of
   * {@code shutdownTimeoutMs}; then every part is undeployed, newest first, the store last: its last
   * write has the other half, and past it the store gives up on what it could not write (logged at ERROR
   * with the number of tenants). Calling it again returns the same future.
   */
  public synchronized Future<Void> close() {
    if (closing == null) {
      draining.set(true);
      // The drain has half the time; the store's last write, which ends the undeploy, has the other half.
      Duration half = shutdownTimeout.dividedBy(2);
      closing = new GracefulStop(vertx, half).drain()
          .transform(drained -> StoreVerticle.stopWithin(vertx, half))
          .transform(told -> undeploy());
    }
    return closing;
  }

  private Future<Void> undeploy() {
    stopped.set(true);
    if (verifier != null) {
      verifier.close();
    }
    listening.set(false);
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      // A store that gave up on its last write may still hold its undeploy (a pool whose connections wait
      // on a PostgreSQL that hangs closes only once it answers): the stop does not wait for that.
      boolean isStore = id.equals(storeDeployment);
      chain = chain.transform(ignored -> isStore
          ? Future.any(vertx.undeploy(id), store.gaveUp()).<Void>mapEmpty()
          : vertx.undeploy(id));
    }
    deployments.clear();
    return chain.transform(undeployed -> clusteredStore == null ? Future.succeededFuture()
            : clusteredStore.leases().close().recover(e -> Future.succeededFuture()))
        .onComplete(undeployed -> {
          if (metrics != null) {
            metrics.close();
          }
        });
  }

  /**
   * The public listener's port (the webhook and {@code /health}).
   *
   * @throws IllegalStateException when {@code http.enabled} is false: the engine opened no public listener
   */
  public int httpPort() {
    if (publicListener == null) {
      throw new IllegalStateException("the engine has no public listener (http.enabled is false): its routes "
          + "are served where the platform mounted publicRouter()");
    }
    return publicListener.actualPort();
  }

  /**
   * The admin listener's port.
   *
   * @throws IllegalStateException when {@code admin.enabled} is false: the engine opened no admin listener
   */
  public int adminPort() {
    if (adminListener == null) {
      throw new IllegalStateException("the engine has no admin listener (admin.enabled is false): its routes "
          + "are served where the platform mounted adminRouter()");
    }
    return adminListener.actualPort();
  }

  /**
   * A new router with the public listener's routes, {@code GET /health}, {@code GET /ready} and
   * {@code POST {webhook.path}}, for a platform to mount in its own server, at the root or under a prefix:
   * {@code router.route("/*").subRouter(engine.publicRouter())} or
   * {@code router.route("/tenantwatch/*").subRouter(engine.publicRouter())}. Each call builds a new router
   * on the engine's {@link Vertx}, so a platform with several server instances (one per event loop) calls
   * it for each of their routers.
   *
   * <p>What the routes judge stays in force: the webhook's 415, 413 ({@code webhook.maxBodyBytes}), 400
   * and 401, and from the first moment of {@link #close()} on the 503 {@code shutting-down} of every
   * route, which lasts once the engine has stopped. What a connection may take ({@code http.idleTimeoutMs},
   * {@code http.requestTimeoutMs}, {@code http.maxConnections}) belongs to the server: the platform sets
   * it on its own (an idle timeout and connection cap in its {@code HttpServerOptions}); the engine's
   * values apply to its own listener only. Only failures of these routes' paths are answered by their
   * JSON error; unknown paths get the platform router's own 404.
   */
  public Router publicRouter() {
    return PublicRoutes.mounted(vertx, routing, options.webhook(), verifier, draining::get, metrics, readiness);
  }

  /**
   * A new router with the admin listener's routes ({@code /admin/...}, {@code /metrics} and the dashboard
   * at {@code /admin/}), for a platform to mount in its own server:
   * {@code router.route("/*").subRouter(engine.adminRouter())}, or under a prefix, which the dashboard
   * supports (its links are relative): {@code router.route("/ops/tenantwatch/*").subRouter(...)} serves it
   * at {@code /ops/tenantwatch/admin/}. Each call builds a new router, as {@link #publicRouter()} does.
   *
   * <p>The admin token, the {@code Origin} check and a {@code Host} check stay in force. The {@code Host}
   * check accepts {@code localhost}, {@code 127.0.0.1} and {@code [::1]} with the port the request came in
   * on (the platform server's), and the names of {@code admin.allowedHosts}; without {@code admin.token}
   * only requests that came in on a loopback address are answered. The per-connection limits
   * ({@code admin.idleTimeoutMs}, {@code admin.requestTimeoutMs}, {@code admin.maxConnections}) are the
   * platform server's to set; the event stream still sends its keep-alive every third of
   * {@code admin.idleTimeoutMs} (at most 15 s), so set that to the server's idle timeout. Once the engine
   * has stopped, every route answers 503 {@code shutting-down} and open event streams end.
   */
  public Router adminRouter() {
    return AdminRoutes.mounted(vertx, routing, options.admin(), options.stateApi().pollNowWait(), draining::get,
        stopped::get, metrics);
  }

  /**
   * The registry holding the engine's meters (and Vert.x's own, when this Vert.x was started with
   * Micrometer metrics on a Prometheus registry): {@code GET /metrics} renders it.
   */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** This node's shards and their leases, with {@code cluster.enabled}; empty on a single node. */
  public Optional<ShardOwner> shardOwner() {
    return Optional.ofNullable(shardOwner);
  }

  /** This node's view of the cluster's members, with {@code cluster.enabled}; empty on a single node. */
  public Optional<Membership> membership() {
    return Optional.ofNullable(membership);
  }

  /** The embedded simulator, when the config enabled it. */
  public Optional<Simulator> simulator() {
    return Optional.ofNullable(simulator);
  }
}
