package io.tenantwatch.node;

import static io.tenantwatch.node.TestNodes.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code TenantWatch.deploy} with {@code cluster.enabled}: it takes a clustered Vertx as it is and refuses
 * any other, and a node that disagrees with the members on {@code cluster.shards} stops before its store
 * is opened (the store here is a PostgreSQL URL where nothing listens, so reaching it would fail otherwise).
 */
class ClusteredEngineStartTest {
  /** Nothing listens on port 9 of loopback: a start that reached the store would fail on it, not on the cluster. */
  private static final JsonObject NO_DATABASE = new JsonObject().put("type", "postgres")
      .put("url", "postgresql://tenantwatch@127.0.0.1:9/tenantwatch");

  private static TenantWatchOptions clustered(JsonObject cluster) {
    return TenantWatchOptions.fromJson(TestEngine.config("http://127.0.0.1:9/api/state/", "Cust1")
        .put("store", NO_DATABASE.copy()).put("cluster", cluster));
  }

  @Test
  @DisplayName("cluster.enabled on a Vertx that is not clustered is refused, naming the key, and deploys nothing")
  void plainVertxRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable refused = catchThrowable(() -> TenantWatch.deploy(vertx,
          clustered(new JsonObject().put("enabled", true)), Clock.systemUTC()).await(WAIT_SECONDS, TimeUnit.SECONDS));

      assertThat(refused).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("cluster.enabled: needs a clustered Vertx: ");
      assertThat(vertx.deploymentIDs()).isEmpty();
    } finally {
      vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("an engine whose cluster.shards differs from a member's refuses to start, before its store is opened")
  void differentShardsRefusedFirst() throws Exception {
    try (TestNodes nodes = new TestNodes(2)) {
      Membership first = nodes.start(nodes.options(0)).membership();
      TenantWatchOptions options = clustered(nodes.json(1).put("shards", 32));
      Vertx vertx = nodes.vertx(options.cluster());

      Throwable refused = catchThrowable(
          () -> TenantWatch.deploy(vertx, options, Clock.systemUTC()).await(WAIT_SECONDS, TimeUnit.SECONDS));

      assertThat(refused).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("cluster.shards: is 32 here but 128 on member " + nodes.nodeId(0));
      assertThat(vertx.deploymentIDs()).as("the failed start undeployed what it had deployed").isEmpty();
      assertThat(first.members()).isEqualTo(Set.of(nodes.nodeId(0)));
    }
  }
}
