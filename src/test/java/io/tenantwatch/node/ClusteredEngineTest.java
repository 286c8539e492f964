package io.tenantwatch.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.cluster.Placement;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.tenant.DirectoryMessages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines as one cluster, in this JVM: real Hazelcast on loopback, one embedded PostgreSQL shared.
 * Each tenant runs on exactly one node, the one the placement gives its shard to, and a node that leaves
 * gracefully hands its shards to the other, which then runs every tenant. (The tests with nodes in JVMs
 * of their own, killed and frozen, build on this.)
 */
class ClusteredEngineTest {
  private static final int SHARDS = 16;
  private static final long WAIT_SECONDS = TestNodes.WAIT_SECONDS;

  @TempDir
  Path dir;
  private Vertx plain;
  private EmbeddedPostgresServer database;
  private TestNodes nodes;
  private final List<String> tenants = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    plain = Vertx.vertx();
    database = EmbeddedPostgresServer.start(plain, dir.resolve("pg")).await(WAIT_SECONDS, TimeUnit.SECONDS);
    nodes = new TestNodes(2);
    for (int i = 0; i < 24; i++) {
      tenants.add("Cust" + (51000 + i));
    }
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
    database.stop(plain).await(WAIT_SECONDS, TimeUnit.SECONDS);
    plain.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private TenantWatch engine(Vertx vertx, int node) throws Exception {
    JsonObject config = TestEngine.config("http://127.0.0.1:9/api/state/", tenants.toArray(String[]::new))
        .put("store", new JsonObject().put("type", "postgres").put("url", "postgresql://"
            + EmbeddedPostgresServer.USER + "@127.0.0.1:" + database.port() + "/" + EmbeddedPostgresServer.DATABASE))
        .put("cluster", cluster(node));
    return TenantWatch.deploy(vertx, TenantWatchOptions.fromJson(config), Clock.systemUTC())
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private JsonObject cluster(int node) {
    return nodes.json(node).put("shards", SHARDS).put("minMembers", 2);
  }

  @Test
  @DisplayName("Every tenant runs on exactly one node, its shard's preferred owner; after a graceful leave the other node runs them all")
  void eachTenantOnceThenHandedOver() throws Exception {
    Vertx a = nodes.vertx(ClusterOptions.fromJson(cluster(0)));
    Vertx b = nodes.vertx(ClusterOptions.fromJson(cluster(1)));
    TenantWatch engineA = engine(a, 0);
    TenantWatch engineB = engine(b, 1);
    Placement placement = Placement.of(List.of(nodes.nodeId(0), nodes.nodeId(1)), SHARDS);

    awaitListed(a, b, (onA, onB) -> onA.size() + onB.size() == tenants.size());
    SortedSet<String> onA = listed(a);
    SortedSet<String> onB = listed(b);
    assertThat(onA).doesNotContainAnyElementsOf(onB);
    Set<String> all = new HashSet<>(onA);
    all.addAll(onB);
    assertThat(all).containsExactlyInAnyOrderElementsOf(tenants);
    onA.forEach(t -> assertThat(placement.owner(TenantShard.shard(t, SHARDS))).contains(nodes.nodeId(0)));
    onB.forEach(t -> assertThat(placement.owner(TenantShard.shard(t, SHARDS))).contains(nodes.nodeId(1)));
    assertThat(onA).isNotEmpty();
    assertThat(onB).isNotEmpty();
    JsonObject ready = WebClient.create(a).get(engineA.httpPort(), "127.0.0.1", "/ready").send()
        .await(WAIT_SECONDS, TimeUnit.SECONDS).bodyAsJsonObject();
    assertThat(ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> check.getString("id").equals("cluster")).map(check -> check.getString("status")))
        .as("a member: /ready's cluster check").containsExactly("UP");

    engineB.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    b.close().await(WAIT_SECONDS, TimeUnit.SECONDS);

    awaitListed(a, null, (left, none) -> left.size() == tenants.size());
    assertThat(listed(a)).containsExactlyInAnyOrderElementsOf(tenants);
    assertThat(engineA.shardOwner().orElseThrow().held()).hasSize(SHARDS);
    engineA.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private interface Both {
    boolean test(SortedSet<String> onA, SortedSet<String> onB);
  }

  private void awaitListed(Vertx a, Vertx b, Both done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      SortedSet<String> onA = listed(a);
      SortedSet<String> onB = b == null ? new TreeSet<>() : listed(b);
      if (done.test(onA, onB)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached: on A " + onA + ", on B " + onB);
      }
      // Poll the directories again once the next shard round may have run (no assertion on time).
      a.timer(200).await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static SortedSet<String> listed(Vertx vertx) throws Exception {
    JsonObject list = vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, DirectoryMessages.list(null, null))
        .map(reply -> reply.body()).await(WAIT_SECONDS, TimeUnit.SECONDS);
    SortedSet<String> ids = new TreeSet<>();
    JsonArray views = list.getJsonArray("tenants");
    views.forEach(view -> ids.add(((JsonObject) view).getString("tenant")));
    return ids;
  }
}
