package io.tenantwatch.node;

import static io.tenantwatch.node.TestNodes.WAIT_SECONDS;
import static io.tenantwatch.node.TestNodes.awaitMembers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, part 1: real Hazelcast members in this JVM, on loopback, each seeing the others by their
 * tenantwatch node ids, and refusing a member whose shard count differs.
 */
class MembershipTest {

  @Test
  @DisplayName("two nodes form a cluster and each sees both node ids; when one closes, the other's view shrinks to itself")
  void joinAndLeave() throws Exception {
    try (TestNodes nodes = new TestNodes(2)) {
      TestNodes.Node firstNode = nodes.start(nodes.options(0));
      TestNodes.Node secondNode = nodes.start(nodes.options(1));
      Membership first = firstNode.membership();
      Membership second = secondNode.membership();
      Set<String> both = Set.of(nodes.nodeId(0), nodes.nodeId(1));

      awaitMembers(first, both);
      awaitMembers(second, both);
      assertThat(first.holdsMembership()).isTrue();
      assertThat(second.holdsMembership()).isTrue();

      secondNode.vertx().close().await(WAIT_SECONDS, TimeUnit.SECONDS);

      awaitMembers(first, Set.of(nodes.nodeId(0)));
      assertThat(second.holdsMembership()).isFalse();
      assertThat(first.holdsMembership()).isTrue();
    }
  }

  @Test
  @DisplayName("a member whose info a merge removed from the cluster publishes it again, and a member that had not read it counts it")
  void infoRemovedByAMergeIsPublishedAgain() throws Exception {
    try (TestNodes nodes = new TestNodes(3)) {
      TestNodes.Node first = nodes.start(nodes.options(0));
      Membership second = nodes.start(nodes.options(1)).membership();
      awaitMembers(second, Set.of(nodes.nodeId(0), nodes.nodeId(1)));
      // As a member split off and merged back does when its clean-up of a member it saw leave runs after the merge.
      HazelcastClusterManager manager = (HazelcastClusterManager) ((VertxInternal) first.vertx()).clusterManager();
      manager.getHazelcastInstance().getMap(HazelcastSettings.NODE_INFO_MAP).remove(manager.getNodeId());

      Membership third = nodes.start(nodes.options(2)).membership();

      awaitMembers(third, Set.of(nodes.nodeId(0), nodes.nodeId(1), nodes.nodeId(2)));
    }
  }

  @Test
  @DisplayName("a node whose cluster.shards differs refuses to start, naming the key and both counts, and is never counted")
  void differentShardCount() throws Exception {
    try (TestNodes nodes = new TestNodes(2)) {
      Membership first = nodes.start(nodes.options(0)).membership();
      ClusterOptions other = ClusterOptions.fromJson(nodes.json(1).put("shards", 64));
      Vertx otherVertx = nodes.vertx(other);

      Throwable refused = catchThrowable(
          () -> otherVertx.deployVerticle(new Membership(other)).await(WAIT_SECONDS, TimeUnit.SECONDS));

      assertThat(refused).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) refused).key()).isEqualTo("cluster.shards");
      assertThat(refused.getMessage()).startsWith("cluster.shards: is 64 here but 128 on member " + nodes.nodeId(0));
      assertThat(first.members()).containsExactly(nodes.nodeId(0));
    }
  }

  @Test
  @DisplayName("on a platform's own clustered Vertx without tenantwatch metadata, the membership publishes its node id")
  void platformVertx() throws Exception {
    try (TestNodes nodes = new TestNodes(2)) {
      Membership first = nodes.start(nodes.options(0)).membership();
      ClusterOptions platform = nodes.options(1);
      VertxOptions options = new VertxOptions();
      options.getEventBusOptions().setHost("127.0.0.1").setClusterNodeMetadata(new JsonObject().put("team", "crm"));
      Vertx vertx = nodes.track(Vertx.builder().with(options)
          .withClusterManager(HazelcastSettings.clusterManager(platform)).buildClustered()
          .await(WAIT_SECONDS, TimeUnit.SECONDS));

      vertx.deployVerticle(new Membership(platform)).await(WAIT_SECONDS, TimeUnit.SECONDS);

      awaitMembers(first, Set.of(nodes.nodeId(0), nodes.nodeId(1)));
      JsonObject metadata = ((VertxInternal) vertx).clusterManager().getNodeInfo().metadata();
      assertThat(metadata.getString("team")).as("the platform's own metadata is kept").isEqualTo("crm");
    }
  }

  @Test
  @DisplayName("on a Vertx that is not clustered, the membership refuses to start, naming cluster.enabled")
  void notClustered() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable refused = catchThrowable(() -> vertx.deployVerticle(new Membership(ClusterOptions.defaults()))
          .await(WAIT_SECONDS, TimeUnit.SECONDS));

      assertThat(refused).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("cluster.enabled: needs a clustered Vertx: ");
    } finally {
      vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
