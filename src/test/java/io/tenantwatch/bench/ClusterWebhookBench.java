package io.tenantwatch.bench;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.node.ClusteredVertx;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.FreePorts;
import io.tenantwatch.webhook.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 16, part 10: webhook-to-worker latency across two cluster nodes, against a single node, in the same
 * run and process. Two engines run as one cluster in this JVM (real Hazelcast on loopback, one embedded
 * PostgreSQL); each notification is posted to node A for a tenant that node B runs, and the worker is
 * registered on node A: the notification crosses to B over the clustered event bus, and B's pause crosses
 * back to the worker. The single node is an engine on its own with its own worker. Upgrades to open tenants
 * go out at a fixed {@value #RATE_PER_SECOND} per second to each side in turn; each sample is the time from
 * the request's send to the worker's consumer receiving the pause, both by {@link System#nanoTime()} in this
 * process.
 */
public final class ClusterWebhookBench {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWebhookBench.class);
  private static final String PATH = "/superoffice/state-change";
  private static final int TENANTS = 600;
  private static final int SHARDS = 16;
  private static final int RATE_PER_SECOND = 200;
  private static final long HOLD_MS = 200;
  private static final long WAIT_SECONDS = 180;

  private final BenchReport report;
  private final Vertx base = Vertx.vertx();
  private final TestTokens tokens = TestTokens.generate(Clock.systemUTC());
  private final SignedNotifications minter = new SignedNotifications(tokens);
  private final Path dir;
  private WebhookClient client;

  private ClusterWebhookBench(BenchReport report) throws java.io.IOException {
    this.report = report;
    this.dir = Files.createTempDirectory("tenantwatch-bench-cluster-webhook");
  }

  public static void main(String[] args) {
    BenchReport.main(args, report -> new ClusterWebhookBench(report).run());
  }

  private void run() throws Exception {
    int seconds = report.full() ? 60 : 15;
    EmbeddedPostgresServer database = await(EmbeddedPostgresServer.start(base, dir.resolve("pg")));
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(TENANTS)
        .withScripted(false).withValidityMs(Duration.ofMinutes(10).toMillis()), Clock.systemUTC());
    await(base.deployVerticle(simulator));
    List<String> tenants = simulator.tenantIds();
    Path certificate = dir.resolve("signer.crt");
    Files.writeString(certificate, tokens.certificatePem());
    client = new WebhookClient(base, 8, 1);
    List<Vertx> started = new ArrayList<>();
    try {
      // The single node first, alone on the machine's cores, then stopped before the cluster starts.
      Vertx single = Vertx.vertx();
      started.add(single);
      TenantWatch alone = await(TenantWatch.deploy(single, config(simulator, tenants, certificate)
          .put("store", new JsonObject().put("type", "postgres").put("url", url(database, "postgres")))));
      Side singleSide = side("single node", single, alone, tenants, tenants);
      long[] singleSamples = singleSide.measure(seconds);
      await(alone.close());

      List<Integer> ports = FreePorts.loopback(2);
      JsonArray members = new JsonArray(ports.stream().map(port -> "127.0.0.1:" + port).toList());
      String clusterUrl = url(database, createDatabase(database, "cluster"));
      List<TenantWatch> engines = new ArrayList<>();
      List<Future<TenantWatch>> deploying = new ArrayList<>();
      for (int node = 0; node < 2; node++) {
        JsonObject config = config(simulator, tenants, certificate)
            .put("store", new JsonObject().put("type", "postgres").put("url", clusterUrl))
            .put("cluster", new JsonObject().put("enabled", true).put("nodeId", "node-" + (char) ('a' + node))
                .put("host", "127.0.0.1").put("port", ports.get(node)).put("members", members)
                .put("shards", SHARDS).put("minMembers", 2));
        TenantWatchOptions options = TenantWatchOptions.fromJson(config);
        Vertx vertx = await(ClusteredVertx.start(new VertxOptions(), options.cluster()));
        started.add(vertx);
        deploying.add(TenantWatch.deploy(vertx, options, Clock.systemUTC()));
      }
      for (Future<TenantWatch> engine : deploying) {
        engines.add(await(engine));
      }
      Set<Integer> onB = settledPlacement(started.get(0), engines).get(1);
      List<String> runOnB = tenants.stream().filter(t -> onB.contains(TenantShard.shard(t, SHARDS))).toList();
      Side crossing = side("cluster, node A to node B and back", started.get(1), engines.get(0), tenants, runOnB);
      long[] crossSamples = crossing.measure(seconds);
      for (TenantWatch engine : engines) {
        await(engine.close());
      }

      Percentiles one = Percentiles.of(singleSamples);
      Percentiles cross = Percentiles.of(crossSamples);
      String at = " at " + RATE_PER_SECOND + " notifications/s, from the send (n=" + cross.count() + ", single n="
          + one.count() + ")";
      report.row("webhook-to-worker p50 across nodes, against a single node" + at, BenchReport.millis(cross.at(0.5)),
          BenchReport.millis(one.at(0.5)), BenchReport.ratio(cross.at(0.5), one.at(0.5)), "-", null);
      report.row("webhook-to-worker p99 across nodes, against a single node" + at, BenchReport.millis(cross.at(0.99)),
          BenchReport.millis(one.at(0.99)), BenchReport.ratio(cross.at(0.99), one.at(0.99)), "-", null);
    } finally {
      await(client.close());
      for (Vertx vertx : started) {
        await(vertx.close());
      }
      await(database.stop(base));
      await(base.close());
      BenchReport.deleteTree(dir);
    }
  }

  /**
   * The shards each engine holds once every shard is held and each engine holds some: both deploys end before
   * the members have agreed on the placement, and a node B that held no shard yet left the bench nothing to
   * measure (it divided by zero).
   */
  private static List<Set<Integer>> settledPlacement(Vertx vertx, List<TenantWatch> engines) throws Exception {
    return await(Eventually.until(vertx, () -> Future.succeededFuture(engines.stream()
            .map(engine -> Set.copyOf(engine.shardOwner().orElseThrow().held().keySet())).toList()),
        held -> held.stream().mapToInt(Set::size).sum() == SHARDS && held.stream().noneMatch(Set::isEmpty)));
  }

  /**
   * One side: its worker registered on {@code workerNode}, every tenant open at it, notifications posted to
   * {@code webhook}'s listener for {@code targets} only.
   */
  private Side side(String name, Vertx workerNode, TenantWatch webhook, List<String> tenants, List<String> targets)
      throws Exception {
    BenchWorker worker = new BenchWorker(tenants.size());
    await(workerNode.deployVerticle(worker));
    await(worker.allOpened());
    LOG.info("{}: {} tenants open at the worker, {} targeted", name, tenants.size(), targets.size());
    return new Side(name, worker, webhook.httpPort(), targets);
  }

  /** Paced Upgrades to one side's open target tenants; each pause is matched to its request by tenant. */
  private final class Side {
    private final String name;
    private final BenchWorker worker;
    private final int port;
    private final Set<String> targets;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    Side(String name, BenchWorker worker, int port, List<String> targets) {
      this.name = name;
      this.worker = worker;
      this.port = port;
      this.targets = Set.copyOf(targets);
    }

    long[] measure(int seconds) throws Exception {
      int total = seconds * RATE_PER_SECOND;
      Map<String, Deque<Buffer>> bodies = minter.mintPerTenant(List.copyOf(targets), ChangeType.UPGRADE,
          total / targets.size() + 3);
      worker.onPause((tenant, at) -> {
        Long sent = sentAt.remove(tenant);
        if (sent != null) {
          samples.add(at - sent);
        }
      });
      Promise<Void> done = Promise.promise();
      long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;
      long start = System.nanoTime();
      int[] sent = {0};
      base.setPeriodic(1, timer -> {
        long due = Math.min(total, (System.nanoTime() - start) / interval + 1);
        while (sent[0] < due) {
          send(bodies);
          sent[0]++;
        }
        if (sent[0] == total) {
          base.cancelTimer(timer);
          base.setTimer(3_000, late -> done.tryComplete());
        }
      });
      await(done.future());
      worker.onPause((tenant, at) -> { });
      LOG.info("{}: {} samples of {} ({} skipped: no open target; {} not answered 200)", name, samples.size(), total,
          skipped.get(), refused.get());
      return samples.stream().mapToLong(Long::longValue).toArray();
    }

    private void send(Map<String, Deque<Buffer>> bodies) {
      String tenant = nextTarget();
      Deque<Buffer> queue = tenant == null ? null : bodies.get(tenant);
      if (queue == null || queue.isEmpty()) {
        skipped.incrementAndGet();
        return;
      }
      sentAt.put(tenant, System.nanoTime());
      client.post(port, PATH, queue.poll(), null).onComplete(status -> {
        if (status.failed() || status.result() != 200) {
          refused.incrementAndGet();
          sentAt.remove(tenant);
        }
      });
    }

    /** The next open tenant among the targets; open tenants of the other node are put back for later. */
    private String nextTarget() {
      for (int tries = 0; tries < 2 * TENANTS; tries++) {
        String tenant = worker.takeOpenTenant();
        if (tenant == null) {
          return null;
        }
        if (targets.contains(tenant)) {
          return tenant;
        }
        worker.giveBack(tenant);
      }
      return null;
    }
  }

  private JsonObject config(Simulator simulator, List<String> tenants, Path certificate) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(new ArrayList<>(tenants)))
        .put("stateApi", new JsonObject().put("baseUrl", simulator.stateApiBaseUrl()).put("maxConcurrentPolls", 16)
            .put("maxPollsPerSecond", 500).put("notificationHoldMs", HOLD_MS))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("webhook", new JsonObject().put("path", PATH)
            .put("certificates", new JsonArray().add(certificate.toString()))
            .put("issuers", new JsonArray().add(TestTokens.ISSUER))
            .put("audience", SignedNotifications.AUDIENCE)
            .put("watchUnknownTenants", false));
  }

  private String createDatabase(EmbeddedPostgresServer database, String name) throws Exception {
    io.vertx.pgclient.PgConnection admin = await(io.vertx.pgclient.PgConnection.connect(base,
        new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1").setPort(database.port())
            .setUser(EmbeddedPostgresServer.USER).setDatabase(EmbeddedPostgresServer.DATABASE)));
    try {
      await(admin.query("CREATE DATABASE " + name).execute());
    } finally {
      await(admin.close());
    }
    return name;
  }

  private static String url(EmbeddedPostgresServer database, String name) {
    return "postgresql://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + database.port() + "/" + name;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
