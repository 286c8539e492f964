package io.tenantwatch.node;

import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.support.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clustered nodes in this JVM, on loopback ports chosen for the test, each joining the others' ports:
 * {@link #options(int)} for node {@code i}, {@link #start(ClusterOptions)} for its Vertx and
 * {@link Membership}. {@link #close()} closes every Vertx it started.
 */
final class TestNodes implements AutoCloseable {
  /** Generous: Hazelcast on a loaded 2-core machine; nothing here measures speed. */
  static final long WAIT_SECONDS = 60;

  private final List<Integer> ports;
  private final List<Vertx> started = new ArrayList<>();

  TestNodes(int count) {
    ports = FreePorts.loopback(count);
  }

  /** Node {@code i}'s section, {@code cluster.enabled}, its members being every node of this set. */
  JsonObject json(int i) {
    return new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", ports.get(i))
        .put("members", new JsonArray(ports.stream().map(port -> "127.0.0.1:" + port).toList()))
        .put("failureDetectionMs", 5_000).put("leaseMs", 10_000);
  }

  ClusterOptions options(int i) {
    return ClusterOptions.fromJson(json(i));
  }

  String nodeId(int i) {
    return options(i).nodeId();
  }

  /** A clustered Vertx as the engine builds its own. */
  Vertx vertx(ClusterOptions options) throws Exception {
    return track(ClusteredVertx.start(new VertxOptions(), options).await(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  /** A node with its membership deployed. */
  Node start(ClusterOptions options) throws Exception {
    Vertx vertx = vertx(options);
    Membership membership = new Membership(options);
    vertx.deployVerticle(membership).await(WAIT_SECONDS, TimeUnit.SECONDS);
    return new Node(vertx, membership);
  }

  /** A started node: its clustered Vertx and its membership. */
  record Node(Vertx vertx, Membership membership) {
  }

  Vertx track(Vertx vertx) {
    synchronized (started) {
      started.add(vertx);
    }
    return vertx;
  }

  /** Waits until {@code membership} shows exactly {@code expected}. */
  static void awaitMembers(Membership membership, Set<String> expected) throws Exception {
    CompletableFuture<SortedSet<String>> seen = new CompletableFuture<>();
    membership.onChange(members -> {
      if (members.equals(expected)) {
        seen.complete(members);
      }
    });
    if (membership.members().equals(expected)) {
      seen.complete(membership.members());
    }
    seen.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws java.util.concurrent.TimeoutException {
    List<Vertx> all;
    synchronized (started) {
      all = List.copyOf(started);
    }
    for (Vertx vertx : all) {
      vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
