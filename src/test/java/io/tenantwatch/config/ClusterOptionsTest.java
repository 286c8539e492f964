package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code cluster} section: DESIGN's defaults, and every bad value refused by its dotted key. */
class ClusterOptionsTest {
  private static final JsonObject POSTGRES = new JsonObject().put("type", "postgres")
      .put("url", "postgresql://tenantwatch@127.0.0.1:5432/tenantwatch");

  private static ConfigException refusal(JsonObject config) {
    Throwable thrown = catchThrowable(() -> TenantWatchOptions.fromJson(config));
    assertThat(thrown).as("refusal of %s", config.encode()).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }

  private static JsonObject withCluster(String cluster) {
    return new JsonObject().put("store", POSTGRES.copy()).put("cluster", new JsonObject(cluster));
  }

  @Test
  @DisplayName("every key takes DESIGN's default; nodeId falls back to host:port and eventBusHost to host")
  void defaults() {
    ClusterOptions options = TenantWatchOptions.defaults().cluster();

    assertThat(options).isEqualTo(new ClusterOptions(false, "127.0.0.1:5701", "127.0.0.1", 5701,
        List.of("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703"), "127.0.0.1", 0, 128, 1, 10_000, 5_000, 8));
  }

  @Test
  @DisplayName("a node on another port is named by it, and its event bus follows its host")
  void derivedDefaults() {
    ClusterOptions options = ClusterOptions.fromJson(new JsonObject().put("host", "10.0.0.7").put("port", 5702));

    assertThat(options.nodeId()).isEqualTo("10.0.0.7:5702");
    assertThat(options.eventBusHost()).isEqualTo("10.0.0.7");
  }

  @Test
  @DisplayName("a clustered config on postgres reads back what it writes")
  void roundTrip() {
    JsonObject config = withCluster("{\"enabled\":true,\"nodeId\":\"node-a\",\"port\":5801,"
        + "\"members\":[\"127.0.0.1:5801\",\"[::1]:5802\",\"db-host.example:5803\"],\"eventBusHost\":\"localhost\","
        + "\"eventBusPort\":15801,\"shards\":4096,\"minMembers\":2,\"leaseMs\":3001,\"failureDetectionMs\":3000,"
        + "\"maxShardMoves\":1}");

    ClusterOptions options = TenantWatchOptions.fromJson(config).cluster();

    assertThat(options.enabled()).isTrue();
    assertThat(options.members()).containsExactly("127.0.0.1:5801", "[::1]:5802", "db-host.example:5803");
    assertThat(ClusterOptions.fromJson(options.toJson())).isEqualTo(options);
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        arguments("{\"enabled\":\"yes\"}", "cluster.enabled", "must be true or false, got \"yes\""),
        arguments("{\"nodeId\":\"a b\"}", "cluster.nodeId", "must be 1 to 100 letters, digits and . _ : - [ ], got \"a b\""),
        arguments("{\"host\":\"node.example\"}", "cluster.host", "must be an IPv4 address of this machine, got \"node.example\""),
        arguments("{\"host\":\"256.0.0.1\"}", "cluster.host", "must be an IPv4 address of this machine, got \"256.0.0.1\""),
        arguments("{\"port\":0}", "cluster.port", "must be an integer from 1 to 65535, got 0"),
        arguments("{\"port\":65536}", "cluster.port", "must be an integer from 1 to 65535, got 65536"),
        arguments("{\"members\":\"127.0.0.1:5701\"}", "cluster.members", "must be an array of strings, got \"127.0.0.1:5701\""),
        arguments("{\"members\":[]}", "cluster.members", "must name at least one member (host:port)"),
        arguments("{\"members\":[\"127.0.0.1:5701\",\"127.0.0.1\"]}", "cluster.members[1]",
            "must be host:port (a host name or address, and a port from 1 to 65535), got \"127.0.0.1\""),
        arguments("{\"members\":[\"127.0.0.1:0\"]}", "cluster.members[0]", "got \"127.0.0.1:0\""),
        arguments("{\"members\":[\"127.0.0.1:70000\"]}", "cluster.members[0]", "got \"127.0.0.1:70000\""),
        arguments("{\"members\":[\"http://a:1\"]}", "cluster.members[0]", "got \"http://a:1\""),
        arguments("{\"eventBusHost\":\"a b\"}", "cluster.eventBusHost", "must be a host name or address, got \"a b\""),
        arguments("{\"eventBusPort\":-1}", "cluster.eventBusPort", "must be an integer from 0 to 65535, got -1"),
        arguments("{\"eventBusPort\":65536}", "cluster.eventBusPort", "must be an integer from 0 to 65535, got 65536"),
        arguments("{\"shards\":0}", "cluster.shards", "must be an integer from 1 to 4096, got 0"),
        arguments("{\"shards\":4097}", "cluster.shards", "must be an integer from 1 to 4096, got 4097"),
        arguments("{\"shards\":1.5}", "cluster.shards", "got 1.5"),
        arguments("{\"minMembers\":0}", "cluster.minMembers", "must be a positive integer, got 0"),
        arguments("{\"maxShardMoves\":0}", "cluster.maxShardMoves", "must be a positive integer, got 0"),
        arguments("{\"failureDetectionMs\":2999}", "cluster.failureDetectionMs",
            "must be an integer from 3000 to 600000, got 2999"),
        arguments("{\"failureDetectionMs\":600001,\"leaseMs\":700000}", "cluster.failureDetectionMs",
            "must be an integer from 3000 to 600000, got 600001"),
        arguments("{\"leaseMs\":0}", "cluster.leaseMs", "must be an integer from 1 to 3600000, got 0"),
        arguments("{\"leaseMs\":5000}", "cluster.leaseMs",
            "must be longer than cluster.failureDetectionMs (5000): a lease would lapse before a dead member is noticed, got 5000"),
        arguments("{\"failureDetectionMs\":10000}", "cluster.leaseMs", "longer than cluster.failureDetectionMs (10000)"),
        arguments("{\"replicas\":2}", "cluster.replicas", "unknown key 'cluster.replicas'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  @DisplayName("a bad cluster value is refused, naming its key")
  void badValue(String cluster, String key, String message) {
    ConfigException refused = refusal(withCluster(cluster));

    assertThat(refused.key()).isEqualTo(key);
    assertThat(refused.getMessage()).contains(key).contains(message);
  }

  static Stream<Arguments> unsharedStores() {
    return Stream.of(
        arguments(new JsonObject().put("type", "memory"), "got \"memory\""),
        arguments(new JsonObject().put("type", "embedded"), "got \"embedded\""),
        arguments(new JsonObject(), "got none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsharedStores")
  @DisplayName("cluster.enabled on any store but postgres is refused at load, with the reason")
  void needsPostgres(JsonObject store, String got) {
    JsonObject config = new JsonObject().put("store", store).put("cluster", new JsonObject().put("enabled", true));

    ConfigException refused = refusal(config);

    assertThat(refused.key()).isEqualTo("cluster.enabled");
    assertThat(refused.getMessage()).startsWith("cluster.enabled: needs store.type \"postgres\", " + got)
        .contains("one shared database");
  }

  @Test
  @DisplayName("a disabled cluster section asks nothing of the store")
  void disabledOnMemory() {
    JsonObject config = new JsonObject().put("store", new JsonObject().put("type", "memory"))
        .put("cluster", new JsonObject().put("members", new JsonArray().add("127.0.0.1:6000")));

    assertThat(TenantWatchOptions.fromJson(config).cluster().enabled()).isFalse();
  }

  @Test
  @DisplayName("with vertx-hazelcast on the classpath, the engine may build its own clustered Vertx")
  void hazelcastPresent() {
    ClusterOptions options = ClusterOptions.defaults();

    assertThat(options.checkClusterManager()).isSameAs(options);
  }
}
