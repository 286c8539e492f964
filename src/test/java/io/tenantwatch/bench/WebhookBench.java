package io.tenantwatch.bench;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.http.HttpListener;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.tenant.TenantMessages;
import io.tenantwatch.webhook.TestTokens;
import io.tenantwatch.webhook.TokenVerifier;
import io.tenantwatch.webhook.TokenVerifierOptions;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4, item 3: the webhook.
 *
 * <p><b>Ingest.</b> Distinct, validly signed notifications per second through the engine's real route
 * (body checks, RS256 signature by a pinned certificate, exp/nbf/iat, issuer, audience, tenant claim,
 * replay check, hand-over to the tenant's verticle, which applies it), against a bare vertx-web route on
 * its own server in the same process (the same number of listener instances, a BodyHandler, answer 200
 * with the same JSON) driven by the same {@link WebhookClient} in the same run. Rounds alternate which
 * goes first; each figure is the median round (the machines these run on are shared, and a single round
 * can be off by a factor of two). The notifications are Resumes to 1,000 watched, open tenants: each
 * makes the machine ask for a poll now, and the engine's own limiter ({@value #MAX_POLLS_PER_SECOND}
 * polls/s, at most one poll per tenant waiting) turns them into bounded state-API work, so the
 * simulator, which shares these cores, is neither the bottleneck nor free: the polls go on at that rate
 * through the baseline's rounds too, a tax of a few per cent on both. A second baseline, the
 * {@link SignatureFloorRoute} (the bare route plus a JDK check of each token's RS256 signature), shows
 * what the cryptography alone leaves of the bare route's rate, and so how much of the gap is the engine's.
 * A third, the hand-over floor, adds to that what the design asks of every verified notification: it reaches
 * its tenant's own verticle (one of {@value #TENANTS} bare ones, each on a context of its own) as an event-bus
 * message and is answered on that verticle's reply. A fourth, the checks floor ({@link ChecksFloorRoute}), does
 * every check the contract asks with the engine's own parts (the strict body, the whole token) before that
 * hand-over, leaving out only the tenant's own work. Beside the rates, the process's CPU time per request on
 * each side. The client runs on a Vert.x of its
 * own, so no server shares an event loop with it.
 *
 * <p><b>Latency.</b> Upgrades at a fixed 1,000 per second, each to a tenant whose gate is open (taken
 * from the worker's own record of resumes), so each causes an immediate pause; measured from the
 * request's server-side arrival ({@link ArrivalClock}: Vert.x's request-begin hook on the server's event
 * loop) to the registered worker's consumer receiving the pause, both by {@link System#nanoTime()}. The
 * hold is 200 ms, after which the gate reopens and the tenant comes back round (1,000 tenants leave room
 * for latencies far above the target before the sender runs out of open ones). The tokens are minted before
 * the run and collected into the old generation before its clock starts.
 *
 * <p>{@code args[0]} {@code quick|full},
 * {@code args[1]} the rows file to append to (bench.md), and optionally {@code latency}: the latency rows
 * only, without the ingest rounds and their baselines (what {@code scripts/bench} runs on a newer JDK), or
 * {@code ingest}: the ingest rows only (for profiling the route).
 */
public final class WebhookBench {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookBench.class);
  private static final String PATH = "/superoffice/state-change";
  private static final String ACCEPTED = new JsonObject().put("accepted", true).encode();
  private static final int TENANTS = 1_000;
  private static final int CONNECTIONS = 32;
  private static final int CLIENT_EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());
  private static final int RATE_PER_SECOND = 1_000;
  private static final long HOLD_MS = 200;
  private static final int MAX_POLLS_PER_SECOND = 100;
  private static final int MAX_BODY_BYTES = 16_384;
  /** The engine's {@code webhook.clockSkewSeconds} here (its default), and the checks floor's. */
  private static final int CLOCK_SKEW_SECONDS = 60;
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
  private static final String TENANT_ADDRESS = Addresses.tenant("Cust1").replace("Cust1", "");

  /** Which rows a run gives. */
  private enum Part {
    BOTH, LATENCY, INGEST;

    static Part of(String name) {
      return switch (name) {
        case "latency" -> LATENCY;
        case "ingest" -> INGEST;
        default -> null;
      };
    }
  }

  /** How much each phase does. */
  private record Mode(int ingestWarmup, int ingestWarmupSeconds, int ingestRounds, int ingestPerRound,
      int bareFactor, int latencyWarmupSeconds, int latencySeconds) {
    static Mode of(String name) {
      return switch (name) {
        case "quick" -> new Mode(3_000, 10, 7, 3_000, 8, 3, 10);
        case "full" -> new Mode(8_000, 30, 9, 8_000, 8, 5, 60);
        default -> throw new IllegalArgumentException("the mode is quick or full, not " + name);
      };
    }
  }

  private final Vertx vertx;
  private final ArrivalClock arrivals;
  private final Mode mode;
  private final Context driver;
  private final TestTokens tokens = TestTokens.generate(Clock.systemUTC());
  private final SignedNotifications minter = new SignedNotifications(tokens);
  private final Path dataDir;
  /** The signer's certificate, the one key the engine and the checks floor trust. */
  private Path certificate;
  private Simulator simulator;
  private TenantWatch engine;
  private BenchWorker worker;
  private WebhookClient client;
  private final Part part;
  /** The baseline routes' ports. */
  private final Set<Integer> baselinePorts = new HashSet<>();

  /**
   * @param clientSide the Vert.x the client and the driver run on: their event loops are their own, since
   *     on loops shared with a server, whichever server a loop happened to host would share its thread with
   *     the client, and the figures would follow that placement
   */
  private WebhookBench(Vertx vertx, Vertx clientSide, ArrivalClock arrivals, Mode mode, Part part)
      throws java.io.IOException {
    this.vertx = vertx;
    this.part = part;
    this.dataDir = Files.createTempDirectory("tenantwatch-bench-webhook");
    this.arrivals = arrivals;
    this.mode = mode;
    this.driver = clientSide.getOrCreateContext();
  }

  public static void main(String[] args) throws Exception {
    Part part = args.length == 2 ? Part.BOTH : args.length == 3 ? Part.of(args[2]) : null;
    if (part == null) {
      throw new IllegalArgumentException("usage: WebhookBench quick|full ROWS_FILE [latency|ingest]");
    }
    Mode mode = Mode.of(args[0]);
    BenchReport rows = BenchReport.fromArgs(args);
    ArrivalClock arrivals = ArrivalClock.byHeader();
    Vertx vertx = Vertx.builder().withMetrics(arrivals).build();
    Vertx clientSide = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(CLIENT_EVENT_LOOPS)).build();
    try {
      new WebhookBench(vertx, clientSide, arrivals, mode, part).run(rows);
    } finally {
      await(clientSide.close());
      await(vertx.close());
    }
  }

  private void run(BenchReport rows) throws Exception {
    LOG.info("load average before: {}", loadAverage());
    List<String> tenants = startEngine();
    client = new WebhookClient(driver.owner(), CONNECTIONS, CLIENT_EVENT_LOOPS);
    if (part != Part.LATENCY) {
      int barePort = startBareRoute("bare", -1, WebhookBench::bareRoute);
      int floorPort = startBareRoute("floor", -2, this::floorRoute);
      int handOverPort = startHandOverFloor(tenants);
      int checksPort = startChecksFloor();
      ingest(rows, tenants, barePort, floorPort, handOverPort, checksPort);
    }
    if (part != Part.INGEST) {
      latency(rows, tenants);
    }
    await(client.close());
    await(engine.close());
    BenchReport.deleteTree(dataDir);
    LOG.info("load average after: {}", loadAverage());
  }

  /** Other processes on the machine skew every figure; the log says how busy it was. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** The simulator with {@link #TENANTS} running tenants, the engine watching them, a worker seeing them open. */
  private List<String> startEngine() throws Exception {
    certificate = Files.createTempFile("tenantwatch-bench-signer", ".crt");
    certificate.toFile().deleteOnExit();
    Files.writeString(certificate, tokens.certificatePem());
    simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(TENANTS).withScripted(false)
        .withValidityMs(Duration.ofMinutes(10).toMillis()), Clock.systemUTC());
    await(vertx.deployVerticle(simulator));
    List<String> tenants = simulator.tenantIds();
    engine = await(TenantWatch.deploy(vertx, engineConfig(simulator.stateApiBaseUrl(), tenants, certificate, dataDir)));
    worker = new BenchWorker(TENANTS);
    await(vertx.deployVerticle(worker));
    long start = System.nanoTime();
    await(worker.allOpened());
    LOG.info("{} tenants open after {} ms", TENANTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    await(stateApiQuiet());
    return tenants;
  }

  private static JsonObject engineConfig(String baseUrl, List<String> tenants, Path certificate, Path dataDir) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(new ArrayList<>(tenants)))
        .put("stateApi", new JsonObject()
            .put("baseUrl", baseUrl)
            .put("maxConcurrentPolls", 16)
            .put("maxPollsPerSecond", MAX_POLLS_PER_SECOND)
            .put("notificationHoldMs", HOLD_MS))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        // The store as shipped: the memory store, for tests, keeps every snapshot's JSON in this heap,
        // which a production engine does not, and the collector's pauses grow with it.
        .put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()))
        .put("webhook", new JsonObject()
            .put("path", PATH)
            .put("certificates", new JsonArray().add(certificate.toString()))
            .put("issuers", new JsonArray().add(TestTokens.ISSUER))
            .put("audience", SignedNotifications.AUDIENCE)
            .put("requireTenantClaim", true)
            .put("clockSkewSeconds", CLOCK_SKEW_SECONDS)
            .put("maxBodyBytes", MAX_BODY_BYTES)
            .put("watchUnknownTenants", false));
  }

  /**
   * A baseline: one listener instance per event loop like the engine's public listener, same port sharing.
   *
   * @param sharedFreePort a negative port, Vert.x's "a free port, the same for every server asking for this
   *     number": each baseline needs its own, or the two would share one port and each take half the requests
   */
  private int startBareRoute(String name, int sharedFreePort, java.util.function.Function<Vertx, Router> routes)
      throws Exception {
    List<HttpListener> created = new ArrayList<>();
    int instances = Math.min(8, Runtime.getRuntime().availableProcessors());
    await(vertx.deployVerticle(() -> {
      HttpListener listener = new HttpListener(name, "127.0.0.1", sharedFreePort, routes);
      synchronized (created) {
        created.add(listener);
      }
      return listener;
    }, new DeploymentOptions().setInstances(instances)));
    int port = created.get(0).actualPort();
    if (port == engine.httpPort() || !baselinePorts.add(port)) {
      throw new IllegalStateException("the " + name + " route shares a port (" + port + ") with another; the comparison would mix both");
    }
    return port;
  }

  /** A baseline's router: the notification path, its body read as the engine reads it, then {@code handler}. */
  private static Router baseline(Vertx vertx, Handler<RoutingContext> handler) {
    Router router = Router.router(vertx);
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES)).handler(handler);
    return router;
  }

  private static Router bareRoute(Vertx vertx) {
    return baseline(vertx, ctx -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .end(ACCEPTED));
  }

  /** The bare route with each notification's RS256 signature checked ({@link SignatureFloorRoute}). */
  private Router floorRoute(Vertx vertx) {
    return baseline(vertx, SignatureFloorRoute.checking(tokens.keyPair().getPublic(), ACCEPTED));
  }

  /**
   * The hand-over floor ({@link SignatureFloorRoute#handingOver}): a bare verticle per tenant, each on a context of
   * its own as a tenant's verticle is, and a route that checks each signature and hands the notification to its
   * tenant's verticle; answers the route's port.
   */
  private int startHandOverFloor(List<String> tenants) throws Exception {
    BareTenantVerticles verticles = new BareTenantVerticles();
    await(vertx.deployVerticle(verticles));
    await(verticles.deploy(tenants.stream().map(WebhookBench::floorTenantAddress).toList()));
    return startBareRoute("hand-over floor", -3, vertx -> baseline(vertx, SignatureFloorRoute.handingOver(
        tokens.keyPair().getPublic(), ACCEPTED, vertx.eventBus(), WebhookBench::floorTenantAddress)));
  }

  /**
   * The checks floor ({@link ChecksFloorRoute}), handing over to the hand-over floor's bare verticles (deployed
   * first), with a token verifier configured as the engine's; answers the route's port.
   */
  private int startChecksFloor() throws Exception {
    TokenVerifier verifier = await(TokenVerifier.create(vertx, new TokenVerifierOptions(List.of(certificate.toString()),
        List.of(), null, List.of(TestTokens.ISSUER), SignedNotifications.AUDIENCE, true, CLOCK_SKEW_SECONDS, null)));
    return startBareRoute("checks floor", -4, vertx -> baseline(vertx,
        new ChecksFloorRoute(verifier, ACCEPTED, vertx.eventBus(), WebhookBench::floorTenantAddress)));
  }

  private static String floorTenantAddress(String tenant) {
    return "bench.floor.tenant." + tenant;
  }

  private void ingest(BenchReport rows, List<String> tenants, int barePort, int floorPort, int handOverPort,
      int checksPort) throws Exception {
    int enginePort = engine.httpPort();
    int perRound = mode.ingestPerRound();
    int bareCount = perRound * mode.bareFactor();
    long mintStart = System.nanoTime();
    List<Buffer> bodies = minter.mint(tenants, ChangeType.RESUME, mode.ingestWarmup() + mode.ingestRounds() * perRound);
    LOG.info("minted {} tokens in {} s", bodies.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - mintStart));
    List<Buffer> warmup = bodies.subList(0, mode.ingestWarmup());
    // Warm-up, the routes in turn for a while: the engine gets the distinct notifications once and then
    // again as repeats (fully verified, answered 200, not applied twice), so its paths are compiled
    // without minting more tokens.
    long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(mode.ingestWarmupSeconds());
    do {
      onDriver(() -> client.closedLoop(enginePort, PATH, warmup, warmup.size(), 200));
      onDriver(() -> client.closedLoop(barePort, PATH, warmup, warmup.size() * mode.bareFactor(), 200));
      onDriver(() -> client.closedLoop(floorPort, PATH, warmup, warmup.size(), 200));
      onDriver(() -> client.closedLoop(handOverPort, PATH, warmup, warmup.size(), 200));
      onDriver(() -> client.closedLoop(checksPort, PATH, warmup, warmup.size(), 200));
    } while (System.nanoTime() < warmupEnd);
    Rounds engine = new Rounds(mode.ingestRounds());
    Rounds bare = new Rounds(mode.ingestRounds());
    Rounds floor = new Rounds(mode.ingestRounds());
    Rounds handOver = new Rounds(mode.ingestRounds());
    Rounds checks = new Rounds(mode.ingestRounds());
    for (int round = 0; round < mode.ingestRounds(); round++) {
      int from = mode.ingestWarmup() + round * perRound;
      List<Buffer> slice = bodies.subList(from, from + perRound);
      // Each round the five go in another order, so none is always first after a pause.
      for (int turn = 0; turn < 5; turn++) {
        switch ((turn + round) % 5) {
          case 0 -> engine.measure(round, perRound, () -> client.closedLoop(enginePort, PATH, slice, perRound, 200));
          case 1 -> bare.measure(round, bareCount, () -> client.closedLoop(barePort, PATH, slice, bareCount, 200));
          case 2 -> floor.measure(round, perRound, () -> client.closedLoop(floorPort, PATH, slice, perRound, 200));
          case 3 -> handOver.measure(round, perRound,
              () -> client.closedLoop(handOverPort, PATH, slice, perRound, 200));
          default -> checks.measure(round, perRound, () -> client.closedLoop(checksPort, PATH, slice, perRound, 200));
        }
      }
      LOG.info("ingest round {}: engine {}/s, bare {}/s, bare with RS256 {}/s, handed over {}/s, checked whole and "
          + "handed over {}/s", round + 1, Math.round(engine.rates[round]), Math.round(bare.rates[round]),
          Math.round(floor.rates[round]), Math.round(handOver.rates[round]), Math.round(checks.rates[round]));
    }
    double engineRate = Percentiles.median(engine.rates);
    double bareRate = Percentiles.median(bare.rates);
    double floorRate = Percentiles.median(floor.rates);
    double handOverRate = Percentiles.median(handOver.rates);
    double checksRate = Percentiles.median(checks.rates);
    double[] paired = new double[mode.ingestRounds()];
    for (int round = 0; round < paired.length; round++) {
      paired[round] = engine.rates[round] / floor.rates[round];
    }
    // On a busy machine a round's three sides see different loads; the ratio within each round says how
    // far that moves the table's ratio of medians.
    LOG.info("engine to floor within each round: median {}, from {} to {}", BenchReport.ratio(
        Percentiles.median(paired), 1), BenchReport.ratio(Arrays.stream(paired).min().orElse(0), 1),
        BenchReport.ratio(Arrays.stream(paired).max().orElse(0), 1));
    String measured = " (" + CONNECTIONS + " connections, median of " + mode.ingestRounds() + " rounds)";
    rows.row("webhook ingest, distinct RS256 notifications" + measured,
        BenchReport.count(Math.round(engineRate)) + " notifications/s",
        BenchReport.count(Math.round(bareRate)) + " requests/s (bare vertx-web route)",
        BenchReport.ratio(engineRate, bareRate), ">= 0.5x", engineRate / bareRate >= 0.5);
    rows.row("webhook ingest against the signature floor" + measured,
        BenchReport.count(Math.round(engineRate)) + " notifications/s",
        BenchReport.count(Math.round(floorRate)) + " requests/s (bare route + JDK SHA256withRSA check of each token; "
            + BenchReport.ratio(floorRate, bareRate) + " the bare route)",
        BenchReport.ratio(engineRate, floorRate), ">= 0.8x", engineRate / floorRate >= 0.8);
    againstFloor(rows, "hand-over floor" + measured, engineRate, handOverRate, floorRate, "the signature floor, "
        + "each notification then handed to its tenant's bare verticle on the event bus and answered on its reply");
    againstFloor(rows, "checks floor" + measured, engineRate, checksRate, floorRate, "the hand-over floor with the body "
        + "read strictly and the token judged whole by the engine's own parts, no tenant's work");
    double engineCpu = Percentiles.median(engine.cpuMicros);
    double floorCpu = Percentiles.median(floor.cpuMicros);
    rows.row("CPU per notification, whole process with the client" + measured,
        BenchReport.number(engineCpu, 1) + " us", BenchReport.number(floorCpu, 1) + " us (bare route + RS256 check; "
            + BenchReport.number(Percentiles.median(handOver.cpuMicros), 1) + " us with the hand-over, "
            + BenchReport.number(Percentiles.median(checks.cpuMicros), 1) + " us with every check and the hand-over, "
            + BenchReport.number(Percentiles.median(bare.cpuMicros), 1) + " us the bare route)",
        BenchReport.ratio(engineCpu, floorCpu), "-", null);
  }

  /** The engine's rate against a floor that builds on the signature floor, and that floor's own ratio to it. */
  private static void againstFloor(BenchReport rows, String floor, double engineRate, double floorRate,
      double signatureRate, String what) {
    rows.row("webhook ingest against the " + floor, BenchReport.count(Math.round(engineRate)) + " notifications/s",
        BenchReport.count(Math.round(floorRate)) + " requests/s (" + what + "; "
            + BenchReport.ratio(floorRate, signatureRate) + " the signature floor)",
        BenchReport.ratio(engineRate, floorRate), "-", null);
  }

  /** One side's rounds: the rate of each, and the process's CPU time per request in it. */
  private final class Rounds {
    final double[] rates;
    final double[] cpuMicros;

    Rounds(int count) {
      rates = new double[count];
      cpuMicros = new double[count];
    }

    void measure(int round, int requests, Supplier<Future<Long>> run) throws Exception {
      long cpuBefore = BenchReport.processCpuNanos();
      long nanos = onDriver(run);
      cpuMicros[round] = (BenchReport.processCpuNanos() - cpuBefore) / 1e3 / requests;
      rates[round] = perSecond(requests, nanos);
    }
  }

  private void latency(BenchReport rows, List<String> tenants) throws Exception {
    int warmup = mode.latencyWarmupSeconds() * RATE_PER_SECOND;
    int total = warmup + mode.latencySeconds() * RATE_PER_SECOND;
    long mintStart = System.nanoTime();
    Map<String, Deque<Buffer>> bodies = minter.mintPerTenant(tenants, ChangeType.UPGRADE, total / TENANTS + 3);
    LOG.info("minted {} tokens in {} s", (total / TENANTS + 3) * TENANTS,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - mintStart));
    // The tokens are the bench's, not the engine's: some 13 MB made just now, which each young collection of the
    // run copied from survivor space to survivor space until they were promoted, lengthening the very pauses the
    // run measures (up to half of what the first collections in it copied). Collected once before the clock
    // starts, they wait in the old generation, and the run's collections copy what the engine keeps.
    System.gc();
    await(stateApiQuiet());
    PacedRun run = new PacedRun(total, bodies);
    worker.onPause(run::paused);
    Handler<DeliveryContext<Object>> interceptor = run::passing;
    vertx.eventBus().addInboundInterceptor(interceptor);
    onDriver(run::start);
    vertx.eventBus().removeInboundInterceptor(interceptor);
    worker.onPause((tenant, at) -> { });
    long[] fromArrival = run.samples(warmup, run.fromArrival);
    long[] fromSend = run.samples(warmup, run.fromSend);
    int measured = total - warmup;
        LOG.info("latency: {} of {} measured notifications reached the worker ({} skipped, {} not answered 200)",
        fromArrival.length, measured, run.skipped.get(), run.refused.get());
    LOG.info("latency from the client's send: p50 {} us, p99 {} us", micros(Percentiles.of(fromSend).at(0.5)),
        micros(Percentiles.of(fromSend).at(0.99)));
    LOG.info("where it goes (p50 / p99 us): arrival to tenant verticle {}, tenant to worker registry {}, "
        + "registry to worker {}", run.hop(warmup, run.arrivalToTenant), run.hop(warmup, run.tenantToRegistry),
        run.hop(warmup, run.registryToWorker));
    Percentiles latency = Percentiles.of(fromArrival);
    boolean complete = fromArrival.length == measured && run.refused.get() == 0;
    String at = " at " + BenchReport.count(RATE_PER_SECOND) + " notifications/s" + " (n=" + latency.count() + ")";
    rows.row("webhook arrival-to-worker p50" + at, millis(latency.at(0.5)), "-", null);
    double p99 = latency.at(0.99) / 1e6;
    rows.row("webhook arrival-to-worker p99" + at, millis(latency.at(0.99)), "< 5 ms", complete && p99 < 5);
    rows.row("webhook arrival-to-worker p99.9" + at, millis(latency.at(0.999)), "-", null);
  }

  /**
   * One paced run of Upgrades: request i leaves at {@code i} milliseconds from the start (a 1 ms timer
   * sends whatever is due, so a late tick catches up rather than slowing the rate), to the next open
   * tenant, and the pause it causes is matched to it by tenant (one request per tenant is in flight).
   */
  private final class PacedRun {
    final AtomicLongArray fromArrival;
    final AtomicLongArray fromSend;
    final AtomicLongArray arrivalToTenant;
    final AtomicLongArray tenantToRegistry;
    final AtomicLongArray registryToWorker;
    final AtomicInteger skipped = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final AtomicLongArray sentAt;
    private final AtomicLongArray tenantAt;
    private final AtomicLongArray registryAt;
    private final AtomicInteger matched = new AtomicInteger();
    private final Map<String, Integer> pending = new ConcurrentHashMap<>();
    private final Map<String, Deque<Buffer>> bodies;
    private final int total;
    private final Promise<Void> done = Promise.promise();
    private int sent;

    PacedRun(int total, Map<String, Deque<Buffer>> bodies) {
      this.total = total;
      this.bodies = bodies;
      this.fromArrival = new AtomicLongArray(total);
      this.fromSend = new AtomicLongArray(total);
      this.sentAt = new AtomicLongArray(total);
      this.arrivalToTenant = new AtomicLongArray(total);
      this.tenantToRegistry = new AtomicLongArray(total);
      this.registryToWorker = new AtomicLongArray(total);
      this.tenantAt = new AtomicLongArray(total);
      this.registryAt = new AtomicLongArray(total);
      arrivals.reset(total);
    }

    /** Runs on the driver's event loop; completes once every pause came, or 10 s after the last send. */
    Future<Void> start() {
      long start = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
      Vertx clientSide = driver.owner();
      clientSide.setPeriodic(1, timer -> {
        long due = Math.min(total, (System.nanoTime() - start) / interval + 1);
        while (sent < due) {
          send(sent++);
        }
        if (sent == total) {
          clientSide.cancelTimer(timer);
          clientSide.setTimer(10_000, late -> done.tryComplete());
          checkDone();
        }
      });
      return done.future();
    }

    private void send(int index) {
      String tenant = worker.takeOpenTenant();
      Deque<Buffer> queue = tenant == null ? null : bodies.get(tenant);
      if (queue == null || queue.isEmpty()) {
        skipped.incrementAndGet();
        return;
      }
      pending.put(tenant, index);
      sentAt.set(index, System.nanoTime());
      client.post(engine.httpPort(), PATH, queue.poll(), index).onComplete(status -> {
        if (status.failed() || status.result() != 200) {
          refused.incrementAndGet();
          pending.remove(tenant);
        }
      });
    }

    /**
     * An event-bus inbound interceptor (on the receiving event loop, before its handler): when the
     * notification reaches its tenant's verticle and when the pause reaches the worker registry, for the
     * breakdown in the log.
     */
    void passing(DeliveryContext<Object> delivery) {
      long now = System.nanoTime();
      String address = delivery.message().address();
      if (delivery.body() instanceof JsonObject body && address.startsWith(TENANT_ADDRESS)
          && TenantMessages.NOTIFICATION.equals(body.getString("type"))) {
        mark(tenantAt, address.substring(TENANT_ADDRESS.length()), now);
      } else if (delivery.body() instanceof Command command && address.equals(Addresses.WORKERS_COMMAND)
          && command.type() == CommandType.PAUSE) {
        mark(registryAt, command.tenant(), now); // a tenant's command reaches its registry as it is
      }
      delivery.next();
    }

    private void mark(AtomicLongArray series, String tenant, long now) {
      Integer index = tenant == null ? null : pending.get(tenant);
      if (index != null) {
        series.compareAndSet(index, 0, now);
      }
    }

    /** The worker's listener: runs on the worker's event loop. */
    void paused(String tenant, long receivedAt) {
      Integer index = pending.remove(tenant);
      if (index == null) {
        return;
      }
      fromArrival.set(index, receivedAt - arrivals.arrival(index));
      fromSend.set(index, receivedAt - sentAt.get(index));
      arrivalToTenant.set(index, tenantAt.get(index) - arrivals.arrival(index));
      tenantToRegistry.set(index, registryAt.get(index) - tenantAt.get(index));
      registryToWorker.set(index, receivedAt - registryAt.get(index));
      matched.incrementAndGet();
      driver.runOnContext(v -> checkDone());
    }

    private void checkDone() {
      if (sent == total && matched.get() + skipped.get() + refused.get() == total) {
        done.tryComplete();
      }
    }

    /** {@code p50 / p99} of one hop, in microseconds. */
    String hop(int from, AtomicLongArray series) {
      long[] taken = samples(from, series);
      if (taken.length == 0) {
        return "none";
      }
      Percentiles hop = Percentiles.of(taken);
      return micros(hop.at(0.5)) + " / " + micros(hop.at(0.99));
    }

    /** The measured samples (from index {@code from}) that were taken, in nanoseconds. */
    long[] samples(int from, AtomicLongArray series) {
      List<Long> taken = new ArrayList<>();
      for (int i = from; i < total; i++) {
        if (series.get(i) > 0) {
          taken.add(series.get(i));
        }
      }
      return taken.stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** Completes once the state API has had no request for 300 ms (at most 30 s): no poll backlog left. */
  private Future<Void> stateApiQuiet() {
    Promise<Void> quiet = Promise.promise();
    long[] last = {simulator.requestCount(), System.nanoTime()};
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    vertx.setPeriodic(100, timer -> {
      long now = System.nanoTime();
      long count = simulator.requestCount();
      if (count != last[0]) {
        last[0] = count;
        last[1] = now;
      } else if (now - last[1] >= TimeUnit.MILLISECONDS.toNanos(300) || now > deadline) {
        vertx.cancelTimer(timer);
        quiet.complete();
      }
    });
    return quiet.future();
  }

  /** Runs {@code work} on the driver's event loop and waits for its result. */
  private <T> T onDriver(Supplier<Future<T>> work) throws Exception {
    Promise<T> result = Promise.promise();
    driver.runOnContext(v -> work.get().onComplete(result));
    return await(result.future());
  }

  private static double perSecond(int count, long nanos) {
    return count * 1e9 / nanos;
  }

  private static String millis(long nanos) {
    return BenchReport.decimal(nanos / 1e6, "ms");
  }

  private static long micros(long nanos) {
    return TimeUnit.NANOSECONDS.toMicros(nanos);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
