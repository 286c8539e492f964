package io.tenantwatch.node;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two engines as one cluster in this JVM, for the tests of what any node answers for the whole cluster: real
 * Hazelcast on loopback ({@link TestNodes}), one embedded PostgreSQL, and a simulated state API (unscripted, so
 * tests set each state) whose notification key both nodes trust. {@link #start} returns once both nodes run
 * their shards and every tenant has been polled.
 */
final class TwoEngineCluster implements AutoCloseable {
  static final int SHARDS = 16;
  static final long WAIT_SECONDS = TestNodes.WAIT_SECONDS;

  final Vertx plain = Vertx.vertx();
  final WebClient client = WebClient.create(plain);
  final List<TenantWatch> engines = new ArrayList<>();
  /** Each node's clustered Vertx, by node index. */
  final List<Vertx> clustered = new ArrayList<>();
  final List<String> tenants;
  final TestNodes nodes = new TestNodes(2);
  Simulator simulator;
  private EmbeddedPostgresServer database;

  private TwoEngineCluster(List<String> tenants) {
    this.tenants = tenants;
  }

  /**
   * Starts the database, the simulator with {@code tenants} running, and both nodes watching them.
   *
   * @param dir where the database and the simulator's key live
   */
  static TwoEngineCluster start(Path dir, List<String> tenants) throws Exception {
    return start(dir, tenants, simulator -> { });
  }

  /** What a test sets in the simulator before the nodes start (the states the first polls see). */
  interface Arrange {
    void arrange(Simulator simulator) throws Exception;
  }

  /** As {@link #start(Path, List)}, with {@code arrange} done to the simulator before the nodes start. */
  static TwoEngineCluster start(Path dir, List<String> tenants, Arrange arrange) throws Exception {
    TwoEngineCluster cluster = new TwoEngineCluster(List.copyOf(tenants));
    cluster.startAll(dir, arrange);
    return cluster;
  }

  private void startAll(Path dir, Arrange arrange) throws Exception {
    database = await(EmbeddedPostgresServer.start(plain, dir.resolve("pg")));
    simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(1).withScripted(false)
        .withValidityMs(600_000), Clock.systemUTC());
    await(plain.deployVerticle(simulator));
    for (String tenant : tenants) {
      await(simulator.addTenant(tenant));
    }
    arrange.arrange(simulator);
    Path key = dir.resolve("simulator.pem");
    Files.writeString(key, simulator.signer().publicKeyPem());
    List<Future<TenantWatch>> starting = new ArrayList<>();
    for (int node = 0; node < 2; node++) {
      JsonObject config = TestEngine.config(simulator.stateApiBaseUrl(), tenants.toArray(String[]::new))
          .put("webhook", new JsonObject().put("certificates", new JsonArray().add(key.toString()))
              .put("issuers", new JsonArray().add(Simulator.ISSUER)))
          .put("store", new JsonObject().put("type", "postgres").put("url", "postgresql://"
              + EmbeddedPostgresServer.USER + "@127.0.0.1:" + database.port() + "/" + EmbeddedPostgresServer.DATABASE))
          .put("cluster", nodes.json(node).put("shards", SHARDS).put("minMembers", 2));
      Vertx vertx = nodes.vertx(TenantWatchOptions.fromJson(config).cluster());
      clustered.add(vertx);
      starting.add(TenantWatch.deploy(vertx, TenantWatchOptions.fromJson(config), Clock.systemUTC()));
    }
    for (Future<TenantWatch> engine : starting) {
      engines.add(await(engine));
    }
    await(Eventually.until(plain, () -> get(0, "/admin/tenants"), all -> all.getInteger("total") == tenants.size()
        && all.getJsonArray("tenants").stream().allMatch(v -> ((JsonObject) v).getString("lastPolledAt") != null)));
  }

  /** {@code GET path} on node {@code node}'s admin listener, as JSON. */
  Future<JsonObject> get(int node, String path) {
    return client.get(engines.get(node).adminPort(), "127.0.0.1", path).send().map(HttpResponse::bodyAsJsonObject);
  }

  /** The node (by index) that holds the shard's lease now. */
  int owningNode(int shard) {
    for (int node = 0; node < engines.size(); node++) {
      if (engines.get(node).shardOwner().orElseThrow().held().containsKey(shard)) {
        return node;
      }
    }
    throw new AssertionError("no node holds shard " + shard);
  }

  /** Each of {@code watched}'s owner's node id, from the leases each node holds. */
  Map<String, String> owners(List<String> watched) {
    Map<String, String> owners = new HashMap<>();
    watched.forEach(t -> owners.put(t, nodes.nodeId(owningNode(TenantShard.shard(t, SHARDS)))));
    return owners;
  }

  @Override
  public void close() throws Exception {
    for (TenantWatch engine : engines) {
      await(engine.close());
    }
    nodes.close();
    if (database != null) {
      await(database.stop(plain));
    }
    await(plain.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
