package io.tenantwatch.config;

import io.tenantwatch.domain.ContextId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The whole configuration of a tenantwatch engine, as read from {@code conf/tenantwatch.json} or handed
 * over by an embedding platform. Every key is optional; {@link #fromJson(JsonObject)} fills defaults,
 * refuses unknown keys and bad values with a {@link ConfigException} naming the key, and resolves the
 * environment's presets for the webhook. The state API's base URL is resolved late, by
 * {@link #stateApiBaseUrl(String)}, because the simulator's URL is known only once it listens.
 *
 * @param environment the SuperOffice environment whose presets fill the gaps
 * @param tenants the tenants watched from the start, in file order, without duplicates
 * @param stateApi the {@code stateApi} section
 * @param http the {@code http} section
 * @param webhook the {@code webhook} section, certificates and issuers already resolved
 * @param admin the {@code admin} section
 * @param store the {@code store} section
 * @param cluster the {@code cluster} section; when enabled, {@code store.type} is {@code postgres}
 * @param simulator the {@code simulator} section
 * @param demoWorker whether to deploy the demo worker that logs every command it receives
 * @param shutdownTimeoutMs how long a stop waits for verticles to finish before giving up
 */
public record TenantWatchOptions(
    Environment environment,
    List<String> tenants,
    StateApiOptions stateApi,
    HttpOptions http,
    WebhookOptions webhook,
    AdminOptions admin,
    StoreOptions store,
    ClusterOptions cluster,
    SimulatorSection simulator,
    boolean demoWorker,
    long shutdownTimeoutMs) {

  public static final Environment DEFAULT_ENVIRONMENT = Environment.DEFAULT;
  public static final boolean DEFAULT_DEMO_WORKER = false;
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  public TenantWatchOptions {
    tenants = List.copyOf(tenants);
  }

  /**
   * Every key at its default: the sod environment, no tenants, and no store chosen (a start refuses that
   * until {@code store.type} is set; see {@link StoreOptions#checkChosen()}).
   */
  public static TenantWatchOptions defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads and checks a whole configuration; an empty object gives every default.
   *
   * @throws ConfigException naming the first key at fault, e.g.
   *     {@code stateApi.maxPollsPerSecond: must be a positive integer, got -3}
   */
  public static TenantWatchOptions fromJson(JsonObject json) {
    return fromJson(json, System::getenv);
  }

  /**
   * As {@link #fromJson(JsonObject)}, with the process environment given, so a test can say which
   * variables are set (today only {@value AdminOptions#TOKEN_VARIABLE}).
   */
  public static TenantWatchOptions fromJson(JsonObject json, Function<String, String> variables) {
    ConfigSection root = ConfigSection.root(json);
    Environment environment = readEnvironment(root);
    List<String> tenants = readTenants(root);
    StateApiOptions stateApi = StateApiOptions.read(root.section("stateApi"));
    HttpOptions http = HttpOptions.read(root.section("http"));
    WebhookOptions webhook = WebhookOptions.read(root.section("webhook"), environment);
    AdminOptions admin = AdminOptions.read(root.section("admin"), variables);
    StoreOptions store = StoreOptions.read(root.section("store"));
    ClusterOptions cluster = ClusterOptions.read(root.section("cluster"));
    SimulatorSection simulator = SimulatorSection.read(root.section("simulator"));
    boolean demoWorker = root.bool("demoWorker", DEFAULT_DEMO_WORKER);
    long shutdownTimeout = root.integer("shutdownTimeoutMs", DEFAULT_SHUTDOWN_TIMEOUT_MS, 1, Long.MAX_VALUE);
    root.rejectUnknownKeys();

    if (stateApi.baseUrl() == null && !simulator.enabled() && environment.stateApiBaseUrl().isEmpty()) {
      throw new ConfigException("stateApi.baseUrl", "stateApi.baseUrl: required when environment is \""
          + environment.jsonName() + "\" and the simulator is not enabled");
    }
    long pollNowWait = stateApi.pollNowWait().toMillis();
    if (admin.limits().idleTimeoutMs() <= pollNowWait) {
      // The idle timeout would close the connection of an operator waiting for a poll they asked for.
      throw new ConfigException("admin.idleTimeoutMs", "admin.idleTimeoutMs: must be longer than "
          + "POST /admin/tenants/{ctx}/poll may wait (2 x stateApi.requestTimeoutMs + 1000 = " + pollNowWait
          + "), got " + admin.limits().idleTimeoutMs());
    }
    if (cluster.enabled() && !StoreOptions.POSTGRES.equals(store.type())) {
      throw ConfigException.of("cluster.enabled", "needs store.type \"postgres\", got "
          + (store.type() == null ? "none" : ConfigSection.show(store.type()))
          + ": every member reads and writes the one shared database, and an embedded or in-memory store "
          + "belongs to a single node");
    }
    return new TenantWatchOptions(environment, tenants, stateApi, http, webhook, admin, store, cluster, simulator,
        demoWorker, shutdownTimeout);
  }

  /** The configuration as JSON that {@link #fromJson(JsonObject)} reads back to an equal record. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("environment", environment.jsonName())
        .put("tenants", new JsonArray(new ArrayList<>(tenants)))
        .put("stateApi", stateApi.toJson())
        .put("http", http.toJson())
        .put("webhook", webhook.toJson())
        .put("admin", admin.toJson())
        .put("store", store.toJson())
        .put("cluster", cluster.toJson())
        .put("simulator", simulator.toJson())
        .put("demoWorker", demoWorker)
        .put("shutdownTimeoutMs", shutdownTimeoutMs);
  }

  /**
   * The state API's base URL, ending in a slash: {@code stateApi.baseUrl} when the file sets it, else
   * the simulator's URL when one is running, else the environment's.
   *
   * @param simulatorUrl the running simulator's state-API base URL, or null when none runs
   * @throws ConfigException naming {@code stateApi.baseUrl} when none of the three gives a URL
   */
  public String stateApiBaseUrl(String simulatorUrl) {
    if (stateApi.baseUrl() != null) {
      return stateApi.baseUrl();
    }
    if (simulatorUrl != null) {
      return simulatorUrl.endsWith("/") ? simulatorUrl : simulatorUrl + "/";
    }
    return environment.stateApiBaseUrl().orElseThrow(() -> new ConfigException("stateApi.baseUrl",
        "stateApi.baseUrl: required when environment is \"" + environment.jsonName()
            + "\" and no simulator is running"));
  }

  public Duration shutdownTimeout() {
    return Duration.ofMillis(shutdownTimeoutMs);
  }

  private static Environment readEnvironment(ConfigSection root) {
    String name = root.text("environment", DEFAULT_ENVIRONMENT.jsonName());
    return Environment.byJsonName(name).orElseThrow(
        () -> root.invalid("environment", "one of sod, stage, online, custom", name));
  }

  /** Duplicates are refused rather than dropped: a list with one usually hides a typo in another entry. */
  private static List<String> readTenants(ConfigSection root) {
    List<String> tenants = root.textList("tenants", ContextId::isValid,
        "a context identifier ('Cust' followed by 1 to 12 digits)");
    if (tenants == null) {
      return List.of();
    }
    // Sized for them all: a start may list a hundred thousand tenants, or a million.
    Set<String> seen = new HashSet<>(Math.max(16, (int) (tenants.size() / 0.75f) + 1));
    for (int i = 0; i < tenants.size(); i++) {
      if (!seen.add(tenants.get(i))) {
        throw root.failure("tenants[" + i + "]", "duplicate of tenants[" + tenants.indexOf(tenants.get(i))
            + "], got " + ConfigSection.show(tenants.get(i)));
      }
    }
    return tenants;
  }
}
