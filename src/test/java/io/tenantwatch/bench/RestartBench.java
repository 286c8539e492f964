package io.tenantwatch.bench;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 18, part 3: the engine's restart on a store that holds N tenants (R11). The embedded PostgreSQL is
 * filled directly ({@link StoredTenantRows}: copies of a row the engine wrote for a seed tenant after its
 * first poll), half of the tenants with their {@code ValidUntil} an hour past, half with it an hour ahead;
 * then the engine is deployed on it, watching nothing from its configuration.
 *
 * <p>Figures, from the deploy call: every tenant restored with its gate (its announcement on the events
 * address, {@link RestartEvents}), against a bare pg-client read of the same rows on the same server in the
 * same run (the floor of loading them); and the first polls of the tenants whose {@code ValidUntil} had
 * passed, each timed as the simulator's server receives it ({@link ArrivalClock#stateApi}), from the first to the
 * last, with the most in any one second against the limiter's rate ({@value #POLLS_PER_SECOND}/s,
 * {@value #CONCURRENT_POLLS} in flight: below what this machine polls when unlimited, so the limiter, not
 * the machine, sets their pace). An engine that fails to start is a row saying why.
 *
 * <p>Arguments: {@code quick|full}, the rows file, and optionally N (quick: 100,000; full: 1,000,000).
 */
public final class RestartBench {
  private static final Logger LOG = LoggerFactory.getLogger(RestartBench.class);
  private static final int POLLS_PER_SECOND = 2_000;
  private static final int CONCURRENT_POLLS = 64;
  private static final long FIRST_TENANT = 1_000_000;
  private static final int MILLION = 1_000_000;
  private static final double TARGET_SECONDS = 60;
  private static final long VALIDITY_MS = 3_600_000;

  private final BenchReport report;
  private final int tenants;
  private final long timeoutSeconds;

  private RestartBench(BenchReport report, int tenants) {
    this.report = report;
    this.tenants = tenants;
    this.timeoutSeconds = Math.max(300, tenants / 1_000L);
  }

  public static void main(String[] args) {
    BenchReport.main(args, report -> new RestartBench(report,
        args.length > 2 ? Integer.parseInt(args[2]) : report.full() ? MILLION : 100_000).run());
  }

  private void run() throws Exception {
    ArrivalClock arrivals = ArrivalClock.stateApi(FIRST_TENANT, tenants);
    Vertx superOffice = Vertx.builder().withMetrics(arrivals).build();
    SimulatorOptions options = SimulatorOptions.defaults().withPort(0).withTenants(tenants).withScripted(false)
        .withValidityMs(VALIDITY_MS).withFirstTenant(FIRST_TENANT);
    Simulator simulator = new Simulator(options, Clock.systemUTC());
    superOffice.deployVerticle(simulator).await(1, TimeUnit.MINUTES);
    Vertx vertx = Vertx.vertx();
    Path dataDir = Files.createTempDirectory("tenantwatch-bench-restart");
    try {
      String seed = options.tenantId(0);
      seed(vertx, simulator.stateApiBaseUrl(), seed, dataDir);
      long bareRead = fill(vertx, seed, dataDir);
      arrivals.reset();
      restart(vertx, simulator.stateApiBaseUrl(), dataDir, bareRead, arrivals);
    } finally {
      vertx.close().await(1, TimeUnit.MINUTES);
      superOffice.close().await(1, TimeUnit.MINUTES);
      BenchReport.deleteTree(dataDir);
    }
  }

  /** The engine watches the seed tenant until its first poll is stored: the template of every row. */
  private void seed(Vertx vertx, String baseUrl, String seed, Path dataDir) throws Exception {
    Promise<Void> polled = Promise.promise();
    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(Addresses.EVENTS, message -> {
      if (seed.equals(message.body().getString("tenant")) && "Running".equals(message.body().getString("to"))) {
        polled.tryComplete();
      }
    });
    events.completion().await(1, TimeUnit.MINUTES);
    TenantWatch engine = TenantWatch.deploy(vertx, config(baseUrl, List.of(seed), dataDir))
        .await(1, TimeUnit.MINUTES);
    polled.future().await(1, TimeUnit.MINUTES);
    events.unregister().await(1, TimeUnit.MINUTES);
    engine.close().await(1, TimeUnit.MINUTES);
  }

  /** Stores the N tenants; answers the nanoseconds a bare pg-client read of them all took. */
  private long fill(Vertx vertx, String seed, Path dataDir) throws Exception {
    return StoredTenantRows.withStore(vertx, dataDir, pool -> {
      StoredTenantRows.fill(pool, seed, FIRST_TENANT, tenants, Instant.now());
      long nanos = bareRead(pool);
      LOG.info("{} tenants read back with a bare pg-client query in {}", BenchReport.count(tenants),
          BenchReport.millis(nanos));
      return nanos;
    });
  }

  /**
   * Nanoseconds to read every row as the engine's load does (PostgresTenantStore: these columns, in this order,
   * the JSON decoded), streamed a thousand rows at a time so that a million rows need not fit in the heap at
   * once.
   */
  private long bareRead(Pool pool) throws Exception {
    long start = System.nanoTime();
    long[] read = {0};
    pool.withTransaction(conn -> conn.prepare("SELECT tenant, origin, snapshot, history FROM tenant ORDER BY tenant")
        .compose(statement -> {
          Promise<Void> done = Promise.promise();
          RowStream<Row> rows = statement.createStream(1_000);
          rows.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete()).handler(row -> {
            if (row.getJson("snapshot") != null && row.getJson("history") != null) {
              read[0]++;
            }
          });
          return done.future();
        })).await(timeoutSeconds, TimeUnit.SECONDS);
    if (read[0] != tenants) {
      throw new IllegalStateException("the bare read found " + read[0] + " of " + tenants + " stored tenants");
    }
    return System.nanoTime() - start;
  }

  private void restart(Vertx vertx, String baseUrl, Path dataDir, long bareRead, ArrivalClock arrivals)
      throws Exception {
    RestartEvents events = RestartEvents.watch(vertx, FIRST_TENANT, tenants);
    long cpu = BenchReport.processCpuNanos();
    long start = System.nanoTime();
    TenantWatch engine;
    try {
      engine = TenantWatch.deploy(vertx, config(baseUrl, List.of(), dataDir)).await(timeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("restart of {} tenants: the engine did not start", tenants, e);
      report.row(restoredLabel(), "failed after " + seconds(System.nanoTime() - start) + " s: " + e.getMessage(),
          "-", false);
      return;
    }
    long deployed = System.nanoTime() - start;
    boolean allRestored = events.awaitRestored(timeoutSeconds);
    long restoreCpu = BenchReport.processCpuNanos() - cpu;
    // A line to stop a profiler at: the due tenants' polls go on for minutes after (250 s at a million).
    LOG.info("restart of {} tenants: {} restored{} ({} of this JVM's CPU); waiting for the due tenants' polls",
        tenants, events.restored(), allRestored ? " after " + BenchReport.millis(events.lastRestoredAt() - start) : "",
        BenchReport.millis(restoreCpu));
    long dueSeconds = events.dueTenants() / POLLS_PER_SECOND;
    boolean allDue = events.awaitDuePolled(Math.max(120, dueSeconds * 3));
    events.close();
    JsonObject poller = vertx.eventBus().<JsonObject>request(Addresses.POLL_STATS, null)
        .await(1, TimeUnit.MINUTES).body();
    LOG.info("restart of {} tenants: deploy done after {}, {} restored, first {} last {}; {} due polled; "
            + "{} other steps; poller {}", tenants, BenchReport.millis(deployed), events.restored(),
        BenchReport.millis(events.firstRestoredAt() - start), BenchReport.millis(events.lastRestoredAt() - start),
        events.duePolled(), events.otherSteps(), poller.encode());
    engine.close().await(timeoutSeconds, TimeUnit.SECONDS);
    restoredRow(events, allRestored, start, deployed, restoreCpu, bareRead);
    duePollRows(events, Polls.of(arrivals, tenants), allDue, start);
  }

  private void restoredRow(RestartEvents events, boolean allRestored, long start, long deployed, long cpu,
      long bareRead) {
    String label = restoredLabel();
    long restored = events.lastRestoredAt() - start;
    double per10k = restored / 1e9 * 10_000 / tenants;
    String value = allRestored
        ? seconds(restored) + " s (" + BenchReport.decimal(per10k, "s") + " per 10,000; the first at "
            + seconds(events.firstRestoredAt() - start) + " s, deploy done at " + seconds(deployed) + " s; "
            + BenchReport.number(cpu / 1e3 / tenants, 0) + " us of this JVM's CPU a tenant)"
        : "timed out: " + BenchReport.count(events.restored()) + " after " + timeoutSeconds + " s";
    String baseline = seconds(bareRead) + " s (a bare pg-client read of the same rows)";
    if (tenants >= MILLION) {
      report.row(label, value, baseline, BenchReport.ratio(restored, bareRead), "< 60 s",
          allRestored && restored / 1e9 < TARGET_SECONDS);
    } else {
      report.row(label, value, baseline, BenchReport.ratio(restored, bareRead),
          "- (the target, 1,000,000 in < 60 s, is the full run's: 0.6 s per 10,000)", null);
    }
  }

  /**
   * What SuperOffice saw after the restart: when it was first asked for each due tenant (earliest first), and
   * how many of the other tenants it was asked for at all.
   */
  private record Polls(long[] due, int others) {
    static Polls of(ArrivalClock arrivals, int tenants) {
      long[] due = new long[tenants];
      int count = 0;
      int others = 0;
      for (int i = 0; i < tenants; i++) {
        long at = arrivals.arrival(i);
        if (at != 0 && StoredTenantRows.due(i)) {
          due[count++] = at;
        } else if (at != 0) {
          others++;
        }
      }
      long[] sorted = Arrays.copyOf(due, count);
      Arrays.sort(sorted);
      return new Polls(sorted, others);
    }
  }

  private String restoredLabel() {
    return "restart: " + BenchReport.count(tenants) + " stored tenants restored with their gates (R11), "
        + "from the deploy call";
  }

  private void duePollRows(RestartEvents events, Polls seen, boolean allDue, long start) {
    long[] polls = seen.due();
    String label = "restart: first polls of the " + BenchReport.count(events.dueTenants())
        + " tenants stored with their ValidUntil passed, as SuperOffice receives them, from the deploy call ("
        + BenchReport.count(seen.others()) + " of the other " + BenchReport.count(tenants - events.dueTenants())
        + " polled)";
    if (polls.length == 0) {
      report.row(label, "none polled", "-", false);
      return;
    }
    long first = polls[0] - start;
    long last = polls[polls.length - 1] - start;
    report.row(label,
        (allDue ? "" : "timed out: " + BenchReport.count(polls.length) + " polled; ") + "first at " + seconds(first)
            + " s, last at " + seconds(last) + " s (spread " + seconds(last - first) + " s)",
        BenchReport.decimal(events.dueTenants() / (double) POLLS_PER_SECOND, "s") + " (their number at the limiter's rate)",
        BenchReport.ratio(last - first, events.dueTenants() * 1e9 / POLLS_PER_SECOND), "-", null);
    int peak = peakPerSecond(polls);
    // The limiter's bucket lets a twentieth of a second's starts go at once; and requests held up on a busy
    // event loop (at most the polls in flight) reach the server together.
    int bound = POLLS_PER_SECOND + Math.max(1, POLLS_PER_SECOND / 20) + CONCURRENT_POLLS;
    double mean = polls.length > 1 ? (polls.length - 1) * 1e9 / (last - first) : 0;
    report.row("restart: the due tenants' first polls, most in any one second",
        BenchReport.count(peak) + " polls/s (" + BenchReport.number(mean, 0) + "/s on average over the spread)",
        BenchReport.count(POLLS_PER_SECOND) + "/s (maxPollsPerSecond; maxConcurrentPolls " + CONCURRENT_POLLS + ")",
        BenchReport.ratio(peak, POLLS_PER_SECOND), "<= " + BenchReport.count(bound) + "/s (the rate, its burst and "
            + "the polls in flight)", peak <= bound);
  }

  /** The most polls in any one second (a sliding window over {@code sorted}). */
  private static int peakPerSecond(long[] sorted) {
    int peak = 0;
    int from = 0;
    for (int to = 0; to < sorted.length; to++) {
      while (sorted[to] - sorted[from] >= TimeUnit.SECONDS.toNanos(1)) {
        from++;
      }
      peak = Math.max(peak, to - from + 1);
    }
    return peak;
  }

  private static String seconds(long nanos) {
    return BenchReport.number(nanos / 1e9, 1);
  }

  private static JsonObject config(String baseUrl, List<String> watched, Path dataDir) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(List.copyOf(watched)))
        .put("stateApi", new JsonObject()
            .put("baseUrl", baseUrl)
            .put("maxConcurrentPolls", CONCURRENT_POLLS)
            .put("maxPollsPerSecond", POLLS_PER_SECOND))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()))
        .put("shutdownTimeoutMs", 120_000);
  }
}
