package io.tenantwatch.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.tenantwatch.config.ClusterOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;

/**
 * The Hazelcast configuration of a tenantwatch node, built in code from {@code cluster} so that no
 * {@code cluster.xml} on a class path changes it. The timings are the ones measured on loopback
 * (docs: hazelcast-measured): heartbeats every second and a member declared gone after
 * {@code cluster.failureDetectionMs}, merges after a split within seconds rather than minutes, and a
 * join that waits one second instead of five. Hazelcast listens on {@code cluster.host:port} only
 * ({@code socket.bind.any} off, no other port tried), joins by TCP-IP on {@code cluster.members}, never
 * by multicast or auto-detection, and makes no outbound call of its own.
 *
 * <p>Only {@link ClusteredVertx} loads this class, after checking that Hazelcast is on the class path.
 */
public final class HazelcastSettings {
  /** Every tenantwatch node joins this Hazelcast cluster; nodes of other clusters on the members' ports are refused. */
  public static final String CLUSTER_NAME = "tenantwatch";
  /** The TCP-IP join's connection timeout: a member address that does not answer is skipped after this. */
  public static final int CONNECTION_TIMEOUT_SECONDS = 1;
  /** The map in which vertx-hazelcast keeps each member's node info (its event-bus address and metadata). */
  static final String NODE_INFO_MAP = "__vertx.nodeInfo";

  private HazelcastSettings() {
  }

  /** The cluster manager for a node with these options. */
  public static ClusterManager clusterManager(ClusterOptions options) {
    return new HazelcastClusterManager(config(options));
  }

  /** The Hazelcast configuration for a node with these options. */
  public static Config config(ClusterOptions options) {
    Config config = new Config().setClusterName(CLUSTER_NAME);
    properties(options).forEach(config::setProperty);
    NetworkConfig network = config.getNetworkConfig().setPort(options.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(options.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.members())
        .setConnectionTimeoutSeconds(CONNECTION_TIMEOUT_SECONDS);
    // vertx-hazelcast's own default-cluster.xml declares these; without a file they are declared here.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig(NODE_INFO_MAP).setBackupCount(1));
    return config;
  }

  /** The Hazelcast properties, by name, as hazelcast-measured lists them. */
  static Map<String, String> properties(ClusterOptions options) {
    long noHeartbeatSeconds = (options.failureDetectionMs() + 999) / 1000;
    return Map.of(
        "hazelcast.heartbeat.interval.seconds", "1",
        "hazelcast.max.no.heartbeat.seconds", Long.toString(noHeartbeatSeconds),
        "hazelcast.merge.first.run.delay.seconds", "10",
        "hazelcast.merge.next.run.delay.seconds", "5",
        "hazelcast.wait.seconds.before.join", "1",
        "hazelcast.max.wait.seconds.before.join", "3",
        "hazelcast.socket.bind.any", "false",
        "hazelcast.phone.home.enabled", "false",
        "hazelcast.logging.type", "slf4j");
  }
}
