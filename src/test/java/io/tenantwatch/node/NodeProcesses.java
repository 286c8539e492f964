package io.tenantwatch.node;

import io.tenantwatch.support.FreePorts;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of engine nodes, each the real main in a JVM of its own ({@link NodeProcess}), all on
 * 127.0.0.1: Hazelcast on loopback ports chosen here, each node listing every node's port as its members,
 * and one database shared ({@code store.type} {@code postgres}). No node runs a simulator: each polls the
 * test's simulator through a {@link StateApiProxy} of its own in the test's JVM, so the test sees which
 * node polls which tenant. Every node watches the same tenants, and each has fixed loopback ports for its
 * two listeners (a port 0 would not be known outside the node's JVM).
 *
 * <p>The timings are the shortest {@code cluster} allows with room for a loaded machine: a member is gone
 * after {@value #FAILURE_DETECTION_MS} ms without a heartbeat, a lease lasts {@value #LEASE_MS} ms. A cold
 * cluster owns nothing until every node has joined ({@code minMembers}), so the first node does not take
 * every shard only to hand most over.
 *
 * <p>With {@link Setup#recordingWorkers()} every node also runs a recording worker
 * ({@link NodeProcess.Recording}), writing to {@code worker-nodeN.jsonl} in the directory given.
 *
 * <p>{@link #close()} kills every node still running, frozen ones too, and a hook does the same if this
 * JVM ends first, so no node outlives its test.
 */
final class NodeProcesses implements AutoCloseable {
  static final int SHARDS = 32;
  static final long LEASE_MS = 5_000;
  static final long FAILURE_DETECTION_MS = 4_000;
  static final int MAX_SHARD_MOVES = 4;
  /** A JVM's start, Hazelcast's join and the engine's deploy, with three JVMs starting on two cores. */
  static final Duration START = Duration.ofSeconds(90);
  static final Duration EXIT = Duration.ofSeconds(30);

  private final List<NodeProcess> nodes;
  private final List<StateApiProxy> proxies;
  private final Thread killOnExit;

  /**
   * What the nodes run beyond the defaults.
   *
   * @param recordingWorkers whether every node runs a recording worker beside its engine
   * @param config merged (deep) into every node's config, after the defaults
   */
  record Setup(boolean recordingWorkers, JsonObject config) {
    static final Setup PLAIN = new Setup(false, new JsonObject());
  }

  private NodeProcesses(List<NodeProcess> nodes, List<StateApiProxy> proxies) {
    this.nodes = nodes;
    this.proxies = proxies;
    this.killOnExit = new Thread(this::destroyAll, "kill-nodes");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Writes {@code count} nodes' config files under {@code dir}, starts their JVMs together and waits until
   * each engine is running; on a failure every node started is killed.
   *
   * @param storeUrl the shared database's {@code store.url}
   * @param simulatorPort where the proxies send the polls on to
   */
  static NodeProcesses start(Vertx vertx, Path dir, String storeUrl, int simulatorPort, List<String> tenants, int count)
      throws Exception {
    return start(vertx, dir, storeUrl, simulatorPort, tenants, count, Setup.PLAIN);
  }

  /** As {@link #start(Vertx, Path, String, int, List, int)}, with {@code setup}. */
  static NodeProcesses start(Vertx vertx, Path dir, String storeUrl, int simulatorPort, List<String> tenants, int count,
      Setup setup) throws Exception {
    List<Integer> ports = FreePorts.loopback(4 * count);
    List<Integer> hazelcast = ports.subList(0, count);
    List<String> members = hazelcast.stream().map(port -> "127.0.0.1:" + port).toList();
    List<StateApiProxy> proxies = new ArrayList<>();
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StateApiProxy proxy = StateApiProxy.start(vertx, simulatorPort).await(30, TimeUnit.SECONDS);
      proxies.add(proxy);
      int httpPort = ports.get(count + i);
      int adminPort = ports.get(2 * count + i);
      JsonObject cluster = cluster(hazelcast.get(i), members);
      JsonObject config = TestEngine.config(proxy.baseUrl(), tenants.toArray(String[]::new))
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
          .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
          .put("store", new JsonObject().put("type", "postgres").put("url", storeUrl))
          .put("cluster", cluster)
          .put("shutdownTimeoutMs", 20_000);
      // A poll answered within a second on an idle machine may take longer on a loaded one.
      config.getJsonObject("stateApi").put("requestTimeoutMs", 2_000);
      config.mergeIn(setup.config(), true);
      String name = "node" + (i + 1);
      Path file = Files.writeString(dir.resolve(name + ".json"), config.encodePrettily());
      Optional<NodeProcess.Recording> recording = setup.recordingWorkers()
          ? Optional.of(new NodeProcess.Recording(dir.resolve("worker-" + name + ".jsonl"), ports.get(3 * count + i)))
          : Optional.empty();
      nodes.add(new NodeProcess(name, "127.0.0.1:" + hazelcast.get(i), file, httpPort, adminPort, recording));
    }
    NodeProcesses started = new NodeProcesses(nodes, proxies);
    try {
      for (NodeProcess node : nodes) {
        node.start();
      }
      for (NodeProcess node : nodes) {
        node.awaitRunning(START);
      }
      return started;
    } catch (Exception | AssertionError e) {
      started.close();
      throw e;
    }
  }

  private static JsonObject cluster(int port, List<String> members) {
    return new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", port)
        .put("members", new JsonArray(members)).put("shards", SHARDS).put("minMembers", members.size())
        .put("leaseMs", LEASE_MS).put("failureDetectionMs", FAILURE_DETECTION_MS)
        .put("maxShardMoves", MAX_SHARD_MOVES);
  }

  List<NodeProcess> all() {
    return List.copyOf(nodes);
  }

  /** Node {@code i}, from 0. */
  NodeProcess node(int i) {
    return nodes.get(i);
  }

  /** Every node but {@code left}. */
  List<NodeProcess> allBut(NodeProcess left) {
    return nodes.stream().filter(node -> node != left).toList();
  }

  /** The proxy {@code node} polls through. */
  StateApiProxy proxy(NodeProcess node) {
    return proxies.get(nodes.indexOf(node));
  }

  /** Polls per tenant at or after {@code nanos} ({@link System#nanoTime()}), every node's proxy together. */
  Map<String, Integer> polledSince(long nanos) {
    Map<String, Integer> polled = new TreeMap<>();
    proxies.forEach(proxy -> proxy.countsSince(nanos).forEach((tenant, n) -> polled.merge(tenant, n, Integer::sum)));
    return polled;
  }

  /** {@code count} context identifiers from {@code Cust<first>} on: consecutive ids spread evenly over the shards. */
  static List<String> tenants(int first, int count) {
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tenants.add("Cust" + (first + i));
    }
    return List.copyOf(tenants);
  }

  static SortedSet<String> nodeIds(Collection<NodeProcess> nodes) {
    SortedSet<String> ids = new TreeSet<>();
    nodes.forEach(node -> ids.add(node.nodeId()));
    return ids;
  }

  /** The last lines of every node, for a failure message. */
  String tails() {
    StringBuilder tails = new StringBuilder();
    // Each node's own view of the cluster too: a member that stays split off shows as two views that disagree.
    nodes.forEach(node -> tails.append(node).append(" (alive ").append(node.isAlive()).append(", members last seen ")
        .append(node.lastMembers().map(members -> "[" + members + "]").orElse("none")).append("):\n")
        .append(node.tail()).append('\n'));
    return tails.toString();
  }

  private void destroyAll() {
    for (NodeProcess node : nodes) {
      try {
        node.destroy();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() throws Exception {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs (or ran) anyway.
    }
    for (StateApiProxy proxy : proxies) {
      proxy.close().await(30, TimeUnit.SECONDS);
    }
  }
}
