package io.tenantwatch.bench;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.poll.PollStats;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.tenant.TenantMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many tenants one node carries: N tenants watched from the config against the simulator (every one
 * Running, {@code ValidUntil} an hour ahead so only the first poll counts), the limiter opened wide.
 *
 * <p>Figures per N: the time from the deploy call until every tenant has applied its first successful
 * poll (seen as its Unknown to Running step on {@code tenantwatch.events}), against a bare WebClient
 * asking the same simulator for the same N tenants at the same concurrency; the deploy cost per tenant
 * (issue 18, part 2): an engine deploying the N tenants with their polls held back, on a store of its own,
 * less the same engine's start watching none, against N bare verticles ({@link BareTenantVerticles})
 * deployed the same way in the same JVM just before, in three such rounds (one at a million), the median
 * round by ratio standing for them; and the heap each tenant
 * keeps after a full GC, against the same JVM with the engine deployed watching no tenant (the simulator
 * and its counters already full, so only the engine's share is counted).
 *
 * <p>The <em>aged</em> case ({@code aged} after N) measures the heap a tenant keeps after it has lived a
 * while: the same N tenants, first-polled, then each driven through {@value HistoryAging#STEPS} more poll
 * steps between Running and OfflineMaintenance ({@link HistoryAging#age}), so each holds a full history of
 * fifty entries with a command each. Before the engine, the same JVM measures the pure snapshot after such
 * a life ({@value #PURE_TENANTS} of them, steps an hour apart), with and without its history: what the
 * history costs in the heap, and so what keeping it in the store instead would save.
 *
 * <p>The <em>aged-stored</em> case ({@code aged-stored} after N) makes the same aged tenants through the store
 * instead ({@link #runAgedStored}): one aged tenant's row copied N times, then a restart.
 *
 * <p>Arguments: {@code quick|full}, the rows file, and optionally one N and {@code aged} or {@code aged-stored}
 * (the harness runs each N in a JVM of its own so the heap figures do not carry one run's leftovers into the
 * next).
 */
public final class CapacityBench {
  private static final Logger LOG = LoggerFactory.getLogger(CapacityBench.class);
  private static final int CONCURRENCY = 256;
  private static final int POLLS_PER_SECOND = 1_000_000;
  private static final long VALIDITY_MS = 3_600_000;
  private static final long FIRST_POLL_TARGET_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final int FIRST_POLL_TARGET_TENANTS = 100_000;
  private static final double MAX_BYTES_PER_TENANT = 4096;
  private static final double MAX_BYTES_PER_AGED_TENANT = 5 * 1024;
  private static final int PURE_TENANTS = 20_000;
  private static final long MILLION_HEAP_BYTES = 6L << 30;
  private static final int MILLION = 1_000_000;
  private static final double MAX_DEPLOY_RATIO = 2;
  private static final int DEPLOY_ROUNDS = 3;

  private final BenchReport report;

  private CapacityBench(BenchReport report) {
    this.report = report;
  }

  public static void main(String[] args) {
    BenchReport.main(args, report -> {
      List<Integer> sizes = args.length > 2 ? List.of(Integer.parseInt(args[2]))
          : report.full() ? List.of(10_000, 100_000, MILLION) : List.of(10_000, 100_000);
      String kind = args.length > 3 ? args[3] : "";
      for (int n : sizes) {
        if (kind.equals("aged")) {
          new CapacityBench(report).runAged(n);
        } else if (kind.equals("aged-stored")) {
          new CapacityBench(report).runAgedStored(n);
        } else {
          new CapacityBench(report).run(n);
        }
      }
    });
  }

  private void run(int n) throws Exception {
    // The simulator stands for SuperOffice: event loops of its own, its heap counted in both figures.
    Vertx superOffice = Vertx.vertx();
    Simulator simulator = simulator(superOffice, n);
    String baseUrl = simulator.stateApiBaseUrl();
    List<String> tenants = simulator.tenantIds();
    long timeout = Math.max(120, n / 1_000L);
    Vertx vertx = Vertx.vertx();
    // The store as shipped (embedded PostgreSQL): the memory store, for tests, would keep a copy of every
    // snapshot in this heap, which a production engine does not.
    Path dataDir = Files.createTempDirectory("tenantwatch-bench-capacity");

    // Also fills the simulator's per-tenant request counters, so they are in the idle heap too.
    RunOutcome bareRun = bareRun(vertx, baseUrl, tenants, timeout);
    LOG.info("{} tenants: bare client {}", n, bareRun);

    TenantWatch idle = TenantWatch.deploy(vertx, config(baseUrl, List.of(), dataDir)).await(1, TimeUnit.MINUTES);
    long idleHeap = settledHeap();
    idle.close().await(1, TimeUnit.MINUTES);
    LOG.info("{} tenants: engine watching none, simulator included: {} MB of heap", n, idleHeap >> 20);
    DeployRounds deploys = DeployRounds.measure(vertx, baseUrl, tenants, timeout);

    FirstPolls firstPolls = FirstPolls.watch(vertx, n);
    long start = System.nanoTime();
    TenantWatch engine = TenantWatch.deploy(vertx, config(baseUrl, tenants, dataDir)).await(timeout, TimeUnit.SECONDS);
    long deployed = System.nanoTime() - start;
    boolean allPolled = firstPolls.await(timeout);
    long firstPolled = System.nanoTime() - start;
    firstPolls.close();
    PollStats stats = PollStats.fromJson(vertx.eventBus().<JsonObject>request(Addresses.POLL_STATS, null)
        .await(1, TimeUnit.MINUTES).body());
    LOG.info("{} tenants: {} first-polled in {}, all deployed after {}; poller {}", n, firstPolls.count(),
        BenchReport.millis(firstPolled), BenchReport.millis(deployed), stats.toJson().encode());
    storeAtRest(vertx, timeout);
    long fullHeap = settledHeap();
    double perTenant = (double) (fullHeap - idleHeap) / n;
    LOG.info("{} tenants: {} MB of heap, {} bytes per tenant", n, fullHeap >> 20, BenchReport.number(perTenant, 0));
    writeHistogram(n);

    String label = "capacity: " + BenchReport.count(n) + " tenants";
    boolean timed = n == FIRST_POLL_TARGET_TENANTS || n == MILLION;
    report.row(label + " first-polled (from the deploy call; " + BenchReport.count(stats.failed())
            + " polls failed and were retried)",
        allPolled
            ? seconds(firstPolled) + " (all deployed at " + seconds(deployed) + ")"
            : "timed out: " + BenchReport.count(firstPolls.count()) + " after " + seconds(firstPolled),
        seconds(bareRun.nanos()) + " (bare WebClient, the same GETs)",
        BenchReport.ratio(firstPolled, bareRun.nanos()),
        timed ? "< 60 s" : "-",
        timed ? Boolean.valueOf(allPolled && firstPolled < FIRST_POLL_TARGET_NANOS) : null);
    DeployRounds.Round median = deploys.median();
    double deployPerTenant = median.enginePerTenantMicros(n);
    double barePerTenant = median.barePerTenantMicros(n);
    report.row(label + " deploy cost per tenant (the engine's deploy with its polls held back, less its start "
            + "watching none; the median of " + deploys.count() + " rounds by ratio)",
        BenchReport.number(deployPerTenant, 1) + " us (" + seconds(median.engine()) + " all deployed, "
            + seconds(median.alone()) + " of it the engine alone)",
        BenchReport.number(barePerTenant, 1) + " us (a bare VerticleBase with one consumer and one timer, "
            + "deployed 256 at a time in the same JVM, in the same round)",
        BenchReport.ratio(deployPerTenant, barePerTenant), "<= 2.00x",
        deployPerTenant <= MAX_DEPLOY_RATIO * barePerTenant);
    report.row(label + " retained heap per tenant (embedded store)",
        BenchReport.number(perTenant / 1024, 2) + " KB/tenant (heap " + (fullHeap >> 20) + " MB)",
        (idleHeap >> 20) + " MB (engine watching none; the simulator's tenants in both)",
        BenchReport.ratio(fullHeap, idleHeap),
        "<= 4 KB/tenant",
        allPolled && perTenant <= MAX_BYTES_PER_TENANT);
    if (n >= MILLION) {
      long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
      report.row(label + " on one node (simulator in the same heap)",
          "heap " + gigabytes(fullHeap) + " GB used of " + gigabytes(maxHeap) + " GB max", "-", "-", "<= 6 GB heap",
          allPolled && fullHeap <= MILLION_HEAP_BYTES && maxHeap <= MILLION_HEAP_BYTES);
    }
    engine.close().await(timeout, TimeUnit.SECONDS);
    vertx.close().await(1, TimeUnit.MINUTES);
    superOffice.close().await(1, TimeUnit.MINUTES);
    BenchReport.deleteTree(dataDir);
  }

  /**
   * The deploy cost's rounds: in each, N bare verticles deployed, then the engine's deploy of the N tenants, side
   * by side (a single deploy of either on a shared machine can be off by half); the round whose ratio is the
   * median stands for them. One round at a million tenants, where each takes minutes.
   */
  private record DeployRounds(List<Round> rounds) {
    /** One round's nanoseconds: the bare verticles', the engine's deploy of them all, and of none. */
    record Round(long bare, long engine, long alone) {
      double enginePerTenantMicros(int n) {
        return Math.max(0, engine - alone) / 1e3 / n;
      }

      double barePerTenantMicros(int n) {
        return bare / 1e3 / n;
      }

      double ratio() {
        return (double) Math.max(0, engine - alone) / bare;
      }
    }

    static DeployRounds measure(Vertx vertx, String baseUrl, List<String> tenants, long timeout) throws Exception {
      int n = tenants.size();
      List<Round> rounds = new ArrayList<>();
      for (int round = 0; round < (n >= MILLION ? 1 : DEPLOY_ROUNDS); round++) {
        long bare = bareDeploy(vertx, n, timeout);
        Path deployDir = Files.createTempDirectory("tenantwatch-bench-deploy");
        long[] engine = engineDeploy(vertx, baseUrl, tenants, deployDir, timeout);
        BenchReport.deleteTree(deployDir);
        LOG.info("{} tenants, deploy round {}: {} bare verticles deploy in {}; the engine deploys them, polls held, "
            + "in {} ({} of it the engine watching none)", n, round + 1, n, BenchReport.millis(bare),
            BenchReport.millis(engine[0]), BenchReport.millis(engine[1]));
        rounds.add(new Round(bare, engine[0], engine[1]));
      }
      return new DeployRounds(List.copyOf(rounds));
    }

    int count() {
      return rounds.size();
    }

    Round median() {
      List<Round> byRatio = rounds.stream().sorted(Comparator.comparingDouble(Round::ratio)).toList();
      return byRatio.get(byRatio.size() / 2);
    }
  }

  /**
   * The engine's deploy of {@code tenants} with their polls held back (one poll a second, one at a time,
   * none timed out or asked again meanwhile), on a store of its own: nanoseconds until all are deployed,
   * and until the engine watching none is up on the same store.
   */
  private static long[] engineDeploy(Vertx vertx, String baseUrl, List<String> tenants, Path dataDir,
      long timeoutSeconds) throws Exception {
    // The first start makes the store (initdb): not timed.
    TenantWatch.deploy(vertx, held(config(baseUrl, List.of(), dataDir))).await(1, TimeUnit.MINUTES)
        .close().await(1, TimeUnit.MINUTES);
    long start = System.nanoTime();
    TenantWatch idle = TenantWatch.deploy(vertx, held(config(baseUrl, List.of(), dataDir))).await(1, TimeUnit.MINUTES);
    long alone = System.nanoTime() - start;
    idle.close().await(1, TimeUnit.MINUTES);
    start = System.nanoTime();
    TenantWatch engine = TenantWatch.deploy(vertx, held(config(baseUrl, tenants, dataDir)))
        .await(timeoutSeconds, TimeUnit.SECONDS);
    long all = System.nanoTime() - start;
    engine.close().await(timeoutSeconds, TimeUnit.SECONDS);
    return new long[] {all, alone};
  }

  /**
   * {@code config} with its polls held back: one a second, one at a time, none asked again for four minutes
   * (a tenant asks again after twice the request timeout and a second; the admin listener's idle timeout
   * must be longer still).
   */
  private static JsonObject held(JsonObject config) {
    config.getJsonObject("stateApi").put("maxConcurrentPolls", 1).put("maxPollsPerSecond", 1)
        .put("requestTimeoutMs", 120_000);
    config.getJsonObject("admin").put("idleTimeoutMs", 300_000);
    return config;
  }

  /** Nanoseconds to deploy {@code n} bare verticles as the directory deploys tenants; undeployed after. */
  private static long bareDeploy(Vertx vertx, int n, long timeoutSeconds) throws Exception {
    BareTenantVerticles bare = new BareTenantVerticles();
    String id = vertx.deployVerticle(bare).await(1, TimeUnit.MINUTES);
    long took = bare.deploy(n).await(timeoutSeconds, TimeUnit.SECONDS);
    bare.undeployAll().await(timeoutSeconds, TimeUnit.SECONDS);
    vertx.undeploy(id).await(1, TimeUnit.MINUTES);
    return took;
  }

  /** The simulator with {@code n} unscripted tenants, deployed on {@code superOffice}. */
  private static Simulator simulator(Vertx superOffice, int n) throws Exception {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(n)
        .withScripted(false).withValidityMs(VALIDITY_MS), Clock.systemUTC());
    superOffice.deployVerticle(simulator).await(1, TimeUnit.MINUTES);
    return simulator;
  }

  /** Every tenant's state fetched once by a bare client, as fast as {@value #CONCURRENCY} requests at a time go. */
  private static RunOutcome bareRun(Vertx vertx, String baseUrl, List<String> tenants, long timeoutSeconds)
      throws Exception {
    BareStateClient bare = new BareStateClient(baseUrl, CONCURRENCY);
    vertx.deployVerticle(bare).await(1, TimeUnit.MINUTES);
    RunOutcome outcome = bare.run(tenants, tenants.size(), Long.MAX_VALUE).await(timeoutSeconds, TimeUnit.SECONDS);
    vertx.undeploy(bare.deploymentID()).await(1, TimeUnit.MINUTES);
    return outcome;
  }

  /**
   * What both aged cases start from: the simulator with N tenants on a Vert.x of its own, the engine's Vert.x, an
   * empty store, and the heap of the engine watching none (the simulator's per-tenant counters already full, as in
   * the day-one case).
   */
  private static final class AgedSetting {
    final Vertx superOffice = Vertx.vertx();
    final Vertx vertx = Vertx.vertx();
    final Simulator simulator;
    final String baseUrl;
    final List<String> tenants;
    final long timeout;
    final Path dataDir;
    final long idleHeap;

    AgedSetting(int n) throws Exception {
      simulator = simulator(superOffice, n);
      baseUrl = simulator.stateApiBaseUrl();
      tenants = simulator.tenantIds();
      timeout = Math.max(300, n / 500L);
      dataDir = Files.createTempDirectory("tenantwatch-bench-capacity-aged");
      bareRun(vertx, baseUrl, tenants, timeout);
      TenantWatch idle = TenantWatch.deploy(vertx, config(baseUrl, List.of(), dataDir)).await(1, TimeUnit.MINUTES);
      idleHeap = settledHeap();
      idle.close().await(1, TimeUnit.MINUTES);
    }

    /** How many history entries the view of a tenant in the middle shows. */
    int entries() throws Exception {
      return historySize(vertx, tenants.get(tenants.size() / 2));
    }

    void close(TenantWatch engine) throws Exception {
      engine.close().await(timeout, TimeUnit.SECONDS);
      vertx.close().await(1, TimeUnit.MINUTES);
      superOffice.close().await(1, TimeUnit.MINUTES);
      BenchReport.deleteTree(dataDir);
    }
  }

  private void runAged(int n) throws Exception {
    pureSnapshotRows();
    AgedSetting at = new AgedSetting(n);
    FirstPolls firstPolls = FirstPolls.watch(at.vertx, n);
    TenantWatch engine = TenantWatch.deploy(at.vertx, config(at.baseUrl, at.tenants, at.dataDir))
        .await(at.timeout, TimeUnit.SECONDS);
    boolean allPolled = firstPolls.await(at.timeout);
    firstPolls.close();
    long start = System.nanoTime();
    boolean aged = allPolled;
    if (allPolled) {
      try {
        HistoryAging.age(at.vertx, at.simulator, at.tenants, Math.max(600, n / 100L));
      } catch (IllegalStateException e) {
        LOG.error("{} tenants: aging did not finish", n, e);
        aged = false;
      }
    }
    long agedNanos = System.nanoTime() - start;
    int entries = at.entries();
    storeAtRest(at.vertx, at.timeout);
    long fullHeap = settledHeap();
    double perTenant = (double) (fullHeap - at.idleHeap) / n;
    LOG.info("{} aged tenants ({} steps each in {}; a sample holds {} entries): {} MB of heap, {} bytes per tenant",
        n, HistoryAging.STEPS, BenchReport.millis(agedNanos), entries, fullHeap >> 20, BenchReport.number(perTenant, 0));
    writeHistogram(n);

    agedRows("capacity: " + BenchReport.count(n) + " aged tenants (" + entries + " history entries each)", n,
        aged && entries == PollSettings.DEFAULT_HISTORY_LIMIT, "aged in " + seconds(agedNanos), fullHeap,
        at.idleHeap);
    at.close(engine);
  }

  /** The aged case's rows: the heap per aged tenant and, at a million, the node's whole heap. */
  private void agedRows(String label, int n, boolean aged, String how, long fullHeap, long idleHeap) {
    double perTenant = (double) (fullHeap - idleHeap) / n;
    report.row(label + " retained heap per tenant (embedded store)",
        aged ? BenchReport.number(perTenant / 1024, 2) + " KB/tenant (heap " + (fullHeap >> 20) + " MB; " + how + ")"
            : "not aged: see the log",
        (idleHeap >> 20) + " MB (engine watching none; the simulator's tenants in both)",
        BenchReport.ratio(fullHeap, idleHeap),
        "<= 5 KB/tenant",
        aged && perTenant <= MAX_BYTES_PER_AGED_TENANT);
    if (n >= MILLION) {
      long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
      report.row(label + " on one node (simulator in the same heap)",
          "heap " + gigabytes(fullHeap) + " GB used of " + gigabytes(maxHeap) + " GB max", "-", "-", "<= 6 GB heap",
          aged && fullHeap <= MILLION_HEAP_BYTES && maxHeap <= MILLION_HEAP_BYTES);
    }
  }

  /**
   * The aged case through the store, for sizes whose aging through the engine would take too long (a million:
   * about an hour): one tenant is aged by the engine as in {@link #runAged}, its stored row is the template of N
   * rows written straight into the store ({@link StoredTenantRows}, half of them with their {@code ValidUntil}
   * passed), and the engine restarts on them (R11), polls the due half, and is measured at rest as in the
   * other cases. The quick set runs it beside {@link #runAged} at 100,000, so the two ways show side by side.
   */
  private void runAgedStored(int n) throws Exception {
    AgedSetting at = new AgedSetting(n);
    String seed = at.tenants.get(0);
    FirstPolls seedPolled = FirstPolls.watch(at.vertx, 1);
    TenantWatch seeding = TenantWatch.deploy(at.vertx, config(at.baseUrl, List.of(seed), at.dataDir))
        .await(1, TimeUnit.MINUTES);
    boolean aged = seedPolled.await(60);
    seedPolled.close();
    if (aged) {
      HistoryAging.age(at.vertx, at.simulator, List.of(seed), 600);
    }
    int seedEntries = historySize(at.vertx, seed);
    storeAtRest(at.vertx, at.timeout);
    seeding.close().await(1, TimeUnit.MINUTES);
    long firstTenant = SimulatorOptions.defaults().firstTenant();
    long fillStart = System.nanoTime();
    StoredTenantRows.withStore(at.vertx, at.dataDir, pool -> {
      StoredTenantRows.fill(pool, seed, firstTenant, n, Instant.now());
      return null;
    });
    long filled = System.nanoTime() - fillStart;

    RestartEvents events = RestartEvents.watch(at.vertx, firstTenant, n);
    long start = System.nanoTime();
    TenantWatch engine = TenantWatch.deploy(at.vertx, config(at.baseUrl, List.of(), at.dataDir))
        .await(at.timeout, TimeUnit.SECONDS);
    boolean restored = events.awaitRestored(at.timeout) && events.awaitDuePolled(at.timeout);
    long restoredNanos = System.nanoTime() - start;
    events.close();
    int entries = at.entries();
    storeAtRest(at.vertx, at.timeout);
    long fullHeap = settledHeap();
    LOG.info("{} aged tenants stored (from {} with {} entries, written in {}) and restored, the due half polled, in {} "
            + "(all: {}); a sample holds {} entries: {} MB of heap, {} bytes per tenant", n, seed, seedEntries,
        BenchReport.millis(filled), BenchReport.millis(restoredNanos), restored, entries, fullHeap >> 20,
        BenchReport.number((double) (fullHeap - at.idleHeap) / n, 0));
    writeHistogram(n);
    agedRows("capacity: " + BenchReport.count(n) + " aged tenants restored from the store (" + entries
            + " history entries each)", n, aged && restored && entries >= PollSettings.DEFAULT_HISTORY_LIMIT,
        "restored and the due half polled in " + seconds(restoredNanos), fullHeap, at.idleHeap);
    at.close(engine);
  }

  /**
   * The pure snapshot after a first poll and {@value HistoryAging#STEPS} more an hour apart: its retained
   * heap, and how much of it is the history (what a store-backed history would take out of the heap).
   */
  private void pureSnapshotRows() throws Exception {
    long empty = settledHeap();
    TenantSnapshot[] aged = HistoryAging.pureSnapshots(PURE_TENANTS, Instant.parse("2026-01-01T00:00:00Z"));
    long withHistory = settledHeap();
    TenantSnapshot[] bare = HistoryAging.withoutHistory(aged);
    int entries = aged[0].history().size();
    aged = null;
    long withoutHistory = settledHeap();
    Reference.reachabilityFence(bare);
    double perSnapshot = (double) (withHistory - empty) / PURE_TENANTS;
    double perBare = (double) (withoutHistory - empty) / PURE_TENANTS;
    LOG.info("pure snapshots: {} bytes each with {} history entries, {} bytes without them", BenchReport.number(
        perSnapshot, 0), entries, BenchReport.number(perBare, 0));
    report.row("capacity: the pure TenantSnapshot after " + (HistoryAging.STEPS + 1) + " poll steps an hour apart ("
            + entries + " history entries; " + BenchReport.count(PURE_TENANTS) + " snapshots)",
        BenchReport.number(perSnapshot / 1024, 2) + " KB/snapshot (the history "
            + BenchReport.number((perSnapshot - perBare) / 1024, 2) + " KB of it)",
        BenchReport.number(perBare / 1024, 2) + " KB (the same snapshots without their history: a store-backed history)",
        BenchReport.ratio(perSnapshot, perBare), "-", null);
  }

  /** How many history entries the tenant's view shows. */
  private static int historySize(Vertx vertx, String tenant) throws Exception {
    JsonObject view = vertx.eventBus().<JsonObject>request(Addresses.tenant(tenant),
        TenantMessages.of(TenantMessages.VIEW)).await(1, TimeUnit.MINUTES).body();
    return view.getJsonArray("history").size();
  }

  private static String seconds(long nanos) {
    return BenchReport.number(nanos / 1e9, 1) + " s";
  }

  private static String gigabytes(long bytes) {
    return BenchReport.number(bytes / (double) (1L << 30), 2);
  }

  private static JsonObject config(String baseUrl, List<String> tenants, Path dataDir) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(new ArrayList<>(tenants)))
        .put("stateApi", new JsonObject()
            .put("baseUrl", baseUrl)
            .put("maxConcurrentPolls", CONCURRENCY)
            .put("maxPollsPerSecond", POLLS_PER_SECOND))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()));
  }

  /**
   * With {@code -Dbench.histogram=DIR}, writes {@code jcmd GC.class_histogram} of this JVM with all N
   * tenants watched to {@code DIR/capacity-N.txt}: where the heap per tenant goes.
   */
  private static void writeHistogram(int n) throws Exception {
    String dir = System.getProperty("bench.histogram");
    if (dir == null) {
      return;
    }
    Path file = Path.of(dir, "capacity-" + n + ".txt");
    Files.createDirectories(file.getParent());
    new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
        .redirectErrorStream(true).redirectOutput(file.toFile()).start().waitFor();
    LOG.info("{} tenants: class histogram in {}", n, file);
  }

  /**
   * Waits until the store has written every change (its pending count 0 on three checks in a row, longer
   * apart than the directory's batches): until then the first polls' snapshots wait in the heap as JSON,
   * about 1 KB a tenant at 10,000 tenants, which an engine at rest does not hold.
   */
  private static void storeAtRest(Vertx vertx, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    int quiet = 0;
    while (quiet < 3 && System.nanoTime() < deadline) {
      JsonObject health = vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject())
          .await(1, TimeUnit.MINUTES).body();
      quiet = health.getInteger("pendingWrites", 0) == 0 ? quiet + 1 : 0;
      vertx.timer(200).await(1, TimeUnit.MINUTES);
    }
  }

  /** Used heap once repeated full collections stop freeing anything worth counting. */
  static long settledHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 10; i++) {
      System.gc();
      used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < Math.max(1 << 20, used / 200)) {
        break;
      }
      previous = used;
    }
    return used;
  }

  /** Counts each tenant's first successful poll: its Unknown to Running step, published on the events address. */
  private static final class FirstPolls {
    private final AtomicLong count = new AtomicLong();
    private final Promise<Void> all = Promise.promise();
    private final MessageConsumer<JsonObject> consumer;

    private FirstPolls(Vertx vertx, int expected) {
      consumer = vertx.eventBus().consumer(Addresses.EVENTS, message -> {
        JsonObject event = message.body();
        if ("Unknown".equals(event.getString("from")) && "Running".equals(event.getString("to"))
            && count.incrementAndGet() == expected) {
          all.tryComplete();
        }
      });
    }

    static FirstPolls watch(Vertx vertx, int expected) throws Exception {
      FirstPolls polls = new FirstPolls(vertx, expected);
      polls.consumer.completion().await(1, TimeUnit.MINUTES);
      return polls;
    }

    boolean await(long timeoutSeconds) throws Exception {
      try {
        all.future().await(timeoutSeconds, TimeUnit.SECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      }
    }

    long count() {
      return count.get();
    }

    void close() throws Exception {
      consumer.unregister().await(1, TimeUnit.MINUTES);
    }
  }
}
