package io.tenantwatch.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.SseClient;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines as one cluster in this JVM (real Hazelcast on loopback, one embedded PostgreSQL, a simulated
 * state API): every admin request and every notification may reach either node, and each is carried to the
 * node that runs the tenant (docs/contracts.md, "Routing"); either node's event stream shows both nodes' tenants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterRoutingTest {
  private static final int SHARDS = TwoEngineCluster.SHARDS;
  private static final long WAIT_SECONDS = TwoEngineCluster.WAIT_SECONDS;

  @TempDir
  static Path dir;
  private TwoEngineCluster cluster;
  private Vertx plain;
  private Simulator simulator;
  private TestNodes nodes;
  /** The cluster's tenants: those of the start, and the ones tests watch on the way. */
  private final List<String> tenants = new ArrayList<>();
  private List<TenantWatch> engines;
  private List<Vertx> clustered;
  private WebClient client;

  @BeforeAll
  void start() throws Exception {
    cluster = TwoEngineCluster.start(dir, IntStream.range(0, 12).mapToObj(i -> "Cust" + (61000 + i)).toList());
    tenants.addAll(cluster.tenants);
    plain = cluster.plain;
    client = cluster.client;
    simulator = cluster.simulator;
    nodes = cluster.nodes;
    engines = cluster.engines;
    clustered = cluster.clustered;
  }

  @AfterAll
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("GET /admin/tenants on either node lists every tenant once, each with the node that runs it as owner")
  void listsTheWholeCluster() throws Exception {
    Map<String, String> owners = owners();
    for (int node = 0; node < 2; node++) {
      JsonObject all = list(node).await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(all.getInteger("total")).isEqualTo(tenants.size());
      assertThat(all.containsKey("unanswered")).isFalse();
      assertThat(all.containsKey("moving")).as("every shard runs somewhere").isFalse();
      Map<String, String> listed = new HashMap<>();
      all.getJsonArray("tenants").forEach(v -> listed.put(((JsonObject) v).getString("tenant"),
          ((JsonObject) v).getString("owner")));
      assertThat(listed).isEqualTo(owners);
    }
    assertThat(owners.values()).contains(nodes.nodeId(0), nodes.nodeId(1));
  }

  @Test
  @DisplayName("A tenant's view and a forced poll answer from the node that does not run it, with owner and epoch")
  void viewAndPollFromTheOtherNode() throws Exception {
    String tenant = tenantOn(1);
    JsonObject view = admin(0, HttpMethod.GET, "/admin/tenants/" + tenant, 200);
    assertThat(view.getString("owner")).isEqualTo(nodes.nodeId(1));
    assertThat(view.getLong("epoch")).isPositive();
    assertThat(view.getJsonArray("history")).isNotNull();
    JsonObject polled = admin(0, HttpMethod.POST, "/admin/tenants/" + tenant + "/poll", 200);
    assertThat(polled.getString("owner")).isEqualTo(nodes.nodeId(1));
    assertThat(polled.getString("lastPolledAt")).isNotNull();
    admin(0, HttpMethod.GET, "/admin/tenants/Cust99999999", 404);
  }

  @Test
  @DisplayName("PUT and DELETE of a tenant through the node that does not run its shard watch and unwatch it on its owner")
  void watchAndUnwatchFromTheOtherNode() throws Exception {
    String added = null;
    for (int n = 62000; added == null; n++) {
      String candidate = "Cust" + n;
      if (owningNode(TenantShard.shard(candidate, SHARDS)) == 1) {
        added = candidate;
      }
    }
    simulator.addTenant(added).await(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonObject view = admin(0, HttpMethod.PUT, "/admin/tenants/" + added, 201);
    assertThat(view.getString("owner")).isEqualTo(nodes.nodeId(1));
    admin(1, HttpMethod.GET, "/admin/tenants/" + added, 200);
    admin(0, HttpMethod.DELETE, "/admin/tenants/" + added, 204);
    admin(1, HttpMethod.GET, "/admin/tenants/" + added, 404);
  }

  @Test
  @DisplayName("A notification posted to the node that does not run the tenant is handed to the tenant on its owner")
  void notificationReachesTheOwner() throws Exception {
    String tenant = tenantOn(1);
    simulator.sendNotificationsTo("http://127.0.0.1:" + engines.get(0).httpPort() + "/superoffice/state-change");
    simulator.set(tenant, TenantState.OFFLINE_MAINTENANCE).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(simulator.notify(tenant, ChangeType.UPGRADE, null).await(WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the webhook's answer on the other node").isEqualTo(200);
    JsonObject view = Eventually.until(plain, () -> view(1, tenant), v -> !v.getBoolean("running"))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(view.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("cause")))
        .anyMatch(cause -> cause.startsWith("notification"));
    simulator.set(tenant, TenantState.RUNNING).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("A worker's symptom report sent on the node that does not run the tenant reaches its owner, which polls it")
  void reportReachesTheOwner() throws Exception {
    String tenant = watchNewTenantOn(1, 65000);
    JsonObject before = view(1, tenant).await(WAIT_SECONDS, TimeUnit.SECONDS);
    long requests = simulator.requestCount(tenant);

    JsonObject answer = clustered.get(0).eventBus().<JsonObject>request(Addresses.REPORT,
            new SymptomReport(tenant, Symptom.UNAVAILABLE, 503, null, "worker-on-node-0").toJson())
        .await(WAIT_SECONDS, TimeUnit.SECONDS).body();

    assertThat(answer).isEqualTo(new JsonObject().put("tenant", tenant).put("poll", "started"));
    JsonObject after = Eventually.until(plain, () -> view(0, tenant),
        v -> !v.getString("lastPolledAt").equals(before.getString("lastPolledAt"))).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(after.getString("owner")).isEqualTo(nodes.nodeId(1));
    assertThat(simulator.requestCount(tenant)).isEqualTo(requests + 1);
    assertThat(after.getLong("seq")).as("no command").isEqualTo(before.getLong("seq"));
    assertThatThrownBy(() -> clustered.get(0).eventBus().request(Addresses.REPORT,
            new SymptomReport("Cust99999999", Symptom.WRONG_HOST, 421, null, null).toJson())
        .await(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOfSatisfying(ReplyException.class,
            refused -> assertThat(refused.failureCode()).isEqualTo(Failures.NOT_WATCHED));
  }

  @Test
  @DisplayName("A worker registered on one node gets a snapshot of every tenant in the cluster, and the other node's commands")
  void workerAnywhere() throws Exception {
    RecordingWorker worker = new RecordingWorker(clustered.get(0));
    JsonObject snapshot = worker.register().await(WAIT_SECONDS, TimeUnit.SECONDS);
    TenantGate gate = TenantGate.create(clustered.get(0), new TenantGateOptions("gate-on-node-0"));
    gate.start().await(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<String, String> owners = owners();
    List<String> snapshotTenants = snapshot.getJsonArray("tenants").stream()
        .map(Command::fromBody).filter(c -> c.type() != CommandType.RESYNC).map(Command::tenant).toList();
    assertThat(snapshotTenants).as("one entry per tenant, of both nodes").containsExactlyInAnyOrderElementsOf(
        owners.keySet().stream().filter(tenants::contains).toList());

    for (int node = 0; node < 2; node++) {
      JsonArray listed = admin(node, HttpMethod.GET, "/admin/workers", 200).getJsonArray("workers");
      assertThat(listed.stream().map(w -> ((JsonObject) w).getString("address")).filter(worker.address()::equals))
          .as("the worker, once, on node " + node).hasSize(1);
      assertThat(listed.stream().map(JsonObject.class::cast).filter(w -> w.getString("address").equals(worker.address()))
          .map(w -> w.getString("node"))).containsExactly(nodes.nodeId(0));
    }

    // The last of node 1's tenants: the notification test pauses the first.
    String tenant = owners.entrySet().stream().filter(e -> e.getValue().equals(nodes.nodeId(1)))
        .map(Map.Entry::getKey).sorted().reduce((first, second) -> second).orElseThrow();
    assertThat(snapshot.getJsonArray("tenants").stream().map(Command::fromBody).filter(c -> c.tenant().equals(tenant)))
        .extracting(Command::type).as("open when the worker registered").containsExactly(CommandType.RESUME);
    long epoch = engines.get(1).shardOwner().orElseThrow().held().get(TenantShard.shard(tenant, SHARDS));
    simulator.set(tenant, TenantState.SUSPENDED).await(WAIT_SECONDS, TimeUnit.SECONDS);
    admin(0, HttpMethod.POST, "/admin/tenants/" + tenant + "/poll", 200);
    Command pause = worker.await(c -> c.tenant().equals(tenant) && c.type() == CommandType.PAUSE)
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(pause.epoch()).as("the owner's lease epoch").isEqualTo(epoch);
    Eventually.until(plain, () -> Future.succeededFuture(gate.isRunning(tenant)), running -> !running)
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    simulator.set(tenant, TenantState.RUNNING).await(WAIT_SECONDS, TimeUnit.SECONDS);
    admin(1, HttpMethod.POST, "/admin/tenants/" + tenant + "/poll", 200);
    worker.await(c -> c.tenant().equals(tenant) && c.type() == CommandType.RESUME && c.fence().isAbove(pause.fence()))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    Eventually.until(plain, () -> Future.succeededFuture(gate.isRunning(tenant)), running -> running)
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    gate.stop().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("GET /admin/cluster on either node shows both members, the shards each runs and its tenants, and every lease")
  void clusterView() throws Exception {
    for (int node = 0; node < 2; node++) {
      int asked = node;
      // Another member's shards show once this node's shard owner has read the lease table after it took them.
      JsonObject view = Eventually.until(plain, () -> client.get(engines.get(asked).adminPort(), "127.0.0.1",
              "/admin/cluster").send().map(HttpResponse::bodyAsJsonObject),
          seen -> seen.getJsonArray("members").stream().mapToInt(m -> ((JsonObject) m).getJsonArray("shards").size())
              .sum() == SHARDS).await(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(view.getString("self")).isEqualTo(nodes.nodeId(node));
      List<JsonObject> members = view.getJsonArray("members").stream().map(JsonObject.class::cast).toList();
      assertThat(members).extracting(m -> m.getString("node")).as("by node id")
          .containsExactlyElementsOf(new java.util.TreeSet<>(List.of(nodes.nodeId(0), nodes.nodeId(1))));
      List<Integer> allShards = new ArrayList<>();
      int tenantsListed = 0;
      for (int i = 0; i < 2; i++) {
        String id = nodes.nodeId(i);
        JsonObject member = members.stream().filter(m -> m.getString("node").equals(id)).findFirst().orElseThrow();
        assertThat(member.getString("address")).startsWith("127.0.0.1:");
        assertThat(member.getString("since")).isNotNull();
        List<Integer> shards = member.getJsonArray("shards").stream().map(Integer.class::cast).toList();
        assertThat(shards).containsExactlyElementsOf(engines.get(i).shardOwner().orElseThrow().held().keySet());
        allShards.addAll(shards);
        tenantsListed += member.getInteger("tenants");
      }
      assertThat(allShards).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, SHARDS).boxed().toList());
      assertThat(tenantsListed).isEqualTo(list(node).await(WAIT_SECONDS, TimeUnit.SECONDS).getInteger("total"));
      List<JsonObject> shards = view.getJsonArray("shards").stream().map(JsonObject.class::cast).toList();
      assertThat(shards).hasSize(SHARDS);
      for (JsonObject shard : shards) {
        int number = shard.getInteger("shard");
        assertThat(shard.getString("owner")).isEqualTo(nodes.nodeId(owningNode(number)));
        assertThat(shard.getLong("epoch")).isPositive();
        assertThat(shard.getString("leaseExpiresAt")).isNotNull();
      }
    }
  }

  @Test
  @DisplayName("GET /admin/events on either node shows every transition and command of both nodes, each once")
  void eventStreamOfTheWholeCluster() throws Exception {
    // A tenant of its own on each node, so that no other test's steps come in between.
    List<String> driven = List.of(watchNewTenantOn(1, 63000), watchNewTenantOn(0, 64000));
    List<SseClient> streams = new ArrayList<>();
    try {
      for (int node = 0; node < 2; node++) {
        SseClient sse = SseClient.open(plain, engines.get(node).adminPort(), "/admin/events", null)
            .await(WAIT_SECONDS, TimeUnit.SECONDS);
        streams.add(sse);
        // ": connected": from then on the stream hears every node.
        assertThat(sse.until(events -> !events.isEmpty()).await(WAIT_SECONDS, TimeUnit.SECONDS).get(0).comment())
            .isEqualTo("connected");
      }
      for (String tenant : driven) {
        simulator.set(tenant, TenantState.SUSPENDED).await(WAIT_SECONDS, TimeUnit.SECONDS);
        admin(0, HttpMethod.POST, "/admin/tenants/" + tenant + "/poll", 200);
        simulator.set(tenant, TenantState.RUNNING).await(WAIT_SECONDS, TimeUnit.SECONDS);
        admin(1, HttpMethod.POST, "/admin/tenants/" + tenant + "/poll", 200);
      }
      for (int node = 0; node < 2; node++) {
        // Transitions and commands come on addresses of their own, in no order between the two.
        List<SseClient.Event> events = streams.get(node).until(seen -> driven.stream().allMatch(tenant ->
                bodies(seen, "command", tenant).anyMatch(c -> c.getString("type").equals("resume"))
                    && bodies(seen, "transition", tenant).anyMatch(t -> t.getString("to").equals("Running"))))
            .await(WAIT_SECONDS, TimeUnit.SECONDS);
        for (String tenant : driven) {
          String where = tenant + " (run by " + owner(tenant) + ") on node " + nodes.nodeId(node) + "'s stream";
          assertThat(bodies(events, "transition", tenant).map(t -> t.getString("from") + " -> " + t.getString("to")))
              .as(where).containsExactly("Running -> Suspended", "Suspended -> Running");
          assertThat(bodies(events, "command", tenant).map(c -> c.getString("type")))
              .as(where).containsExactly("pause", "resume");
          assertThat(bodies(events, "command", tenant).map(c -> c.getLong("epoch")))
              .as(where).allMatch(epoch -> epoch > 0);
        }
      }
    } finally {
      for (SseClient sse : streams) {
        sse.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  /** The bodies of the stream's events of this name for this tenant, in the order they came. */
  private static java.util.stream.Stream<JsonObject> bodies(List<SseClient.Event> events, String name, String tenant) {
    return events.stream().filter(e -> name.equals(e.name())).map(e -> new JsonObject(e.data()))
        .filter(body -> tenant.equals(body.getString("tenant")));
  }

  /**
   * Watches a new tenant, numbered from {@code from}, whose shard {@code node} holds, and waits until it is
   * open and its first command has gone out.
   */
  private String watchNewTenantOn(int node, int from) throws Exception {
    int number = from;
    while (owningNode(TenantShard.shard("Cust" + number, SHARDS)) != node) {
      number++;
    }
    String tenant = "Cust" + number;
    simulator.addTenant(tenant).await(WAIT_SECONDS, TimeUnit.SECONDS);
    admin(node, HttpMethod.PUT, "/admin/tenants/" + tenant, 201);
    // One of the cluster's tenants from now on, for the tests that count them.
    tenants.add(tenant);
    Eventually.until(plain, () -> view(node, tenant), v -> v.getBoolean("running") && v.getLong("seq") > 0)
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    return tenant;
  }

  private String owner(String tenant) {
    return nodes.nodeId(owningNode(TenantShard.shard(tenant, SHARDS)));
  }

  @Test
  @DisplayName("/metrics on a cluster node shows the members, the shards it holds, its lease renewals and the shards it took")
  void clusterMetrics() throws Exception {
    // Renewals come every quarter lease: wait for the first.
    String text = Eventually.until(plain, () -> client.get(engines.get(0).adminPort(), "127.0.0.1", "/metrics").send()
            .map(HttpResponse::bodyAsString), body -> body.contains("tenantwatch_cluster_lease_renewals_total"))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    int held = engines.get(0).shardOwner().orElseThrow().held().size();
    assertThat(text).contains("tenantwatch_cluster_members 2.0")
        .contains("tenantwatch_cluster_shards_owned " + held + ".0")
        .containsPattern("tenantwatch_cluster_handovers_total\\{cause=\"unowned\",move=\"taken\"\\} [1-9]")
        .containsPattern("tenantwatch_cluster_lease_renewals_total\\{outcome=\"renewed\"\\} [1-9]");
  }

  private String tenantOn(int node) throws Exception {
    return owners().entrySet().stream().filter(e -> e.getValue().equals(nodes.nodeId(node))).map(Map.Entry::getKey)
        .sorted().findFirst().orElseThrow();
  }

  private int owningNode(int shard) {
    return cluster.owningNode(shard);
  }

  /** Each tenant's owner, from the leases each node holds. */
  private Map<String, String> owners() {
    return cluster.owners(tenants);
  }

  private Future<JsonObject> list(int node) {
    return client.get(engines.get(node).adminPort(), "127.0.0.1", "/admin/tenants").send()
        .map(HttpResponse::bodyAsJsonObject);
  }

  private Future<JsonObject> view(int node, String tenant) {
    return client.get(engines.get(node).adminPort(), "127.0.0.1", "/admin/tenants/" + tenant).send()
        .map(HttpResponse::bodyAsJsonObject);
  }

  private JsonObject admin(int node, HttpMethod method, String path, int status) throws Exception {
    HttpResponse<Buffer> response = client.request(method, engines.get(node).adminPort(), "127.0.0.1", path).send()
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.bodyAsString()).isEqualTo(status);
    return response.body() == null || response.body().length() == 0 ? null : response.bodyAsJsonObject();
  }
}
