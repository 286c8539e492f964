package io.tenantwatch.bench;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.node.ClusteredVertx;
import io.tenantwatch.node.Membership;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.ChildMain;
import io.tenantwatch.support.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 16, part 10: the failover of a three-node cluster with 30,000 tenants. Node 1 runs in this JVM (with
 * a worker registered on it, which every node's commands reach); nodes 2 and 3 are the real main in JVMs of
 * their own; all share one embedded PostgreSQL and poll one simulated state API in this JVM. Once every
 * tenant is open at the worker, node 3 is killed with SIGKILL, and the time from the kill to every one of
 * its tenants being announced to the worker by its new owner (reason {@code handover}, a higher epoch) is
 * split into detection (node 1's membership drops node 3), the lease lapse (the latest {@code expires_at}
 * of node 3's leases, by the database's clock, on the same machine) and the takeover after both.
 *
 * <p>The takeover per 10,000 tenants is set against a single engine restoring the same number of tenants
 * from the store in the same run (its deploy, R11's restart, on a database of its own on the same server).
 * The settings are the defaults: {@code leaseMs} 10 s, {@code failureDetectionMs} 5 s, 128 shards.
 */
public final class FailoverBench {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverBench.class);
  private static final int TENANTS = 30_000;
  private static final int FIRST_TENANT = 200_001;
  private static final int SHARDS = 128;
  private static final long LEASE_MS = 10_000;
  private static final long FAILURE_DETECTION_MS = 5_000;
  private static final long WAIT_SECONDS = 300;
  private static final double TARGET_SECONDS_PER_10K = 5;

  private final BenchReport report;
  private final Path dir;
  private final Vertx base = Vertx.vertx();
  private final List<Process> children = new ArrayList<>();
  private final List<String> tenants = new ArrayList<>();
  private EmbeddedPostgresServer database;
  private Simulator simulator;

  private FailoverBench(BenchReport report) throws IOException {
    this.report = report;
    this.dir = Files.createTempDirectory("tenantwatch-bench-failover");
  }

  public static void main(String[] args) {
    BenchReport.main(args, report -> new FailoverBench(report).run());
  }

  private void run() throws Exception {
    try {
      database = await(EmbeddedPostgresServer.start(base, dir.resolve("pg")));
      simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(1).withScripted(false)
          .withValidityMs(Duration.ofMinutes(30).toMillis()), Clock.systemUTC());
      await(base.deployVerticle(simulator));
      for (int i = 0; i < TENANTS; i++) {
        tenants.add("Cust" + (FIRST_TENANT + i));
      }
      for (int from = 0; from < TENANTS; from += 1_000) {
        await(Future.all(tenants.subList(from, from + 1_000).stream().map(simulator::addTenant).toList()));
      }
      double takeoverPer10k = failover();
      double restorePer10k = singleNodeRestore();
      report.row("failover: takeover per 10,000 tenants, against a single node restoring as many from the store",
          BenchReport.decimal(takeoverPer10k, "s"), BenchReport.decimal(restorePer10k, "s"),
          BenchReport.ratio(takeoverPer10k, restorePer10k), "-", null);
    } finally {
      children.forEach(Process::destroyForcibly);
      if (database != null) {
        await(database.stop(base));
      }
      await(base.close());
      BenchReport.deleteTree(dir);
    }
  }

  /** The three-node failover; answers the takeover's seconds per 10,000 tenants. */
  private double failover() throws Exception {
    List<Integer> ports = FreePorts.loopback(9);
    List<String> members = List.of("127.0.0.1:" + ports.get(0), "127.0.0.1:" + ports.get(3),
        "127.0.0.1:" + ports.get(6));
    String url = url(EmbeddedPostgresServer.DATABASE);
    for (int node = 2; node <= 3; node++) {
      Path config = dir.resolve("node-" + node + ".json");
      Files.writeString(config, config(node, ports, members, url).encode());
      List<String> flags = new ArrayList<>(ChildMain.hazelcastFlags());
      flags.add("-Xmx1g");
      flags.add("-Dlogback.configurationFile=src/test/resources/logback-bench.xml");
      Process child = ChildMain.start(config, flags.toArray(String[]::new));
      children.add(child);
      drain(child, dir.resolve("node-" + node + ".log"));
    }
    TenantWatchOptions options = TenantWatchOptions.fromJson(config(1, ports, members, url));
    Vertx node1 = await(ClusteredVertx.start(new VertxOptions(), options.cluster()));
    long startedAt = System.nanoTime();
    TenantWatch engine = await(TenantWatch.deploy(node1, options, Clock.systemUTC()));
    HandoverWorker worker = new HandoverWorker(tenants);
    await(node1.deployVerticle(worker));
    await(worker.allOpen());
    LOG.info("failover: {} tenants open at the worker {} s after node 1's deploy began", TENANTS,
        seconds(System.nanoTime() - startedAt));

    String victim = "node-3";
    Set<Integer> victimShards = new HashSet<>(leases(url, victim).keySet());
    List<String> orphaned = tenants.stream().filter(t -> victimShards.contains(TenantShard.shard(t, SHARDS))).toList();
    Membership membership = engine.membership().orElseThrow();
    Promise<Long> detected = Promise.promise();
    membership.onChange(now -> {
      if (!now.contains(victim)) {
        detected.tryComplete(System.nanoTime());
      }
    });
    Future<Long> announced = worker.handoversOf(orphaned);

    Instant killedAt = Instant.now();
    long killed = System.nanoTime();
    children.get(1).destroyForcibly();
    // Read after the kill: no renewal can come any more.
    Instant lapse = leases(url, victim).values().stream().max(Instant::compareTo).orElse(killedAt);
    long detectedAt = await(detected.future());
    long doneAt = await(announced);

    double detection = seconds(detectedAt - killed);
    double leaseLapse = Math.max(0, Duration.between(killedAt, lapse).toNanos() / 1e9);
    double total = seconds(doneAt - killed);
    double takeover = total - Math.max(detection, leaseLapse);
    double per10k = takeover * 10_000 / orphaned.size();
    LOG.info("failover: {} orphaned tenants on {} shards; detection {} s, lease lapse {} s, all announced {} s after "
        + "the kill", orphaned.size(), victimShards.size(), detection, leaseLapse, total);
    String of = " (3 nodes, " + BenchReport.count(TENANTS) + " tenants, SIGKILL of one: "
        + BenchReport.count(orphaned.size()) + " orphaned)";
    report.row("failover: kill to every orphaned tenant owned and announced" + of, BenchReport.decimal(total, "s"),
        "-", null);
    report.row("failover: detection (membership drops the node)", BenchReport.decimal(detection, "s"),
        "failureDetectionMs " + FAILURE_DETECTION_MS / 1000 + " s", null);
    report.row("failover: lease lapse (its last lease's expires_at)", BenchReport.decimal(leaseLapse, "s"),
        "leaseMs " + LEASE_MS / 1000 + " s", null);
    report.row("failover: takeover after detection and the lease, per 10,000 tenants",
        BenchReport.decimal(per10k, "s"), "< " + BenchReport.decimal(TARGET_SECONDS_PER_10K, "s"),
        per10k < TARGET_SECONDS_PER_10K);

    await(engine.close());
    await(node1.close());
    Process other = children.get(0);
    other.destroy();
    other.waitFor(60, TimeUnit.SECONDS);
    return per10k;
  }

  /**
   * A single engine watches as many tenants as the failover orphaned (10,000 of them) on a database of its
   * own, stops, and starts again: answers its restart's seconds per 10,000 tenants.
   */
  private double singleNodeRestore() throws Exception {
    String name = "single";
    PgConnection admin = await(PgConnection.connect(base, connectTo(EmbeddedPostgresServer.DATABASE)));
    try {
      await(admin.query("CREATE DATABASE " + name).execute());
    } finally {
      await(admin.close());
    }
    List<String> some = tenants.subList(0, 10_000);
    JsonObject config = common(some).put("store", new JsonObject().put("type", "postgres").put("url", url(name)));
    Vertx vertx = Vertx.vertx();
    try {
      TenantWatch first = await(TenantWatch.deploy(vertx, config));
      HandoverWorker worker = new HandoverWorker(some);
      await(vertx.deployVerticle(worker));
      await(worker.allOpen());
      await(first.close());
      long began = System.nanoTime();
      TenantWatch second = await(TenantWatch.deploy(vertx, config));
      double restore = seconds(System.nanoTime() - began);
      LOG.info("single node: {} tenants restored from the store in {} s", some.size(), restore);
      await(second.close());
      return restore * 10_000 / some.size();
    } finally {
      await(vertx.close());
    }
  }

  private JsonObject config(int node, List<Integer> ports, List<String> members, String url) {
    int at = (node - 1) * 3;
    return common(tenants)
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", ports.get(at + 1)))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", ports.get(at + 2)))
        .put("store", new JsonObject().put("type", "postgres").put("url", url))
        .put("cluster", new JsonObject().put("enabled", true).put("nodeId", "node-" + node)
            .put("host", "127.0.0.1").put("port", ports.get(at)).put("members", new JsonArray(members))
            .put("shards", SHARDS).put("minMembers", 3).put("leaseMs", LEASE_MS)
            .put("failureDetectionMs", FAILURE_DETECTION_MS));
  }

  /** What every engine of the bench shares: the tenants, the simulator, fast enough polling for the start. */
  private JsonObject common(List<String> watched) {
    return new JsonObject().put("environment", "custom")
        .put("tenants", new JsonArray(new ArrayList<>(watched)))
        .put("stateApi", new JsonObject().put("baseUrl", simulator.stateApiBaseUrl()).put("requestTimeoutMs", 5_000)
            .put("maxConcurrentPolls", 32).put("maxPollsPerSecond", 4_000))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("shutdownTimeoutMs", 60_000);
  }

  /** The shards {@code owner} holds a lease on, with each lease's expiry by the database's clock. */
  private java.util.Map<Integer, Instant> leases(String url, String owner) throws Exception {
    PgConnection conn = await(PgConnection.connect(base, connectTo(EmbeddedPostgresServer.DATABASE)));
    try {
      java.util.Map<Integer, Instant> held = new java.util.TreeMap<>();
      for (Row row : await(conn.preparedQuery("SELECT shard, expires_at FROM shard_lease WHERE owner = $1")
          .execute(io.vertx.sqlclient.Tuple.of(owner)))) {
        held.put(row.getInteger("shard"), row.getOffsetDateTime("expires_at").toInstant());
      }
      return held;
    } finally {
      await(conn.close());
    }
  }

  private PgConnectOptions connectTo(String name) {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(database.port()).setUser(EmbeddedPostgresServer.USER)
        .setDatabase(name);
  }

  private String url(String name) {
    return "postgresql://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + database.port() + "/" + name;
  }

  /** Copies a child's output to a file, so its pipe never fills and blocks it. */
  private static void drain(Process child, Path log) {
    Thread copier = new Thread(() -> {
      try (InputStream in = child.getInputStream()) {
        Files.copy(in, log);
      } catch (IOException e) {
        LOG.debug("output of a node ended: {}", e.getMessage());
      }
    }, "node-output");
    copier.setDaemon(true);
    copier.start();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
