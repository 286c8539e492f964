package io.tenantwatch.http;


import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.bus.ShardMoving;
import io.tenantwatch.config.AdminOptions;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.tenant.DirectoryMessages;
import io.tenantwatch.tenant.TenantMessages;
import io.tenantwatch.tenant.WatchOrigin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.Optional;
import java.util.Set;

/**
 * The admin listener's routes (docs/contracts.md, "The admin listener"). Built by {@link #create} for the engine and
 * for tests alike. Every route only talks to the directory, the tenants and the registry over the bus.
 *
 * <p>{@code GET /metrics} needs the admin token like every other route of this listener (a Prometheus
 * scrape config sends it with {@code authorization: {credentials_file: ...}}); {@code GET /admin/events}
 * also takes it as {@code ?token=}, since a browser's {@code EventSource} cannot send a header.
 */
public final class AdminRoutes {
  private static final String EVENTS_PATH = "/admin/events";
  /** Every path of these routes, as route paths ({@code /admin/*} takes {@code /admin} too). */
  private static final List<String> OWN_PATHS = List.of("/admin/*", "/metrics");
  private static final DeliveryOptions REQUEST = new DeliveryOptions();
  private final Vertx vertx;
  private final Routing routing;
  private final DeliveryOptions pollDelivery;
  private final BooleanSupplier draining;

  private AdminRoutes(Vertx vertx, Routing routing, Duration pollTimeout, BooleanSupplier draining) {
    this.vertx = vertx;
    this.routing = routing;
    this.pollDelivery = new DeliveryOptions().setSendTimeout(pollTimeout.toMillis());
    this.draining = draining;
  }

  /** The routes of an engine that is not shutting down. */
  public static Router create(Vertx vertx, String token, Duration pollTimeout) {
    return create(vertx, token, pollTimeout, () -> false);
  }

  /**
   * @param token the admin bearer token, or null for none (only allowed on loopback; config checks that)
   * @param pollTimeout how long {@code POST /admin/tenants/{ctx}/poll} waits before answering 504
   * @param draining true once the engine is shutting down: the routes that change or poll something
   *     then answer 503 {@code {"error":"shutting-down"}}; the listings still answer
   */
  public static Router create(Vertx vertx, String token, Duration pollTimeout, BooleanSupplier draining) {
    return create(vertx, token, pollTimeout, draining, EngineMetrics.unscraped());
  }

  /** @param metrics what {@code GET /metrics} shows, and where the event stream counts its clients and drops */
  public static Router create(Vertx vertx, String token, Duration pollTimeout, BooleanSupplier draining,
      EngineMetrics metrics) {
    return create(vertx, token, pollTimeout, draining, metrics,
        new EventStream(vertx, metrics, EventStream.KEEP_ALIVE, EventStream.MAX_QUEUED_BYTES));
  }

  /**
   * The engine's admin routes for the listener {@code admin} describes: its token, and the names a
   * request's {@code Host} and a state-changing request's {@code Origin} may carry.
   */
  public static Router create(Vertx vertx, AdminOptions admin, Duration pollTimeout, BooleanSupplier draining,
      EngineMetrics metrics) {
    return create(vertx, Routing.local(vertx), admin, pollTimeout, draining, metrics);
  }

  /** As above, with the engine's {@link Routing}: on a cluster node the routes answer for the whole cluster. */
  public static Router create(Vertx vertx, Routing routing, AdminOptions admin, Duration pollTimeout,
      BooleanSupplier draining, EngineMetrics metrics) {
    return create(vertx, routing, admin.token(), pollTimeout, draining, metrics,
        new EventStream(vertx, routing, metrics, EventStream.keepAliveWithin(admin.limits().idleTimeout()),
            EventStream.MAX_QUEUED_BYTES, () -> false),
        AdminHostGuard.forListener(admin.host(), admin.allowedHosts()));
  }

  /**
   * The engine's admin routes for a platform to mount in its own router (docs/contracts.md, "Mounted
   * routes"): the same routes, token and {@code Origin} check as {@link #create(Vertx, AdminOptions,
   * Duration, BooleanSupplier, EngineMetrics) the listener's}, with the {@code Host} check of
   * {@link AdminHostGuard#forMountedRoutes}. Its handlers, the failure handler included, only take the
   * engine's paths ({@code /admin}, {@code /admin/...}, {@code /metrics}), so it may be mounted at
   * {@code /*} beside the platform's own routes without judging theirs.
   *
   * @param stopped true once the engine has stopped: every route then answers 503 {@code shutting-down},
   *     and open event streams end, since the platform's server outlives the engine
   */
  public static Router mounted(Vertx vertx, Routing routing, AdminOptions admin, Duration pollTimeout,
      BooleanSupplier draining, BooleanSupplier stopped, EngineMetrics metrics) {
    EventStream events = new EventStream(vertx, routing, metrics,
        EventStream.keepAliveWithin(admin.limits().idleTimeout()), EventStream.MAX_QUEUED_BYTES, stopped);
    return create(vertx, routing, admin.token(), pollTimeout, draining, metrics, events,
        AdminHostGuard.forMountedRoutes(admin.allowedHosts(), admin.requiresToken()), stopped);
  }

  static Router create(Vertx vertx, String token, Duration pollTimeout, BooleanSupplier draining,
      EngineMetrics metrics, EventStream events) {
    return create(vertx, Routing.local(vertx), token, pollTimeout, draining, metrics, events,
        AdminHostGuard.forListener(AdminOptions.DEFAULT_HOST, List.of()));
  }

  private static Router create(Vertx vertx, Routing routing, String token, Duration pollTimeout,
      BooleanSupplier draining, EngineMetrics metrics, EventStream events, AdminHostGuard hosts) {
    Router router = Router.router(vertx);
    // First of all: a web page that reached this listener learns nothing and changes nothing.
    router.route().handler(hosts);
    addRoutes(router, vertx, routing, token, pollTimeout, draining, metrics, events);
    return ErrorResponses.install(router);
  }

  /** Mounted: the guards take only the engine's paths, first the Host check, then the stopped engine's 503. */
  private static Router create(Vertx vertx, Routing routing, String token, Duration pollTimeout,
      BooleanSupplier draining, EngineMetrics metrics, EventStream events, AdminHostGuard hosts,
      BooleanSupplier stopped) {
    Router router = Router.router(vertx);
    ShuttingDown gone = new ShuttingDown(stopped);
    for (String path : OWN_PATHS) {
      router.route(path).handler(hosts).handler(gone);
    }
    addRoutes(router, vertx, routing, token, pollTimeout, draining, metrics, events);
    return ErrorResponses.installOn(router, OWN_PATHS);
  }

  private static void addRoutes(Router router, Vertx vertx, Routing routing, String token, Duration pollTimeout,
      BooleanSupplier draining, EngineMetrics metrics, EventStream events) {
    AdminRoutes routes = new AdminRoutes(vertx, routing, pollTimeout, draining);
    ShuttingDown shuttingDown = new ShuttingDown(draining);
    // Before the bearer check: the page holds nothing secret.
    DashboardRoutes.install(router);
    BearerAuth auth = token == null ? null : new BearerAuth(token, Set.of(EVENTS_PATH));
    if (auth != null) {
      router.route("/admin/*").handler(auth);
      router.get("/metrics").handler(auth);
    }
    router.get("/admin/tenants").handler(routes::list);
    router.post("/admin/tenants/poll").handler(shuttingDown).handler(routes::repollAll);
    router.get("/admin/tenants/:ctx").handler(routes::view);
    router.put("/admin/tenants/:ctx").handler(shuttingDown).handler(routes::watch);
    router.delete("/admin/tenants/:ctx").handler(shuttingDown).handler(routes::unwatch);
    router.post("/admin/tenants/:ctx/poll").handler(shuttingDown).handler(routes::pollNow);
    router.get("/admin/workers").handler(routes::workers);
    router.get("/admin/cluster").handler(routes::cluster);
    router.get(EVENTS_PATH).handler(events::open);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
  }

  private void list(RoutingContext ctx) {
    Integer stateCode = stateFilter(ctx.queryParams().get("state"));
    Boolean running = runningFilter(ctx.queryParams().get("running"));
    List<Integer> moving = routing.movingShards();
    answer(ctx, everyNode(Addresses.DIRECTORY, DirectoryMessages.list(stateCode, running))
        .compose(ClusterAnswers::tenants).map(list -> ClusterAnswers.withMoving(list, moving))
        .recover(this::translate), 200);
  }

  private void repollAll(RoutingContext ctx) {
    answer(ctx, everyNode(Addresses.DIRECTORY, DirectoryMessages.repollAll())
        .compose(ClusterAnswers::scheduled).recover(this::translate), 202);
  }

  private void view(RoutingContext ctx) {
    String tenant = tenant(ctx);
    answer(ctx, ifWatched(tenant).compose(v -> tenantRequest(tenant, TenantMessages.of(TenantMessages.VIEW),
        REQUEST)), 200);
  }

  private void watch(RoutingContext ctx) {
    String tenant = tenant(ctx);
    directory(tenant, DirectoryMessages.watch(tenant, WatchOrigin.ADMIN))
        .compose(reply -> tenantRequest(tenant, TenantMessages.of(TenantMessages.VIEW), REQUEST)
            .onSuccess(view -> json(ctx, reply.getBoolean("created") ? 201 : 200, view)))
        .onFailure(ctx::fail);
  }

  private void unwatch(RoutingContext ctx) {
    String tenant = tenant(ctx);
    directory(tenant, DirectoryMessages.unwatch(tenant))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void pollNow(RoutingContext ctx) {
    String tenant = tenant(ctx);
    ifWatched(tenant)
        .compose(v -> tenantRequest(tenant, TenantMessages.of(TenantMessages.POLL_NOW), pollDelivery))
        .onSuccess(answer -> {
          if (answer.getBoolean("ok", false)) {
            json(ctx, 200, answer.getJsonObject("view"));
            return;
          }
          JsonObject failure = answer.getJsonObject("failure");
          boolean timeout = "timeout".equals(failure.getString("kind"));
          ctx.fail(new HttpError(timeout ? 504 : 502, timeout ? "state-api-timeout" : "state-api-failed",
              timeout ? "the state API did not answer in time" : "the poll failed: " + failure.getString("detail")));
        })
        .onFailure(ctx::fail);
  }

  private void workers(RoutingContext ctx) {
    String tenant = ctx.queryParams().get("tenant");
    if (tenant != null && !ContextId.isValid(tenant)) {
      ctx.fail(badContextIdentifier());
      return;
    }
    answer(ctx, everyNode(Addresses.WORKERS_LIST, tenant == null ? new JsonObject() : new JsonObject().put("tenant", tenant))
        .compose(ClusterAnswers::workers).recover(this::translate), 200);
  }

  /** The members, the shards each runs and its tenants, and every shard's lease; 404 on a single engine. */
  private void cluster(RoutingContext ctx) {
    answer(ctx, vertx.eventBus().<JsonObject>request(Addresses.CLUSTER, new JsonObject())
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(RestartingTenant.noVerticle(failure)
            ? new HttpError(404, "not-a-cluster", "this engine is a single node (cluster.enabled is false)")
            : failure))
        .compose(view -> everyNode(Addresses.DIRECTORY, DirectoryMessages.count())
            .map(counts -> ClusterAnswers.withTenantCounts(view, counts))), 200);
  }

  private Future<Void> ifWatched(String tenant) {
    return directory(tenant, DirectoryMessages.contains(tenant)).compose(reply -> reply.getBoolean("watched")
        ? Future.succeededFuture()
        : Future.failedFuture(HttpError.notFound("tenant " + tenant + " is not watched")));
  }

  private Future<List<Routing.NodeAnswer>> everyNode(String address, JsonObject request) {
    return routing.toEveryNode(address, request, REQUEST);
  }

  /** A request to the directory of the node that runs the tenant. */
  private Future<JsonObject> directory(String tenant, JsonObject request) {
    return routing.toOwner(tenant, Addresses.DIRECTORY, request, REQUEST)
        .map(Routing.Routed::body).recover(this::translate);
  }

  /**
   * A request to a tenant's verticle, wherever it runs; its answer (a view) names the node as {@code owner}.
   * One watched but waiting for its restart answers 503 with Retry-After.
   */
  private Future<JsonObject> tenantRequest(String tenant, JsonObject request, DeliveryOptions options) {
    return routing.toOwner(tenant, Addresses.tenant(tenant), request, options)
        .map(routed -> withOwner(routed.body(), routed.node()))
        .recover(failure -> draining.getAsBoolean() || !RestartingTenant.noVerticle(failure) ? translate(failure)
            : RestartingTenant.ask(routing, tenant).compose(restarting -> restarting.isPresent()
                ? Future.failedFuture(restarting.get()) : translate(failure)));
  }

  /** A tenant's view, or a poll's answer holding one, with the node that runs the tenant. */
  private static JsonObject withOwner(JsonObject answer, String node) {
    JsonObject view = answer.getValue("view") instanceof JsonObject nested ? nested : answer;
    if (view.containsKey("tenant")) {
      view.put("owner", node);
    }
    return answer;
  }

  /** Turns a bus failure into the HTTP answer that fits it. */
  private <T> Future<T> translate(Throwable failure) {
    if (failure instanceof ShardMoving moving) {
      return Future.failedFuture(HttpError.unavailable(ShardMoving.CODE, moving.getMessage(),
          moving.retryAfterSeconds()));
    }
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return Future.failedFuture(new HttpError(504, "state-api-timeout", "the state API did not answer in time"));
      }
      if (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureCode() == Failures.NOT_WATCHED) {
        return Future.failedFuture(HttpError.notFound("the tenant is not watched"));
      }
      if (reply.failureCode() == Failures.UNAVAILABLE) {
        return Future.failedFuture(draining.getAsBoolean() ? ShuttingDown.unavailable() : RestartingTenant.error(0));
      }
      if (reply.failureCode() == 400) {
        return Future.failedFuture(HttpError.badRequest("bad-request", reply.getMessage()));
      }
    }
    return Future.failedFuture(failure);
  }

  private static String tenant(RoutingContext ctx) {
    String tenant = ctx.pathParam("ctx");
    if (!ContextId.isValid(tenant)) {
      throw badContextIdentifier();
    }
    return tenant;
  }

  private static HttpError badContextIdentifier() {
    return HttpError.badRequest("bad-context-identifier",
        "a context identifier is 'Cust' followed by 1 to 12 digits, for example Cust12345");
  }

  private static Integer stateFilter(String state) {
    if (state == null) {
      return null;
    }
    Optional<TenantState> byName = TenantState.byName(state);
    Optional<TenantState> found = byName.isPresent() || !state.matches("[0-9]{1,2}")
        ? byName : TenantState.byCode(Integer.parseInt(state));
    return found.map(TenantState::code).orElseThrow(() -> HttpError.badRequest("bad-state",
        "state must be a SuperOffice state name or code, for example Running or 2"));
  }

  private static Boolean runningFilter(String running) {
    if (running == null) {
      return null;
    }
    if (!running.equals("true") && !running.equals("false")) {
      throw HttpError.badRequest("bad-running", "running must be true or false");
    }
    return Boolean.valueOf(running);
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> body, int status) {
    body.onSuccess(json -> json(ctx, status, json)).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
