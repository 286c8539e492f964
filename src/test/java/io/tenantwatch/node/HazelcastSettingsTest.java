package io.tenantwatch.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.tenantwatch.config.ClusterOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Hazelcast configuration is the one hazelcast-measured.md recommends, built from the cluster section. */
class HazelcastSettingsTest {
  private static final ClusterOptions OPTIONS = ClusterOptions.fromJson(new JsonObject().put("host", "127.0.0.1")
      .put("port", 5802).put("members", new JsonArray().add("127.0.0.1:5801").add("127.0.0.1:5802"))
      .put("failureDetectionMs", 4_500).put("leaseMs", 9_000));

  @Test
  @DisplayName("the measured properties: 1 s heartbeats, failure detection rounded up to seconds, fast merges and joins, no phone-home, slf4j")
  void measuredProperties() {
    Config config = HazelcastSettings.config(OPTIONS);

    assertThat(config.getClusterName()).isEqualTo("tenantwatch");
    assertThat(config.getProperties()).containsOnly(
        entry("hazelcast.heartbeat.interval.seconds", "1"),
        entry("hazelcast.max.no.heartbeat.seconds", "5"),
        entry("hazelcast.merge.first.run.delay.seconds", "10"),
        entry("hazelcast.merge.next.run.delay.seconds", "5"),
        entry("hazelcast.wait.seconds.before.join", "1"),
        entry("hazelcast.max.wait.seconds.before.join", "3"),
        entry("hazelcast.socket.bind.any", "false"),
        entry("hazelcast.phone.home.enabled", "false"),
        entry("hazelcast.logging.type", "slf4j"));
  }

  @Test
  @DisplayName("a whole number of seconds stays as it is")
  void wholeSeconds() {
    ClusterOptions fourSeconds = ClusterOptions.fromJson(new JsonObject().put("failureDetectionMs", 4_000));

    assertThat(HazelcastSettings.config(fourSeconds).getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("4");
  }

  @Test
  @DisplayName("Hazelcast binds cluster.host:port only, with no other port tried, and joins by TCP-IP on the members, never multicast or auto-detection")
  void networkAndJoin() {
    NetworkConfig network = HazelcastSettings.config(OPTIONS).getNetworkConfig();
    JoinConfig join = network.getJoin();

    assertThat(network.getPort()).isEqualTo(5802);
    assertThat(network.isPortAutoIncrement()).isFalse();
    assertThat(network.getInterfaces().isEnabled()).isTrue();
    assertThat(network.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(join.getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(1);
  }

  private static java.util.Map.Entry<Object, Object> entry(String key, String value) {
    return java.util.Map.entry(key, value);
  }
}
