package io.tenantwatch.simulator;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.webhook.NotificationSigner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A small fake SuperOffice state API for the demo, the tests and the benchmarks. It serves
 * {@code GET /api/state/{ctx}} in the real API's shape on 127.0.0.1 only, and its tenants either walk
 * seeded {@link Scenario scenarios} or stay Running until a caller changes them.
 *
 * <p>It also serves each tenant's own API, on the same port ({@link SimulatedTenantApi}): the served
 * {@code Api} is {@code http://127.0.0.1:<port>/hosts/<host>/<ctx>/api}, with the host the tenant lives
 * on as a path segment so hosts can be told apart on loopback. It answers 200 while the tenant runs, 503
 * while it is down, and 421 "Wrong subdomain used to access tenant" on a host where the tenant does not
 * live (any more); {@link #tenantCalls} counts the answers. The served {@code Endpoint} stays SuperOffice's
 * {@code https://<host>/<ctx>}: no worker calls it, and the engine confirms a Move notification by the
 * host of the polled endpoint ({@code PublicEndpoint} is a bare host such as {@code sod3.superoffice.com}),
 * which the loopback api could not show.
 *
 * <p>All tenant state lives on the simulator's event loop. The control methods may be called from any
 * thread: they hop onto that loop and complete their future once the change is in force, so the next
 * request sees it. A control call on a scripted tenant takes it off its script for good, so a test's
 * setting is never overwritten by the next scenario step. The counters may be read from any thread.
 *
 * <p>It also sends SuperOffice's state-change notifications, in SuperOffice's body and signed with a key
 * of its own ({@link #signer()}), to one webhook on this machine once {@link #sendNotificationsTo} names
 * it: scripted tenants announce their changes as SuperOffice does (see {@link Scenario}), and
 * {@link #notify} sends one on demand.
 */
public final class Simulator extends VerticleBase {
  /** The only interface the simulator listens on. */
  public static final String HOST = "127.0.0.1";
  public static final String STATE_PATH = "/api/state/";
  /** The {@code ValidUntil} horizon while a scripted tenant is in a transitional phase. */
  public static final Duration TRANSITIONAL_VALIDITY = Duration.ofSeconds(3);
  /** One timer advances every tenant whose step is due, so 100,000 tenants cost one timer. */
  static final Duration TICK = Duration.ofMillis(250);
  /** Beyond this many tenants the scenario story is logged at DEBUG, not to drown a benchmark's log. */
  static final int STORY_AT_INFO_LIMIT = 1_000;
  /** The {@code iss} of the simulator's notification tokens. */
  public static final String ISSUER = "tenantwatch-simulator";

  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
  static final String JSON = "application/json; charset=utf-8";

  private final SimulatorOptions options;
  private final Clock clock;
  private final Map<String, SimulatedTenant> tenants = new ConcurrentHashMap<>();
  private final NotificationSigner signer;
  private final NotificationSender sender;
  private final ScenarioSchedule schedule;
  private final RequestCounts counts = new RequestCounts();
  private final TenantCallCounts calls = new TenantCallCounts();
  /** {@code http://127.0.0.1:<port>} once listening: where the tenants' own APIs are served. */
  private volatile String apiOrigin;
  private volatile Duration validity;
  /** When set, every answer carries this very ValidUntil instead of one {@code validity} ahead. */
  private volatile Instant fixedValidUntil;
  private volatile HttpServer server;
  private long tickTimer = -1;

  /**
   * @param options ports, tenants, seed and script
   * @param clock drives {@code ValidUntil}, the scenario schedule and the per-second counters
   *     ({@code Clock.systemUTC()} in the demo, a fixed clock in tests) and the notification tokens
   */
  public Simulator(SimulatorOptions options, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.validity = Duration.ofMillis(options.validityMs());
    Level storyLevel = options.tenants() <= STORY_AT_INFO_LIMIT ? Level.INFO : Level.DEBUG;
    this.signer = NotificationSigner.generate(clock, ISSUER);
    this.sender = new NotificationSender(signer, storyLevel);
    this.schedule = new ScenarioSchedule(storyLevel, clock, tenants, sender);
  }

  @Override
  public Future<?> start() {
    sender.open(vertx);
    Router router = Router.router(vertx);
    router.get(STATE_PATH + ":ctx").handler(this::answer);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(options.port(), HOST)
        .onSuccess(listening -> {
          server = listening;
          // The tenants' api URLs carry the port, known only now (port 0); nobody knows it to call before.
          apiOrigin = "http://" + HOST + ":" + listening.actualPort();
          new SimulatedTenantApi(apiOrigin, tenants, calls).mount(router);
          populate();
          if (options.scripted()) {
            tickTimer = vertx.setPeriodic(TICK.toMillis(), id -> schedule.advanceDue(clock.millis()));
          }
          LOG.info("simulator: {} tenants from {} at {}, their own APIs under {} ({}, seed {})",
              options.tenants(), options.tenantId(0), stateApiBaseUrl(), apiOrigin + SimulatedTenantApi.HOSTS_PATH,
              options.scripted() ? "scripted" : "unscripted", options.seed());
        });
  }

  @Override
  public Future<?> stop() {
    if (tickTimer != -1) {
      vertx.cancelTimer(tickTimer);
    }
    sender.close();
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port actually listened on (useful with port 0). */
  public int port() {
    HttpServer listening = server;
    if (listening == null) {
      throw new IllegalStateException("the simulator is not listening yet");
    }
    return listening.actualPort();
  }

  /** The base URL to configure as {@code stateApi.baseUrl}: {@code http://127.0.0.1:<port>/api/state/}. */
  public String stateApiBaseUrl() {
    return "http://" + HOST + ":" + port() + STATE_PATH;
  }

  /** The tenants the simulator knows now, in numeric order. */
  public List<String> tenantIds() {
    return tenants.keySet().stream()
        .sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  /** The scenario a tenant was given at start, empty for an unknown, added or unscripted tenant. */
  public Optional<Scenario> scenarioOf(String ctx) {
    SimulatedTenant tenant = ctx == null ? null : tenants.get(ctx);
    return tenant == null ? Optional.empty() : Optional.ofNullable(tenant.scenario());
  }

  /**
   * The api base the simulator serves for this tenant while it lives on this host:
   * {@code http://127.0.0.1:<port>/hosts/<host>/<ctx>/api}, without a trailing slash, as SuperOffice's
   * {@code Api} (calls go to {@code <api>/v1/...}). Pass it to {@link #setStatus} to move a tenant by hand.
   *
   * @throws IllegalArgumentException for a context identifier that is not {@code Cust} and digits, or a
   *     host that is not a bare host name
   * @throws IllegalStateException before the simulator listens
   */
  public String tenantApiUrl(String host, String ctx) {
    ContextId.require(ctx);
    if (!NotificationSender.isBareHost(host)) {
      throw new IllegalArgumentException("a tenant's host is a bare host name, such as sod3.superoffice.com");
    }
    String origin = apiOrigin;
    if (origin == null) {
      throw new IllegalStateException("the simulator is not listening yet");
    }
    return SimulatedTenant.apiOn(origin, host, ctx);
  }

  // ---- notifications ----

  /** The key the simulator signs its notifications with; the engine trusts its public key while the simulator runs. */
  public NotificationSigner signer() {
    return signer;
  }

  /**
   * Sends notifications to this webhook from now on, scripted ones included (until then they are
   * skipped). Only plain HTTP to 127.0.0.1 or localhost is accepted: the simulator never talks
   * off-machine.
   *
   * @throws IllegalArgumentException for any other URL, which changes nothing
   */
  public void sendNotificationsTo(String webhookUrl) {
    sender.target(webhookUrl);
  }

  /**
   * Sends one notification about a tenant now, with the tenant's version as {@code VersionName} and a
   * fresh token; completes with the HTTP status the receiver answered, whatever it is.
   *
   * @param publicEndpoint the bare host on a Move, such as {@code sod3.superoffice.com}; null there
   *     names the host the tenant is on now; must be null for any other change type
   * @return fails when no webhook is set, the tenant is unknown, the arguments do not fit or the request
   *     fails
   */
  public Future<Integer> notify(String ctx, ChangeType type, String publicEndpoint) {
    return onLoop(() -> {
      SimulatedTenant tenant = existing(ctx);
      String host = publicEndpointFor(tenant, required(type, "a change type"), publicEndpoint);
      return sender.send(ctx, type, tenant.version(), host);
    }).compose(sent -> sent);
  }

  private static String publicEndpointFor(SimulatedTenant tenant, ChangeType type, String publicEndpoint) {
    if (!type.is(ChangeType.Known.MOVE)) {
      if (publicEndpoint != null) {
        throw new IllegalArgumentException("a PublicEndpoint goes only with a Move, not with " + type.label());
      }
      return null;
    }
    String host = publicEndpoint != null ? publicEndpoint : hostOf(tenant.endpoint());
    if (!NotificationSender.isBareHost(host)) {
      throw new IllegalArgumentException(
          "a Move needs a bare host name as its PublicEndpoint, such as sod3.superoffice.com");
    }
    return host;
  }

  private static String hostOf(String endpoint) {
    try {
      return endpoint == null ? null : URI.create(endpoint).getHost();
    } catch (IllegalArgumentException notAUri) {
      return null;
    }
  }

  // ---- counters ----

  /** Every request to the state path, including refused ones. */
  public long requestCount() {
    return counts.total();
  }

  /** Requests naming this tenant, whether or not it was known at the time. */
  public long requestCount(String ctx) {
    return ctx == null ? 0 : counts.forTenant(ctx);
  }

  /** Requests per epoch second of the clock, ordered by second; the last hour is kept. */
  public Map<Long, Long> requestsPerSecond() {
    return counts.perSecond();
  }

  /**
   * Calls to the tenants' own APIs by outcome, every tenant together (calls naming no valid tenant
   * included); an outcome never seen is absent.
   */
  public Map<TenantCallOutcome, Long> tenantCalls() {
    return calls.total();
  }

  /** Calls to this tenant's own API by outcome, whether or not it was known at the time; empty when none. */
  public Map<TenantCallOutcome, Long> tenantCalls(String ctx) {
    return calls.forTenant(ctx);
  }

  // ---- control ----

  /** Sets a tenant's state from the table, with {@code IsRunning} to match; endpoint and api stay. */
  public Future<Void> set(String ctx, TenantState state) {
    return change(ctx, tenant -> tenant.setState(required(state, "a state")));
  }

  /**
   * Sets a tenant's whole status; endpoint, api and version may be null, as SuperOffice may send. The
   * tenant's own API answers only at the api served: give one from {@link #tenantApiUrl}, or every call to
   * the tenant answers 421.
   */
  public Future<Void> setStatus(String ctx, TenantState state, String endpoint, String api, String version) {
    return change(ctx, tenant -> {
      tenant.setState(required(state, "a state"));
      tenant.setAddress(endpoint, api);
      tenant.setVersion(version);
    });
  }

  /** Serves a {@code State} name outside the table (for example "Frozen") with this {@code IsRunning}. */
  public Future<Void> setRawState(String ctx, String rawName, Boolean isRunning) {
    return change(ctx, tenant -> {
      if (rawName == null || rawName.isBlank()) {
        throw new IllegalArgumentException("a raw state needs a name");
      }
      tenant.setRawState(rawName, isRunning);
    });
  }

  /** Answers this 4xx or 5xx status, with {@code Retry-After} when given, until {@link #clearFault}. */
  public Future<Void> failWith(String ctx, int httpStatus, Integer retryAfterSeconds) {
    return change(ctx, tenant -> tenant.setFault(new Fault.Failing(httpStatus, retryAfterSeconds)));
  }

  /** Answers plainly again. */
  public Future<Void> clearFault(String ctx) {
    return change(ctx, tenant -> tenant.setFault(null));
  }

  /** Answers the status only after this delay. */
  public Future<Void> answerSlowly(String ctx, Duration delay) {
    return change(ctx, tenant -> tenant.setFault(new Fault.Slow(delay)));
  }

  /** Answers 200 with this body instead of a status. */
  public Future<Void> answerGarbage(String ctx, String body) {
    return change(ctx, tenant -> tenant.setFault(new Fault.Garbage(body)));
  }

  /** Answers with the tenant's status but naming {@code otherCtx} as its ContextIdentifier. */
  public Future<Void> answerForOtherTenant(String ctx, String otherCtx) {
    return change(ctx, tenant -> tenant.setFault(new Fault.ForOtherTenant(otherCtx)));
  }

  /** Never answers: the client's timeout is the only way out. */
  public Future<Void> hang(String ctx) {
    return change(ctx, tenant -> tenant.setFault(new Fault.Hang()));
  }

  /** Adds a Running tenant outside any script; an existing tenant of that name starts afresh. */
  public Future<Void> addTenant(String ctx) {
    return onLoop(() -> {
      tenants.put(ContextId.require(ctx), SimulatedTenant.running(ctx, apiOrigin));
      LOG.debug("simulator: {} added", ctx);
      return null;
    });
  }

  /** Forgets a tenant: its state API answers 404 from now on. */
  public Future<Void> removeTenant(String ctx) {
    return onLoop(() -> {
      if (tenants.remove(ContextId.require(ctx)) == null) {
        throw new IllegalArgumentException("the simulator has no tenant " + ctx);
      }
      LOG.debug("simulator: {} removed", ctx);
      return null;
    });
  }

  /** How far ahead {@code ValidUntil} is set from now on, for every tenant (ending {@link #setValidUntil}). */
  public Future<Void> setValidity(Duration newValidity) {
    if (newValidity == null || newValidity.isNegative() || newValidity.isZero()) {
      return Future.failedFuture(new IllegalArgumentException("the validity must be positive"));
    }
    validity = newValidity;
    fixedValidUntil = null;
    return Future.succeededFuture();
  }

  /**
   * Answers every tenant with this very {@code ValidUntil} from now on, until {@link #setValidity}: a
   * herd of tenants that all fall due at the same instant.
   */
  public Future<Void> setValidUntil(Instant validUntil) {
    if (validUntil == null) {
      return Future.failedFuture(new IllegalArgumentException("a ValidUntil is required"));
    }
    fixedValidUntil = validUntil;
    return Future.succeededFuture();
  }

  /**
   * Moves a scripted tenant to the next step of its scenario now, without waiting for the schedule; the
   * step after follows the phase's own length from now. A step SuperOffice announces ahead (Upgrade,
   * Move) sends its notification first, if the schedule has not already, and changes state once the
   * receiver has answered. Completes once the new phase is served and any notification it sends has
   * been answered (a failed notification is logged and does not fail the step).
   */
  public Future<Void> advanceScenario(String ctx) {
    return onLoop(() -> {
      SimulatedTenant tenant = existing(ctx);
      if (!tenant.scripted()) {
        throw new IllegalStateException(ctx + " does not follow a script");
      }
      return schedule.step(tenant);
    }).compose(stepped -> stepped);
  }

  /**
   * Runs the scenario schedule once, as its timer does, and completes once everything due by the clock
   * has been done and every notification started so far has been answered. For tests that move the
   * clock by hand.
   */
  Future<Void> tick() {
    return onLoop(() -> {
      schedule.advanceDue(clock.millis());
      return schedule.settled();
    }).compose(settled -> settled);
  }

  /** The status the tenant would be served now, leaving its fault aside. */
  public Future<TenantStatus> status(String ctx) {
    return onLoop(() -> {
      SimulatedTenant tenant = existing(ctx);
      return tenant.status(ctx, validUntil(tenant, clock.instant()));
    });
  }

  // ---- the state API ----

  private void answer(RoutingContext routing) {
    String ctx = routing.pathParam("ctx");
    boolean valid = ContextId.isValid(ctx);
    counts.record(valid ? ctx : null, clock.instant().getEpochSecond());
    HttpServerResponse response = routing.response();
    if (!valid) {
      // R10: the refused identifier is not repeated back.
      sendError(response, 400, "bad-context", "a context identifier is 'Cust' followed by 1 to 12 digits");
      return;
    }
    SimulatedTenant tenant = tenants.get(ctx);
    if (tenant == null) {
      sendError(response, 404, "unknown-tenant", "there is no tenant " + ctx);
      return;
    }
    Fault fault = tenant.fault();
    if (fault == null) {
      sendStatus(response, tenant, ctx);
    } else if (fault instanceof Fault.Failing failing) {
      if (failing.retryAfterSeconds() != null) {
        response.putHeader("Retry-After", failing.retryAfterSeconds().toString());
      }
      sendError(response, failing.httpStatus(), "simulated-failure", "the simulator was told to fail " + ctx);
    } else if (fault instanceof Fault.Slow slow) {
      vertx.setTimer(Math.max(1, slow.delay().toMillis()), id -> {
        if (!response.closed()) {
          sendStatus(response, tenant, ctx);
        }
      });
    } else if (fault instanceof Fault.Garbage garbage) {
      response.putHeader("Content-Type", JSON).end(garbage.body());
    } else if (fault instanceof Fault.Truncated) {
      Buffer body = statusBody(tenant, ctx);
      response.putHeader("Content-Type", JSON).end(body.getBuffer(0, body.length() / 2));
    } else if (fault instanceof Fault.ForOtherTenant other) {
      sendStatus(response, tenant, other.otherCtx());
    }
    // Fault.Hang: leave the request open; the client's timeout or the server's close ends it.
  }

  private void sendStatus(HttpServerResponse response, SimulatedTenant tenant, String servedCtx) {
    response.putHeader("Content-Type", JSON).end(statusBody(tenant, servedCtx));
  }

  private Buffer statusBody(SimulatedTenant tenant, String servedCtx) {
    return tenant.status(servedCtx, validUntil(tenant, clock.instant())).toJson().toBuffer();
  }

  private Instant validUntil(SimulatedTenant tenant, Instant now) {
    Instant fixed = fixedValidUntil;
    if (fixed != null) {
      return fixed;
    }
    Duration ahead = validity;
    if (tenant.transitional() && ahead.compareTo(TRANSITIONAL_VALIDITY) > 0) {
      ahead = TRANSITIONAL_VALIDITY;
    }
    return now.plus(ahead);
  }

  /** The simulator's one error body, {@code {"error": code, "message": message}}, for both of its APIs. */
  static void sendError(HttpServerResponse response, int status, String code, String message) {
    response.setStatusCode(status)
        .putHeader("Content-Type", JSON)
        .end(new JsonObject().put("error", code).put("message", message).toBuffer());
  }

  // ---- scenarios ----

  private void populate() {
    List<Scenario> order = Scenario.order(options.seed());
    long now = clock.millis();
    for (int index = 0; index < options.tenants(); index++) {
      String ctx = options.tenantId(index);
      if (options.scripted()) {
        Scenario scenario = order.get(index % order.size());
        SimulatedTenant tenant = SimulatedTenant.scripted(ctx, scenario, Scenario.randomFor(options.seed(), index),
            apiOrigin);
        tenants.put(ctx, tenant);
        schedule.begin(tenant, now);
      } else {
        tenants.put(ctx, SimulatedTenant.running(ctx, apiOrigin));
      }
    }
  }

  // ---- running control calls on the event loop ----

  private Future<Void> change(String ctx, Consumer<SimulatedTenant> change) {
    return onLoop(() -> {
      SimulatedTenant tenant = existing(ctx);
      tenant.leaveScript();
      change.accept(tenant);
      LOG.debug("simulator: {} set to {}", ctx, tenant.describe());
      return null;
    });
  }

  private <T> Future<T> onLoop(Supplier<T> action) {
    Context loop = context;
    if (loop == null) {
      return Future.failedFuture(new IllegalStateException("the simulator is not deployed"));
    }
    Promise<T> promise = Promise.promise();
    loop.runOnContext(ignored -> {
      try {
        promise.complete(action.get());
      } catch (IllegalArgumentException | IllegalStateException refused) {
        promise.fail(refused);
      }
    });
    return promise.future();
  }

  private SimulatedTenant existing(String ctx) {
    SimulatedTenant tenant = tenants.get(ContextId.require(ctx));
    if (tenant == null) {
      throw new IllegalArgumentException("the simulator has no tenant " + ctx);
    }
    return tenant;
  }

  private static <T> T required(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is required");
    }
    return value;
  }
}
