package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.machine.PollSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TenantWatchOptionsTest {

  private static TenantWatchOptions parse(String json) {
    return TenantWatchOptions.fromJson(new JsonObject(json));
  }

  @Test
  @DisplayName("an empty object gives every top-level default")
  void topLevelDefaults() {
    TenantWatchOptions options = TenantWatchOptions.fromJson(new JsonObject());

    assertThat(options.environment()).isEqualTo(Environment.SOD);
    assertThat(options.tenants()).isEmpty();
    assertThat(options.demoWorker()).isFalse();
    assertThat(options.shutdownTimeoutMs()).isEqualTo(10_000);
    assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options).isEqualTo(TenantWatchOptions.defaults());
  }

  @Test
  @DisplayName("a null configuration object reads as an empty one")
  void nullObject() {
    assertThat(TenantWatchOptions.fromJson(null)).isEqualTo(TenantWatchOptions.defaults());
  }

  @Test
  @DisplayName("the stateApi section defaults to the documented timings and no explicit base URL")
  void stateApiDefaults() {
    StateApiOptions stateApi = TenantWatchOptions.defaults().stateApi();

    assertThat(stateApi.baseUrl()).isNull();
    assertThat(stateApi.requestTimeoutMs()).isEqualTo(5_000);
    assertThat(stateApi.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(stateApi.maxConcurrentPolls()).isEqualTo(16);
    assertThat(stateApi.maxPollsPerSecond()).isEqualTo(20);
    assertThat(stateApi.minPollIntervalMs()).isEqualTo(5_000);
    assertThat(stateApi.maxPollIntervalMs()).isEqualTo(3_600_000);
    assertThat(stateApi.transitionalPollIntervalMs()).isEqualTo(30_000);
    assertThat(stateApi.jitterRatio()).isEqualTo(0.1);
    assertThat(stateApi.retryMinMs()).isEqualTo(1_000);
    assertThat(stateApi.retryMaxMs()).isEqualTo(300_000);
    assertThat(stateApi.notificationHoldMs()).isEqualTo(120_000);
    assertThat(stateApi).isEqualTo(StateApiOptions.defaults());
  }

  @Test
  @DisplayName("the default stateApi section maps onto the machine's default poll settings")
  void defaultPollSettings() {
    assertThat(StateApiOptions.defaults().pollSettings()).isEqualTo(PollSettings.defaults());
  }

  @Test
  @DisplayName("pollSettings carries every timing over as a duration with the default history limit")
  void pollSettingsMapping() {
    PollSettings settings = parse("""
        {"stateApi": {"minPollIntervalMs": 1000, "transitionalPollIntervalMs": 3000, "maxPollIntervalMs": 60000,
          "jitterRatio": 0.25, "retryMinMs": 500, "retryMaxMs": 10000, "notificationHoldMs": 0}}
        """).stateApi().pollSettings();

    assertThat(settings).isEqualTo(new PollSettings(Duration.ofSeconds(1), Duration.ofMinutes(1),
        Duration.ofSeconds(3), 0.25, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ZERO,
        PollSettings.DEFAULT_HISTORY_LIMIT));
  }

  @Test
  @DisplayName("the http, admin, store and simulator sections have their documented defaults")
  void smallSectionDefaults() {
    TenantWatchOptions options = TenantWatchOptions.defaults();

    assertThat(options.http()).isEqualTo(new HttpOptions("0.0.0.0", 8080)).isEqualTo(HttpOptions.defaults());
    assertThat(options.admin()).isEqualTo(new AdminOptions("127.0.0.1", 8081, null))
        .isEqualTo(AdminOptions.defaults());
    assertThat(options.admin().requiresToken()).isFalse();
    assertThat(options.http().limits()).isEqualTo(new ListenerLimits(30_000, 10_000, 1_000));
    assertThat(options.admin().limits()).isEqualTo(new ListenerLimits(60_000, 10_000, 100));
    assertThat(options.store()).isEqualTo(new StoreOptions(null, "data", null))
        .isEqualTo(StoreOptions.defaults());
    assertThat(options.simulator()).isEqualTo(new SimulatorSection(false, 8090, 12, 42))
        .isEqualTo(SimulatorSection.defaults());
  }

  @Test
  @DisplayName("the webhook section has its documented defaults, certificates and issuers from sod")
  void webhookDefaults() {
    WebhookOptions webhook = TenantWatchOptions.defaults().webhook();

    assertThat(webhook.path()).isEqualTo("/superoffice/state-change");
    assertThat(webhook.certificates()).containsExactly("classpath:io/tenantwatch/certs/sod-federated-login.crt");
    assertThat(webhook.jwksUrl()).isNull();
    assertThat(webhook.issuers()).containsExactly("https://sod.superoffice.com", "SuperOffice AS");
    assertThat(webhook.audience()).isNull();
    assertThat(webhook.requireTenantClaim()).isFalse();
    assertThat(webhook.clockSkewSeconds()).isEqualTo(60);
    assertThat(webhook.clockSkew()).isEqualTo(Duration.ofMinutes(1));
    assertThat(webhook.maxBodyBytes()).isEqualTo(16_384);
    assertThat(webhook.watchUnknownTenants()).isTrue();
    assertThat(webhook).isEqualTo(WebhookOptions.defaults(Environment.SOD));
  }

  @Test
  @DisplayName("the stage environment presets the webhook's certificate and issuers and the state API")
  void stageEnvironment() {
    TenantWatchOptions options = parse("{\"environment\": \"stage\"}");

    assertThat(options.environment()).isEqualTo(Environment.STAGE);
    assertThat(options.webhook().certificates()).containsExactly("classpath:io/tenantwatch/certs/stage-federated-login.crt");
    assertThat(options.webhook().issuers()).containsExactly("https://qaonline.superoffice.com", "SuperOffice AS");
    assertThat(options.stateApiBaseUrl(null)).isEqualTo("https://qaonline.superoffice.com/api/state/");
  }

  @Test
  @DisplayName("the online environment presets the webhook's certificate and issuers and the state API")
  void onlineEnvironment() {
    TenantWatchOptions options = parse("{\"environment\": \"online\"}");

    assertThat(options.webhook().certificates()).containsExactly("classpath:io/tenantwatch/certs/online-federated-login.crt");
    assertThat(options.webhook().issuers()).containsExactly("https://online.superoffice.com", "SuperOffice AS");
    assertThat(options.stateApiBaseUrl(null)).isEqualTo("https://online.superoffice.com/api/state/");
  }

  @Test
  @DisplayName("the sod environment's state API is the default base URL")
  void sodBaseUrl() {
    assertThat(TenantWatchOptions.defaults().stateApiBaseUrl(null)).isEqualTo("https://sod.superoffice.com/api/state/");
  }

  @Test
  @DisplayName("an explicit base URL wins over the simulator and the environment")
  void explicitBaseUrlWins() {
    TenantWatchOptions options = parse("""
        {"environment": "online", "stateApi": {"baseUrl": "http://10.0.0.5:9000/api/state/"},
         "simulator": {"enabled": true}}
        """);

    assertThat(options.stateApi().baseUrl()).isEqualTo("http://10.0.0.5:9000/api/state/");
    assertThat(options.stateApiBaseUrl("http://127.0.0.1:8090/api/state/"))
        .isEqualTo("http://10.0.0.5:9000/api/state/");
    assertThat(options.stateApiBaseUrl(null)).isEqualTo("http://10.0.0.5:9000/api/state/");
  }

  @Test
  @DisplayName("without an explicit base URL a running simulator wins over the environment")
  void simulatorWinsOverEnvironment() {
    TenantWatchOptions options = parse("{\"simulator\": {\"enabled\": true}}");

    assertThat(options.stateApi().baseUrl()).isNull();
    assertThat(options.stateApiBaseUrl("http://127.0.0.1:40123/api/state/"))
        .isEqualTo("http://127.0.0.1:40123/api/state/");
  }

  @Test
  @DisplayName("a base URL without its last slash gets one, so a context identifier can be appended")
  void trailingSlash() {
    TenantWatchOptions options = parse("{\"stateApi\": {\"baseUrl\": \"https://example.com/api/state\"}}");

    assertThat(options.stateApi().baseUrl()).isEqualTo("https://example.com/api/state/");
    assertThat(options.stateApiBaseUrl("http://127.0.0.1:1/api/state")).isEqualTo("https://example.com/api/state/");
    assertThat(TenantWatchOptions.defaults().stateApiBaseUrl("http://127.0.0.1:1/api/state"))
        .isEqualTo("http://127.0.0.1:1/api/state/");
  }

  @Test
  @DisplayName("custom with the simulator enabled is accepted but needs the simulator's URL to resolve")
  void customWithSimulator() {
    TenantWatchOptions options = parse("{\"environment\": \"custom\", \"simulator\": {\"enabled\": true}}");

    assertThat(options.stateApiBaseUrl("http://127.0.0.1:8090/api/state/"))
        .isEqualTo("http://127.0.0.1:8090/api/state/");
    assertThat(options.webhook().certificates()).isEmpty();
    assertThat(options.webhook().issuers()).isEmpty();
    assertThatThrownBy(() -> options.stateApiBaseUrl(null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("stateApi.baseUrl"))
        .hasMessageStartingWith("stateApi.baseUrl: required when environment is \"custom\"");
  }

  @Test
  @DisplayName("custom with an explicit base URL, certificates and issuers uses exactly those")
  void customExplicit() {
    TenantWatchOptions options = parse("""
        {"environment": "custom", "stateApi": {"baseUrl": "https://state.example.com/api/state/"},
         "webhook": {"certificates": ["/etc/tw/a.crt", "b.crt"], "issuers": ["https://login.example.com"]}}
        """);

    assertThat(options.stateApiBaseUrl(null)).isEqualTo("https://state.example.com/api/state/");
    assertThat(options.webhook().certificates()).containsExactly("/etc/tw/a.crt", "b.crt");
    assertThat(options.webhook().issuers()).containsExactly("https://login.example.com");
  }

  @Test
  @DisplayName("explicit certificates and issuers replace the environment's presets, an empty list included")
  void explicitWebhookOverrides() {
    TenantWatchOptions options = parse("""
        {"environment": "online", "webhook": {"certificates": ["/etc/tw/mine.crt", "classpath:certs/extra.crt"], "issuers": []}}
        """);

    assertThat(options.webhook().certificates()).containsExactly("/etc/tw/mine.crt", "classpath:certs/extra.crt");
    assertThat(options.webhook().issuers()).isEmpty();
  }

  @Test
  @DisplayName("every key given in the file overrides its default")
  void explicitOverrides() {
    TenantWatchOptions options = parse("""
        {"environment": "stage", "tenants": ["Cust1", "Cust22"],
         "stateApi": {"baseUrl": "https://state.example.com/", "requestTimeoutMs": 2000, "maxConcurrentPolls": 4,
           "maxPollsPerSecond": 5, "minPollIntervalMs": 1000, "maxPollIntervalMs": 60000,
           "transitionalPollIntervalMs": 3000, "jitterRatio": 0, "retryMinMs": 500, "retryMaxMs": 10000,
           "notificationHoldMs": 10000},
         "http": {"host": "127.0.0.1", "port": 0, "idleTimeoutMs": 5000, "requestTimeoutMs": 2000,
           "maxConnections": 50},
         "webhook": {"path": "/hook", "certificates": ["x.crt"],
           "jwksUrl": "https://sod.superoffice.com/login/.well-known/jwks",
           "issuers": ["SuperOffice AS"], "audience": "spn:abc", "requireTenantClaim": true, "clockSkewSeconds": 0,
           "maxBodyBytes": 1048576, "watchUnknownTenants": false},
         "admin": {"host": "0.0.0.0", "port": 9000, "token": "0123456789abcdef", "idleTimeoutMs": 120000,
           "requestTimeoutMs": 100, "maxConnections": 1},
         "store": {"type": "memory", "dataDir": "/var/lib/tw", "url": "postgres://db/tw"},
         "simulator": {"enabled": true, "port": 0, "tenants": 1000000, "seed": -7},
         "demoWorker": true, "shutdownTimeoutMs": 1}
        """);

    assertThat(options.environment()).isEqualTo(Environment.STAGE);
    assertThat(options.tenants()).containsExactly("Cust1", "Cust22");
    assertThat(options.stateApi()).isEqualTo(new StateApiOptions("https://state.example.com/", 2000, 4, 5, 1000,
        60000, 3000, 0.0, 500, 10000, 10000));
    assertThat(options.http()).isEqualTo(new HttpOptions("127.0.0.1", 0, new ListenerLimits(5000, 2000, 50)));
    assertThat(options.webhook()).isEqualTo(new WebhookOptions("/hook", List.of("x.crt"),
        "https://sod.superoffice.com/login/.well-known/jwks", List.of("SuperOffice AS"), "spn:abc", true,
        0, 1048576, false));
    assertThat(options.admin()).isEqualTo(new AdminOptions("0.0.0.0", 9000, "0123456789abcdef", List.of(),
        new ListenerLimits(120_000, 100, 1)));
    assertThat(options.admin().requiresToken()).isTrue();
    assertThat(options.store()).isEqualTo(new StoreOptions("memory", "/var/lib/tw", "postgres://db/tw"));
    assertThat(options.simulator()).isEqualTo(new SimulatorSection(true, 0, 1_000_000, -7));
    assertThat(options.demoWorker()).isTrue();
    assertThat(options.shutdownTimeoutMs()).isEqualTo(1);
  }

  @Test
  @DisplayName("a key set to null takes its default")
  void nullMeansDefault() {
    TenantWatchOptions options = parse("""
        {"environment": null, "tenants": null, "stateApi": {"baseUrl": null, "maxPollsPerSecond": null},
         "http": null, "webhook": {"certificates": null, "jwksUrl": null}, "admin": {"token": null},
         "store": {"url": null}, "demoWorker": null}
        """);

    assertThat(options).isEqualTo(TenantWatchOptions.defaults());
  }

  @Test
  @DisplayName("toJson reads back to an equal configuration")
  void roundTrip() {
    TenantWatchOptions options = parse("""
        {"environment": "online", "tenants": ["Cust9"], "stateApi": {"jitterRatio": 1, "notificationHoldMs": 0},
         "http": {"maxConnections": 7}, "admin": {"host": "::1", "token": "a-long-enough-token", "idleTimeoutMs": 12000},
         "simulator": {"seed": 9007199254740993}}
        """);

    JsonObject json = options.toJson();

    assertThat(TenantWatchOptions.fromJson(json)).isEqualTo(options);
    assertThat(TenantWatchOptions.fromJson(TenantWatchOptions.defaults().toJson()))
        .isEqualTo(TenantWatchOptions.defaults());
    assertThat(json.getJsonObject("stateApi").containsKey("baseUrl")).isTrue();
    assertThat(json.getJsonArray("tenants")).isEqualTo(new JsonArray().add("Cust9"));
  }

  @Test
  @DisplayName("toJson gives arrays a caller may change without touching the record")
  void toJsonArraysAreCopies() {
    TenantWatchOptions options = parse("{\"tenants\": [\"Cust1\"]}");

    options.toJson().getJsonArray("tenants").add("Cust2");
    options.toJson().getJsonObject("webhook").getJsonArray("issuers").add("someone");

    assertThat(options.tenants()).containsExactly("Cust1");
    assertThat(options.webhook().issuers()).containsExactly("https://sod.superoffice.com", "SuperOffice AS");
  }

  @Test
  @DisplayName("the records never show the admin token or the store URL")
  void secretsNotShown() {
    TenantWatchOptions options = parse("""
        {"admin": {"token": "super-secret-admin-token"}, "store": {"url": "postgres://u:pw-in-url@db/tw"}}
        """);

    assertThat(options.toString()).doesNotContain("super-secret-admin-token").doesNotContain("pw-in-url");
  }

  private static TenantWatchOptions parseWith(String json, Map<String, String> variables) {
    return TenantWatchOptions.fromJson(new JsonObject(json), variables::get);
  }

  @Test
  @DisplayName("TENANTWATCH_ADMIN_TOKEN gives the admin token and wins over admin.token")
  void adminTokenFromTheEnvironment() {
    String fromEnv = "env-token-0123456789";
    assertThat(parseWith("{}", Map.of(AdminOptions.TOKEN_VARIABLE, fromEnv)).admin().token()).isEqualTo(fromEnv);
    assertThat(parseWith("{\"admin\": {\"token\": \"file-token-0123456789\"}}",
        Map.of(AdminOptions.TOKEN_VARIABLE, fromEnv)).admin().token()).isEqualTo(fromEnv);
    assertThat(parseWith("{\"admin\": {\"token\": \"file-token-0123456789\"}}",
        Map.of(AdminOptions.TOKEN_VARIABLE, "  ")).admin().token()).isEqualTo("file-token-0123456789");
  }

  @Test
  @DisplayName("a token from the environment lets the admin listener leave loopback; a short one is refused")
  void adminTokenFromTheEnvironmentCountsForLoopback() {
    AdminOptions admin = parseWith("{\"admin\": {\"host\": \"0.0.0.0\"}}",
        Map.of(AdminOptions.TOKEN_VARIABLE, "env-token-0123456789")).admin();
    assertThat(admin.requiresToken()).isTrue();
    assertThatThrownBy(() -> parseWith("{}", Map.of(AdminOptions.TOKEN_VARIABLE, "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("TENANTWATCH_ADMIN_TOKEN: must be at least 16 characters, got 5 "
            + "(the value is not shown: it is a secret)");
  }

  @Test
  @DisplayName("http.enabled and admin.enabled default to true; false turns the listener off; anything but a boolean is refused")
  void listenersEnabled() {
    TenantWatchOptions defaults = parseWith("{}", Map.of());
    assertThat(defaults.http().enabled()).isTrue();
    assertThat(defaults.admin().enabled()).isTrue();
    TenantWatchOptions off = parseWith("{\"http\": {\"enabled\": false}, \"admin\": {\"enabled\": false}}", Map.of());
    assertThat(off.http().enabled()).isFalse();
    assertThat(off.admin().enabled()).isFalse();
    assertThat(TenantWatchOptions.fromJson(off.toJson())).as("written and read back").isEqualTo(off);
    assertThatThrownBy(() -> parseWith("{\"admin\": {\"enabled\": \"no\"}}", Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("admin.enabled"));
  }
}
