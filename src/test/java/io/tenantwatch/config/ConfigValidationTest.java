package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigValidationTest {

  private static ConfigException refusal(String json) {
    Throwable thrown = catchThrowable(
        () -> TenantWatchOptions.fromJson(new JsonObject(json)));
    assertThat(thrown).as("refusal of %s", json).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        // top level
        arguments("{\"environment\": \"prod\"}", "environment",
            "environment: must be one of sod, stage, online, custom, got \"prod\""),
        arguments("{\"environment\": \"SOD\"}", "environment",
            "environment: must be one of sod, stage, online, custom, got \"SOD\""),
        arguments("{\"environment\": 1}", "environment", "environment: must be a non-empty string, got 1"),
        arguments("{\"tenants\": \"Cust1\"}", "tenants", "tenants: must be an array of strings, got \"Cust1\""),
        arguments("{\"tenants\": [\"Cust1\", \"cust2\"]}", "tenants[1]",
            "tenants[1]: must be a context identifier ('Cust' followed by 1 to 12 digits), got \"cust2\""),
        arguments("{\"tenants\": [\"Cust1\", 2]}", "tenants[1]", "tenants[1]: must be a non-empty string, got 2"),
        arguments("{\"tenants\": [\"Cust1\", \"Cust2\", \"Cust1\"]}", "tenants[2]",
            "tenants[2]: duplicate of tenants[0], got \"Cust1\""),
        arguments("{\"demoWorker\": \"yes\"}", "demoWorker", "demoWorker: must be true or false, got \"yes\""),
        arguments("{\"shutdownTimeoutMs\": 0}", "shutdownTimeoutMs",
            "shutdownTimeoutMs: must be a positive integer, got 0"),
        arguments("{\"stateApi\": 5}", "stateApi", "stateApi: must be an object, got 5"),
        arguments("{\"http\": []}", "http", "http: must be an object, got an array"),
        // stateApi
        arguments("{\"stateApi\": {\"maxPollsPerSecond\": -3}}", "stateApi.maxPollsPerSecond",
            "stateApi.maxPollsPerSecond: must be a positive integer, got -3"),
        arguments("{\"stateApi\": {\"maxPollsPerSecond\": 0}}", "stateApi.maxPollsPerSecond",
            "stateApi.maxPollsPerSecond: must be a positive integer, got 0"),
        arguments("{\"stateApi\": {\"maxConcurrentPolls\": 0}}", "stateApi.maxConcurrentPolls",
            "stateApi.maxConcurrentPolls: must be a positive integer, got 0"),
        arguments("{\"stateApi\": {\"maxConcurrentPolls\": 3000000000}}", "stateApi.maxConcurrentPolls",
            "stateApi.maxConcurrentPolls: must be a positive integer, got 3000000000"),
        arguments("{\"stateApi\": {\"requestTimeoutMs\": 0}}", "stateApi.requestTimeoutMs",
            "stateApi.requestTimeoutMs: must be a positive integer, got 0"),
        arguments("{\"stateApi\": {\"requestTimeoutMs\": \"5000\"}}", "stateApi.requestTimeoutMs",
            "stateApi.requestTimeoutMs: must be a positive integer, got \"5000\""),
        arguments("{\"stateApi\": {\"requestTimeoutMs\": 2.5}}", "stateApi.requestTimeoutMs",
            "stateApi.requestTimeoutMs: must be a positive integer, got 2.5"),
        arguments("{\"stateApi\": {\"requestTimeoutMs\": 99999999999999999999}}", "stateApi.requestTimeoutMs",
            "stateApi.requestTimeoutMs: must be a positive integer, got 99999999999999999999"),
        arguments("{\"stateApi\": {\"minPollIntervalMs\": -1}}", "stateApi.minPollIntervalMs",
            "stateApi.minPollIntervalMs: must be a positive integer, got -1"),
        arguments("{\"stateApi\": {\"maxPollIntervalMs\": 9223372036854775807}}", "stateApi.maxPollIntervalMs",
            "stateApi.maxPollIntervalMs: must be at most 604800000 (a week), got 9223372036854775807"),
        arguments("{\"stateApi\": {\"retryMaxMs\": 86400001}}", "stateApi.retryMaxMs",
            "stateApi.retryMaxMs: must be at most 86400000 (a day), got 86400001"),
        arguments("{\"stateApi\": {\"notificationHoldMs\": 9000000000000000000}}", "stateApi.notificationHoldMs",
            "stateApi.notificationHoldMs: must be at most 86400000 (a day), got 9000000000000000000"),
        arguments("{\"stateApi\": {\"requestTimeoutMs\": 86400001}}", "stateApi.requestTimeoutMs",
            "stateApi.requestTimeoutMs: must be at most 86400000 (a day), got 86400001"),
        arguments("{\"stateApi\": {\"maxPollIntervalMs\": 0}}", "stateApi.maxPollIntervalMs",
            "stateApi.maxPollIntervalMs: must be a positive integer, got 0"),
        arguments("{\"stateApi\": {\"transitionalPollIntervalMs\": false}}", "stateApi.transitionalPollIntervalMs",
            "stateApi.transitionalPollIntervalMs: must be a positive integer, got false"),
        arguments("{\"stateApi\": {\"retryMinMs\": 0}}", "stateApi.retryMinMs",
            "stateApi.retryMinMs: must be a positive integer, got 0"),
        arguments("{\"stateApi\": {\"retryMaxMs\": -5}}", "stateApi.retryMaxMs",
            "stateApi.retryMaxMs: must be a positive integer, got -5"),
        arguments("{\"stateApi\": {\"notificationHoldMs\": -1}}", "stateApi.notificationHoldMs",
            "stateApi.notificationHoldMs: must be a non-negative integer, got -1"),
        arguments("{\"stateApi\": {\"minPollIntervalMs\": 40000}}", "stateApi.minPollIntervalMs",
            "stateApi.minPollIntervalMs: must not exceed stateApi.transitionalPollIntervalMs (30000), got 40000"),
        arguments("{\"stateApi\": {\"transitionalPollIntervalMs\": 4000000}}", "stateApi.transitionalPollIntervalMs",
            "stateApi.transitionalPollIntervalMs: must not exceed stateApi.maxPollIntervalMs (3600000), got 4000000"),
        arguments("{\"stateApi\": {\"maxPollIntervalMs\": 20000}}", "stateApi.transitionalPollIntervalMs",
            "stateApi.transitionalPollIntervalMs: must not exceed stateApi.maxPollIntervalMs (20000), got 30000"),
        arguments("{\"stateApi\": {\"retryMinMs\": 400000}}", "stateApi.retryMinMs",
            "stateApi.retryMinMs: must not exceed stateApi.retryMaxMs (300000), got 400000"),
        arguments("{\"stateApi\": {\"jitterRatio\": 1.5}}", "stateApi.jitterRatio",
            "stateApi.jitterRatio: must be a number from 0 to 1, got 1.5"),
        arguments("{\"stateApi\": {\"jitterRatio\": -0.1}}", "stateApi.jitterRatio",
            "stateApi.jitterRatio: must be a number from 0 to 1, got -0.1"),
        arguments("{\"stateApi\": {\"jitterRatio\": \"0.1\"}}", "stateApi.jitterRatio",
            "stateApi.jitterRatio: must be a number from 0 to 1, got \"0.1\""),
        arguments("{\"stateApi\": {\"baseUrl\": \"sod.superoffice.com/api/state/\"}}", "stateApi.baseUrl",
            "stateApi.baseUrl: must be an absolute http or https URL, got \"sod.superoffice.com/api/state/\""),
        arguments("{\"stateApi\": {\"baseUrl\": \"ftp://sod.superoffice.com/api/state/\"}}", "stateApi.baseUrl",
            "stateApi.baseUrl: must be an absolute http or https URL, got \"ftp://sod.superoffice.com/api/state/\""),
        arguments("{\"stateApi\": {\"baseUrl\": \"https://\"}}", "stateApi.baseUrl",
            "stateApi.baseUrl: must be an absolute http or https URL, got \"https://\""),
        arguments("{\"stateApi\": {\"baseUrl\": \"https://a b/\"}}", "stateApi.baseUrl",
            "stateApi.baseUrl: must be an absolute http or https URL, got \"https://a b/\""),
        arguments("{\"stateApi\": {\"baseUrl\": \"\"}}", "stateApi.baseUrl",
            "stateApi.baseUrl: must be a non-empty string, got \"\""),
        arguments("{\"stateApi\": {\"baseUrl\": \"https://x.example/state?ctx=\"}}", "stateApi.baseUrl",
            "stateApi.baseUrl: must be a URL without query or fragment (the context identifier is appended), "
                + "got \"https://x.example/state?ctx=\""),
        // http
        arguments("{\"http\": {\"port\": 65536}}", "http.port",
            "http.port: must be an integer from 0 to 65535, got 65536"),
        arguments("{\"http\": {\"port\": -1}}", "http.port", "http.port: must be an integer from 0 to 65535, got -1"),
        arguments("{\"http\": {\"port\": \"8080\"}}", "http.port",
            "http.port: must be an integer from 0 to 65535, got \"8080\""),
        arguments("{\"http\": {\"host\": \"\"}}", "http.host", "http.host: must be a non-empty string, got \"\""),
        arguments("{\"http\": {\"idleTimeoutMs\": 0}}", "http.idleTimeoutMs",
            "http.idleTimeoutMs: must be an integer from 100 to 86400000, got 0"),
        arguments("{\"http\": {\"idleTimeoutMs\": \"30s\"}}", "http.idleTimeoutMs",
            "http.idleTimeoutMs: must be an integer from 100 to 86400000, got \"30s\""),
        arguments("{\"http\": {\"requestTimeoutMs\": 99}}", "http.requestTimeoutMs",
            "http.requestTimeoutMs: must be an integer from 100 to 86400000, got 99"),
        arguments("{\"http\": {\"requestTimeoutMs\": 86400001}}", "http.requestTimeoutMs",
            "http.requestTimeoutMs: must be an integer from 100 to 86400000, got 86400001"),
        arguments("{\"http\": {\"maxConnections\": 0}}", "http.maxConnections",
            "http.maxConnections: must be an integer from 1 to 1000000, got 0"),
        arguments("{\"http\": {\"maxConnections\": 2.5}}", "http.maxConnections",
            "http.maxConnections: must be an integer from 1 to 1000000, got 2.5"),
        // webhook
        arguments("{\"webhook\": {\"path\": \"superoffice\"}}", "webhook.path",
            "webhook.path: must be a path starting with \"/\", got \"superoffice\""),
        arguments("{\"webhook\": {\"maxBodyBytes\": 0}}", "webhook.maxBodyBytes",
            "webhook.maxBodyBytes: must be an integer from 1 to 1048576, got 0"),
        arguments("{\"webhook\": {\"maxBodyBytes\": 1048577}}", "webhook.maxBodyBytes",
            "webhook.maxBodyBytes: must be an integer from 1 to 1048576, got 1048577"),
        arguments("{\"webhook\": {\"clockSkewSeconds\": -1}}", "webhook.clockSkewSeconds",
            "webhook.clockSkewSeconds: must be an integer from 0 to 600, got -1"),
        arguments("{\"webhook\": {\"clockSkewSeconds\": 601}}", "webhook.clockSkewSeconds",
            "webhook.clockSkewSeconds: must be an integer from 0 to 600, got 601"),
        arguments("{\"webhook\": {\"issuers\": [\"SuperOffice AS\", \"\"]}}", "webhook.issuers[1]",
            "webhook.issuers[1]: must be a non-empty string, got \"\""),
        arguments("{\"webhook\": {\"issuers\": \"SuperOffice AS\"}}", "webhook.issuers",
            "webhook.issuers: must be an array of strings, got \"SuperOffice AS\""),
        arguments("{\"webhook\": {\"certificates\": [3]}}", "webhook.certificates[0]",
            "webhook.certificates[0]: must be a non-empty string, got 3"),
        arguments("{\"webhook\": {\"certificates\": [\"a\\u0000b\"]}}", "webhook.certificates[0]",
            "webhook.certificates[0]: must be a file path or classpath:<resource>, got \"a\\u0000b\""),
        arguments("{\"webhook\": {\"certificates\": [\"classpath:/\"]}}", "webhook.certificates[0]",
            "webhook.certificates[0]: must be a file path or classpath:<resource>, got \"classpath:/\""),
        arguments("{\"webhook\": {\"jwksUrl\": \"file:///etc/jwks\"}}", "webhook.jwksUrl",
            "webhook.jwksUrl: must be an absolute http or https URL, got \"file:///etc/jwks\""),
        arguments("{\"webhook\": {\"audience\": \"\"}}", "webhook.audience",
            "webhook.audience: must be a non-empty string, got \"\""),
        arguments("{\"webhook\": {\"requireTenantClaim\": 1}}", "webhook.requireTenantClaim",
            "webhook.requireTenantClaim: must be true or false, got 1"),
        arguments("{\"webhook\": {\"watchUnknownTenants\": \"false\"}}", "webhook.watchUnknownTenants",
            "webhook.watchUnknownTenants: must be true or false, got \"false\""),
        // admin
        arguments("{\"stateApi\": {\"requestTimeoutMs\": 30000}, \"admin\": {\"idleTimeoutMs\": 61000}}",
            "admin.idleTimeoutMs", "admin.idleTimeoutMs: must be longer than POST /admin/tenants/{ctx}/poll may "
                + "wait (2 x stateApi.requestTimeoutMs + 1000 = 61000), got 61000"),
        arguments("{\"admin\": {\"idleTimeoutMs\": 0}}", "admin.idleTimeoutMs",
            "admin.idleTimeoutMs: must be an integer from 100 to 86400000, got 0"),
        arguments("{\"admin\": {\"idleTimeoutMs\": \"30s\"}}", "admin.idleTimeoutMs",
            "admin.idleTimeoutMs: must be an integer from 100 to 86400000, got \"30s\""),
        arguments("{\"admin\": {\"requestTimeoutMs\": 99}}", "admin.requestTimeoutMs",
            "admin.requestTimeoutMs: must be an integer from 100 to 86400000, got 99"),
        arguments("{\"admin\": {\"requestTimeoutMs\": 86400001}}", "admin.requestTimeoutMs",
            "admin.requestTimeoutMs: must be an integer from 100 to 86400000, got 86400001"),
        arguments("{\"admin\": {\"maxConnections\": 0}}", "admin.maxConnections",
            "admin.maxConnections: must be an integer from 1 to 1000000, got 0"),
        arguments("{\"admin\": {\"maxConnections\": 2.5}}", "admin.maxConnections",
            "admin.maxConnections: must be an integer from 1 to 1000000, got 2.5"),
        arguments("{\"admin\": {\"allowedHosts\": [\"http://evil.example/\"]}}", "admin.allowedHosts[0]",
            "admin.allowedHosts[0]: must be a host name or address, optionally with :port (no scheme, no path), got \"http://evil.example/\""),
        arguments("{\"admin\": {\"allowedHosts\": \"tenantwatch.internal\"}}", "admin.allowedHosts",
            "admin.allowedHosts: must be an array of strings, got \"tenantwatch.internal\""),
        arguments("{\"admin\": {\"port\": 70000}}", "admin.port",
            "admin.port: must be an integer from 0 to 65535, got 70000"),
        arguments("{\"admin\": {\"host\": \"0.0.0.0\"}}", "admin.token",
            "admin.token is required when admin.host is not loopback (got \"0.0.0.0\")"),
        arguments("{\"admin\": {\"host\": \"10.1.2.3\", \"token\": \"   \"}}", "admin.token",
            "admin.token is required when admin.host is not loopback (got \"10.1.2.3\")"),
        arguments("{\"admin\": {\"token\": \"short\"}}", "admin.token",
            "admin.token: must be at least 16 characters, got 5 (the value is not shown: it is a secret)"),
        arguments("{\"admin\": {\"token\": 123456789012345678}}", "admin.token",
            "admin.token: must be a string (the value is not shown: it is a secret)"),
        // store
        arguments("{\"store\": {\"type\": \"postgres\"}}", "store.url",
            "store.url: is required when store.type is \"postgres\" (postgresql://user@host:port/database)"),
        arguments("{\"store\": {\"type\": \"postgres\", \"url\": \"mysql://u:pw-secret@db/tw\"}}", "store.url",
            "store.url: must start with postgresql:// (the value is not shown: it may carry a password)"),
        arguments("{\"store\": {\"type\": \"redis\"}}", "store.type",
            "store.type: must be " + StoreOptions.CHOICES + ", got \"redis\""),
        arguments("{\"store\": {\"dataDir\": 7}}", "store.dataDir", "store.dataDir: must be a non-empty string, got 7"),
        // simulator
        arguments("{\"simulator\": {\"tenants\": 0}}", "simulator.tenants",
            "simulator.tenants: must be an integer from 1 to 1000000, got 0"),
        arguments("{\"simulator\": {\"tenants\": 1000001}}", "simulator.tenants",
            "simulator.tenants: must be an integer from 1 to 1000000, got 1000001"),
        arguments("{\"simulator\": {\"port\": 65536}}", "simulator.port",
            "simulator.port: must be an integer from 0 to 65535, got 65536"),
        arguments("{\"simulator\": {\"seed\": 1.5}}", "simulator.seed", "simulator.seed: must be an integer, got 1.5"),
        arguments("{\"simulator\": {\"enabled\": \"true\"}}", "simulator.enabled",
            "simulator.enabled: must be true or false, got \"true\""),
        // environment resolution
        arguments("{\"environment\": \"custom\"}", "stateApi.baseUrl",
            "stateApi.baseUrl: required when environment is \"custom\" and the simulator is not enabled"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("badValues")
  @DisplayName("a bad value is refused with a message naming its full key and the value")
  void badValueRefused(String json, String key, String message) {
    ConfigException refusal = refusal(json);

    assertThat(refusal.key()).isEqualTo(key);
    assertThat(refusal.getMessage()).isEqualTo(message);
  }

  static Stream<Arguments> unknownKeys() {
    return Stream.of(
        arguments("{\"enviroment\": \"sod\"}", "enviroment"),
        arguments("{\"stateApi\": {\"maxPolls\": 3}}", "stateApi.maxPolls"),
        arguments("{\"http\": {\"address\": \"x\"}}", "http.address"),
        arguments("{\"webhook\": {\"issuer\": \"SuperOffice AS\"}}", "webhook.issuer"),
        arguments("{\"admin\": {\"password\": \"x\"}}", "admin.password"),
        arguments("{\"store\": {\"kind\": \"memory\"}}", "store.kind"),
        arguments("{\"simulator\": {\"enable\": true}}", "simulator.enable"),
        arguments("{\"stateApi\": {\"maxPollsPerSecond\": 1, \"MaxPollsPerSecond\": 2}}",
            "stateApi.MaxPollsPerSecond"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("unknownKeys")
  @DisplayName("an unknown key is refused by its full dotted path, at every level")
  void unknownKeyRefused(String json, String key) {
    ConfigException refusal = refusal(json);

    assertThat(refusal.key()).isEqualTo(key);
    assertThat(refusal.getMessage()).isEqualTo("unknown key '" + key + "'");
  }

  @Test
  @DisplayName("a section read on its own still names its keys by their full path")
  void sectionOnItsOwn() {
    assertThatThrownBy(() -> StateApiOptions.fromJson(new JsonObject().put("maxPolls", 1)))
        .hasMessage("unknown key 'stateApi.maxPolls'");
    assertThatThrownBy(() -> HttpOptions.fromJson(new JsonObject().put("port", -1)))
        .hasMessage("http.port: must be an integer from 0 to 65535, got -1");
    assertThatThrownBy(() -> WebhookOptions.fromJson(new JsonObject().put("path", "x"), Environment.SOD))
        .hasMessage("webhook.path: must be a path starting with \"/\", got \"x\"");
    assertThatThrownBy(() -> AdminOptions.fromJson(new JsonObject().put("host", "example.com")))
        .hasMessageStartingWith("admin.token is required when admin.host is not loopback");
    assertThatThrownBy(() -> StoreOptions.fromJson(new JsonObject().put("type", "postgres")))
        .hasMessageStartingWith("store.url: is required");
    assertThatThrownBy(() -> SimulatorSection.fromJson(new JsonObject().put("tenants", 0)))
        .hasMessageStartingWith("simulator.tenants:");
  }

  @Test
  @DisplayName("a long bad value is shortened in the message")
  void longValueShortened() {
    String longUrl = "not a url " + "x".repeat(500);

    ConfigException refusal = refusal(new JsonObject().put("stateApi", new JsonObject().put("baseUrl", longUrl))
        .encode());

    assertThat(refusal.getMessage()).hasSizeLessThan(200).endsWith("...");
  }

  @Test
  @DisplayName("a refused admin token is never repeated in the message")
  void tokenNotEchoed() {
    ConfigException refusal = refusal("{\"admin\": {\"token\": \"tiny-secret\"}}");

    assertThat(refusal.getMessage()).doesNotContain("tiny-secret");
  }

  @Test
  @DisplayName("a bad store URL is never repeated in the message")
  void storeUrlNotEchoed() {
    ConfigException refusal = refusal("{\"store\": {\"url\": {\"password\": \"pw-xyz\"}}}");

    assertThat(refusal.key()).isEqualTo("store.url");
    assertThat(refusal.getMessage()).doesNotContain("pw-xyz");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.10.20.30", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
  @DisplayName("a loopback admin host needs no token")
  void loopbackNeedsNoToken(String host) {
    AdminOptions admin = AdminOptions.fromJson(new JsonObject().put("host", host));

    assertThat(AdminOptions.isLoopback(host)).isTrue();
    assertThat(admin.requiresToken()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "127.0.0.256", "localhost.example.com",
      "admin.internal", "127.1", "::2"})
  @DisplayName("a non-loopback admin host needs a token and works with one")
  void nonLoopbackNeedsToken(String host) {
    assertThat(AdminOptions.isLoopback(host)).isFalse();
    assertThatThrownBy(() -> AdminOptions.fromJson(new JsonObject().put("host", host)))
        .isInstanceOf(ConfigException.class);

    AdminOptions admin = AdminOptions.fromJson(new JsonObject().put("host", host).put("token", "0123456789abcdef"));

    assertThat(admin.requiresToken()).isTrue();
  }

  @Test
  @DisplayName("a blank admin token on loopback counts as no token")
  void blankTokenOnLoopback() {
    AdminOptions admin = AdminOptions.fromJson(new JsonObject().put("token", ""));

    assertThat(admin.token()).isNull();
  }

  @Test
  @DisplayName("the boundary values of each range are accepted")
  void boundariesAccepted() {
    TenantWatchOptions options = TenantWatchOptions.fromJson(new JsonObject("""
        {"stateApi": {"minPollIntervalMs": 1, "transitionalPollIntervalMs": 1, "maxPollIntervalMs": 1,
           "retryMinMs": 7, "retryMaxMs": 7, "jitterRatio": 1, "maxConcurrentPolls": 1, "maxPollsPerSecond": 1},
         "http": {"port": 65535}, "admin": {"port": 0, "token": "0123456789abcdef"},
         "webhook": {"clockSkewSeconds": 600, "maxBodyBytes": 1},
         "simulator": {"tenants": 1, "seed": -9223372036854775808}}
        """));

    assertThat(options.stateApi().jitterRatio()).isEqualTo(1.0);
    assertThat(options.http().port()).isEqualTo(65535);
    assertThat(options.admin().port()).isZero();
    assertThat(options.webhook().clockSkewSeconds()).isEqualTo(600);
    assertThat(options.webhook().maxBodyBytes()).isEqualTo(1);
    assertThat(options.simulator().seed()).isEqualTo(Long.MIN_VALUE);
  }
}
