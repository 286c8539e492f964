package io.tenantwatch.soak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * What one soak run does: its seed (every random choice of the fault injector follows from it), how long
 * faults are injected, and the engine's config. The timings are short so that a minute holds many polls,
 * holds, retries and timeouts: a request times out after {@link #requestTimeout()}, and the simulator's
 * answers are valid for {@link #validity()}.
 *
 * @param rewatch whether a tenant unwatched before may be watched again (under the same name) rather than
 *     a new one; see docs/testing.md
 */
record SoakPlan(long seed, Duration duration, boolean rewatch) {
  static final String ADMIN_TOKEN = "soak-admin-token-0123456789abcdef";
  static final int SCRIPTED_TENANTS = 12;

  Duration validity() {
    return Duration.ofMillis(1_500);
  }

  Duration requestTimeout() {
    return Duration.ofMillis(1_000);
  }

  /** The engine with its embedded simulator (scripted tenants, seeded by the plan), all on loopback port 0. */
  JsonObject config() {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray())
        .put("stateApi", new JsonObject()
            .put("requestTimeoutMs", requestTimeout().toMillis())
            .put("maxConcurrentPolls", 16)
            .put("maxPollsPerSecond", 200)
            .put("minPollIntervalMs", 200)
            .put("maxPollIntervalMs", 30_000)
            .put("transitionalPollIntervalMs", 1_000)
            .put("jitterRatio", 0.1)
            .put("retryMinMs", 200)
            .put("retryMaxMs", 2_000)
            .put("notificationHoldMs", 1_500))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("token", ADMIN_TOKEN))
        .put("webhook", new JsonObject().put("path", SoakDriver.WEBHOOK_PATH).put("watchUnknownTenants", false))
        .put("store", new JsonObject().put("type", "memory"))
        .put("simulator", new JsonObject().put("enabled", true).put("port", 0).put("tenants", SCRIPTED_TENANTS)
            .put("seed", seed))
        .put("shutdownTimeoutMs", 5_000);
  }
}
