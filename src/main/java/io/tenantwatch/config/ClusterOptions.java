package io.tenantwatch.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cluster} section (issue 16, DESIGN "More than one node"): whether the engine is one node of
 * a Vert.x cluster on Hazelcast, how the node finds the others, and the rules all members must share.
 *
 * <p>The checks, and why:
 * <ul>
 *   <li>{@code members} entries are {@code host:port}, at least one: they are Hazelcast's TCP-IP join list
 *       (never multicast), and an empty list would let every node form a cluster of its own, silently.</li>
 *   <li>{@code shards} is at least 1 (as {@code TenantShard} requires) and at most {@value #MAX_SHARDS}: a
 *       shard is a lease row renewed every few seconds, so more shards than that cost the store more than
 *       they spread the work.</li>
 *   <li>{@code failureDetectionMs} is at least {@value #MIN_FAILURE_DETECTION_MS}: Hazelcast declares a
 *       member dead after that long without a heartbeat, and below 3 to 4 s a GC pause expels a healthy
 *       member (docs: hazelcast-measured).</li>
 *   <li>{@code leaseMs} is longer than {@code failureDetectionMs}: a lease that lapsed before a dead node is
 *       even noticed would make a live but slow owner lose its shards to nobody in particular, while a
 *       longer one lets the survivors take over right after they have noticed.</li>
 * </ul>
 *
 * @param enabled whether the engine runs clustered; false is one node, exactly as before
 * @param nodeId this member's name in views, leases and placement; {@code host:port} when the file sets none
 * @param host the IPv4 address of the interface Hazelcast binds (and only that one)
 * @param port Hazelcast's port on it, never auto-incremented: a clash is a failed start, not another port
 * @param members the TCP-IP join list, {@code host:port} each
 * @param eventBusHost the clustered event bus's interface; {@code host} when the file sets none
 * @param eventBusPort its port, 0 for any free one
 * @param shards the number of shards, the same on every member (a member whose count differs refuses to start)
 * @param minMembers members that must have joined before a cold cluster owns any shard
 * @param leaseMs how long a shard's lease lasts without renewal
 * @param failureDetectionMs how long a silent member stays a member (Hazelcast's heartbeat timeout)
 * @param maxShardMoves shards that move towards a joining member at a time
 */
public record ClusterOptions(
    boolean enabled,
    String nodeId,
    String host,
    int port,
    List<String> members,
    String eventBusHost,
    int eventBusPort,
    int shards,
    int minMembers,
    long leaseMs,
    long failureDetectionMs,
    int maxShardMoves) {

  public static final boolean DEFAULT_ENABLED = false;
  /** None: {@code host:port}. */
  public static final String DEFAULT_NODE_ID = null;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
  /** None: {@code host}. */
  public static final String DEFAULT_EVENT_BUS_HOST = null;
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  public static final int DEFAULT_SHARDS = 128;
  public static final int DEFAULT_MIN_MEMBERS = 1;
  public static final long DEFAULT_LEASE_MS = 10_000;
  public static final long DEFAULT_FAILURE_DETECTION_MS = 5_000;
  public static final int DEFAULT_MAX_SHARD_MOVES = 8;
  public static final int MAX_SHARDS = 4096;
  public static final long MIN_FAILURE_DETECTION_MS = 3_000;
  /** Ten minutes: a dead member's tenants wait at least this long, so longer is no failure detection at all. */
  public static final long MAX_FAILURE_DETECTION_MS = 600_000;
  /** An hour. */
  public static final long MAX_LEASE_MS = 3_600_000;

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,100}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern HOST = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
  private static final Pattern MEMBER = Pattern.compile("(" + HOST.pattern() + "):(\\d{1,5})");

  /** Fills the two defaults that depend on other keys, so every reader sees the value in use. */
  public ClusterOptions {
    members = List.copyOf(members);
    nodeId = nodeId == null ? host + ":" + port : nodeId;
    eventBusHost = eventBusHost == null ? host : eventBusHost;
  }

  /** Every key at its default: not clustered. */
  public static ClusterOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads and checks the section; see {@link TenantWatchOptions#fromJson(JsonObject)}. */
  public static ClusterOptions fromJson(JsonObject json) {
    return read(ConfigSection.at(json, "cluster"));
  }

  static ClusterOptions read(ConfigSection section) {
    boolean enabled = section.bool("enabled", DEFAULT_ENABLED);
    String nodeId = section.optionalText("nodeId");
    if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
      throw section.invalid("nodeId", "1 to 100 letters, digits and . _ : - [ ]", nodeId);
    }
    String host = section.text("host", DEFAULT_HOST);
    if (!isIpv4(host)) {
      throw section.invalid("host", "an IPv4 address of this machine", host);
    }
    int port = section.integer("port", DEFAULT_PORT, 1, 65535);
    List<String> members = section.textList("members", ClusterOptions::isMember,
        "host:port (a host name or address, and a port from 1 to 65535)");
    if (members != null && members.isEmpty()) {
      throw section.failure("members", "must name at least one member (host:port): with none, every node "
          + "would form a cluster of its own");
    }
    String eventBusHost = section.optionalText("eventBusHost");
    if (eventBusHost != null && !HOST.matcher(eventBusHost).matches()) {
      throw section.invalid("eventBusHost", "a host name or address", eventBusHost);
    }
    int eventBusPort = section.integer("eventBusPort", DEFAULT_EVENT_BUS_PORT, 0, 65535);
    int shards = section.integer("shards", DEFAULT_SHARDS, 1, MAX_SHARDS);
    int minMembers = section.integer("minMembers", DEFAULT_MIN_MEMBERS, 1, Integer.MAX_VALUE);
    long leaseMs = section.integer("leaseMs", DEFAULT_LEASE_MS, 1, MAX_LEASE_MS);
    long failureDetectionMs = section.integer("failureDetectionMs", DEFAULT_FAILURE_DETECTION_MS,
        MIN_FAILURE_DETECTION_MS, MAX_FAILURE_DETECTION_MS);
    int maxShardMoves = section.integer("maxShardMoves", DEFAULT_MAX_SHARD_MOVES, 1, Integer.MAX_VALUE);
    section.rejectUnknownKeys();
    if (leaseMs <= failureDetectionMs) {
      throw section.failure("leaseMs", "must be longer than " + section.keyPath("failureDetectionMs") + " ("
          + failureDetectionMs + "): a lease would lapse before a dead member is noticed, got " + leaseMs);
    }
    return new ClusterOptions(enabled, nodeId, host, port, members == null ? DEFAULT_MEMBERS : members,
        eventBusHost, eventBusPort, shards, minMembers, leaseMs, failureDetectionMs, maxShardMoves);
  }

  /**
   * Refuses a start that would build its own clustered Vertx without the Hazelcast cluster manager on
   * the classpath. A platform that hands the engine its own clustered Vertx needs no such check.
   *
   * @return these options, for chaining
   * @throws ConfigException naming {@code cluster.enabled} and the dependency to add
   */
  public ClusterOptions checkClusterManager() {
    if (!OptionalDependency.HAZELCAST.isPresent()) {
      throw OptionalDependency.HAZELCAST.missing("cluster.enabled", "true",
          ", or start the engine on a clustered Vertx of your own");
    }
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("nodeId", nodeId)
        .put("host", host)
        .put("port", port)
        .put("members", new JsonArray(members))
        .put("eventBusHost", eventBusHost)
        .put("eventBusPort", eventBusPort)
        .put("shards", shards)
        .put("minMembers", minMembers)
        .put("leaseMs", leaseMs)
        .put("failureDetectionMs", failureDetectionMs)
        .put("maxShardMoves", maxShardMoves);
  }

  /** Hazelcast matches its interface against addresses, never names, so no lookup is implied. */
  private static boolean isIpv4(String text) {
    if (!IPV4.matcher(text).matches()) {
      return false;
    }
    for (String octet : text.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isMember(String text) {
    Matcher member = MEMBER.matcher(text);
    if (!member.matches()) {
      return false;
    }
    int port = Integer.parseInt(member.group(2));
    return port >= 1 && port <= 65535;
  }
}
