package io.tenantwatch.support;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * A whole engine for integration tests: the simulator (unscripted, so tests set each state) on port 0,
 * the engine pointed at it with short intervals, both listeners on 127.0.0.1 port 0, and a WebClient.
 */
public final class TestEngine {
  public final Vertx vertx;
  public final Simulator simulator;
  public final TenantWatch engine;
  public final WebClient client;

  private TestEngine(Vertx vertx, Simulator simulator, TenantWatch engine) {
    this.vertx = vertx;
    this.simulator = simulator;
    this.engine = engine;
    this.client = WebClient.create(vertx);
  }

  /** The engine's config for a simulator at {@code baseUrl}: fast timings, no jitter, loopback only. */
  public static JsonObject config(String baseUrl, String... tenants) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(java.util.List.of((Object[]) tenants)))
        .put("stateApi", new JsonObject()
            .put("baseUrl", baseUrl)
            .put("requestTimeoutMs", 500)
            .put("maxConcurrentPolls", 16)
            .put("maxPollsPerSecond", 500)
            .put("minPollIntervalMs", 50)
            .put("maxPollIntervalMs", 60_000)
            .put("transitionalPollIntervalMs", 200)
            .put("jitterRatio", 0.0)
            .put("retryMinMs", 50)
            .put("retryMaxMs", 200)
            .put("notificationHoldMs", 400))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "memory"));
  }

  /** Starts the simulator, then the engine watching {@code tenants}, with {@code overrides} merged in deep. */
  public static Future<TestEngine> start(Vertx vertx, JsonObject overrides, String... tenants) {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(1)
        .withScripted(false).withValidityMs(200), Clock.systemUTC());
    return vertx.deployVerticle(simulator)
        .compose(id -> {
          Future<Void> added = Future.succeededFuture();
          for (String tenant : tenants) {
            added = added.compose(v -> simulator.addTenant(tenant));
          }
          return added;
        })
        .compose(v -> TenantWatch.deploy(vertx,
            config(simulator.stateApiBaseUrl(), tenants).mergeIn(overrides, true)))
        .map(engine -> new TestEngine(vertx, simulator, engine));
  }

  public static Future<TestEngine> start(Vertx vertx, String... tenants) {
    return start(vertx, new JsonObject(), tenants);
  }

  public Future<HttpResponse<Buffer>> admin(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, engine.adminPort(), "127.0.0.1", path).send();
  }

  /** An admin request carrying this {@code Authorization} header (none when null). */
  public Future<HttpResponse<Buffer>> admin(io.vertx.core.http.HttpMethod method, String path, String authorization) {
    io.vertx.ext.web.client.HttpRequest<Buffer> request = client.request(method, engine.adminPort(), "127.0.0.1", path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return request.send();
  }

  /** A request to the public listener (webhook, health). */
  public Future<HttpResponse<Buffer>> publicRequest(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, engine.httpPort(), "127.0.0.1", path).send();
  }

  /** The tenant's admin view (with history). */
  public Future<JsonObject> view(String tenant) {
    return admin(io.vertx.core.http.HttpMethod.GET, "/admin/tenants/" + tenant)
        .map(response -> response.statusCode() == 200 ? response.bodyAsJsonObject() : new JsonObject());
  }

  /** Awaits the tenant's view meeting a condition. */
  public Future<JsonObject> viewUntil(String tenant, Predicate<JsonObject> done) {
    return Eventually.until(vertx, () -> view(tenant), done);
  }
}
