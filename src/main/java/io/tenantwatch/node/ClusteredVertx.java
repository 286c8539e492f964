package io.tenantwatch.node;

import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Starts the clustered {@link Vertx} a tenantwatch node runs on when the engine builds its own (the
 * runnable jar; a platform may use it too, or pass a clustered Vertx of its own): Hazelcast as
 * {@link HazelcastSettings} configures it, the event bus on {@code cluster.eventBusHost:eventBusPort}
 * (never a host Vert.x guesses, which could be a non-loopback address), and this node's
 * {@link MemberInfo} in its cluster node metadata, where the other members read it.
 *
 * <p>Neither Vert.x nor Hazelcast adds a shutdown hook (vertx-hazelcast turns Hazelcast's off): the
 * caller closes the Vertx on SIGTERM, or the others see the node's exit as a crash.
 */
public final class ClusteredVertx {
  private ClusteredVertx() {
  }

  /**
   * Joins the cluster.
   *
   * @param vertxOptions the node's Vert.x options; their event bus host, port and node metadata are
   *     set from {@code cluster}
   * @param cluster the {@code cluster} section
   * @return the clustered Vertx once this node is a member, or a failed future: a {@link ConfigException}
   *     naming {@code cluster.enabled} when Hazelcast is not on the class path, else Hazelcast's reason
   *     (a port in use, no interface with {@code cluster.host})
   */
  public static Future<Vertx> start(VertxOptions vertxOptions, ClusterOptions cluster) {
    try {
      cluster.checkClusterManager();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    vertxOptions.getEventBusOptions()
        .setHost(cluster.eventBusHost())
        .setPort(cluster.eventBusPort())
        .setClusterNodeMetadata(MemberInfo.of(cluster).writeTo(vertxOptions.getEventBusOptions().getClusterNodeMetadata()));
    return Vertx.builder().with(vertxOptions)
        .withClusterManager(HazelcastSettings.clusterManager(cluster))
        .buildClustered();
  }
}
