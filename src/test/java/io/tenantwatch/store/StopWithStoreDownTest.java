package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.support.ErrorLog;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop while the embedded PostgreSQL hangs (frozen with SIGSTOP: its connections stay open and
 * nothing answers, the hardest case for a client): the engine still stops, giving up on the last write
 * once {@code shutdownTimeoutMs} is spent, and says at ERROR how many tenants' changes it could not write.
 * Without a bound the last write waits on the frozen server for ever.
 */
@ExtendWith(VertxExtension.class)
class StopWithStoreDownTest {
  private static final List<String> ADDED = List.of("Cust76001", "Cust76002", "Cust76003");
  private static final long SHUTDOWN_TIMEOUT_MS = 3_000;

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  private static Future<JsonObject> health(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject()).map(m -> m.body());
  }

  @Test
  @DisplayName("a stop while PostgreSQL hangs ends after shutdownTimeoutMs and logs how many tenants' changes were not written")
  void stopWithFrozenStore(Vertx vertx, @TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    JsonObject config = new JsonObject().put("shutdownTimeoutMs", SHUTDOWN_TIMEOUT_MS)
        .put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()));
    TestEngine env = await(TestEngine.start(vertx, config), 90);
    for (String tenant : ADDED) {
      await(env.simulator.addTenant(tenant), 30);
    }
    ErrorLog log = ErrorLog.capture();
    try (FrozenPostgres frozen = FrozenPostgres.freeze(dataDir)) {
      for (String tenant : ADDED) {
        assertThat(await(env.admin(HttpMethod.PUT, "/admin/tenants/" + tenant), 30).statusCode()).isLessThan(300);
      }
      await(Eventually.until(vertx, () -> health(vertx), h -> h.getInteger("pendingWrites") == ADDED.size()), 30);

      // Generous: the bound is shutdownTimeoutMs (3 s); without one the stop never ends.
      await(env.engine.close(), 60);

      assertThat(log.events()).anyMatch(e -> e.startsWith("ERROR") && e.contains(ADDED.size() + " tenant(s)"));
    } finally {
      log.close();
    }
  }

  @Test
  @DisplayName("a write to a PostgreSQL that hangs fails after its bound: the store reports itself unreachable, and writes once the server answers again")
  void writeToFrozenStoreFails(Vertx vertx, @TempDir Path dir) throws Exception {
    Path dataDir = dir.resolve("data");
    String store = await(vertx.deployVerticle(new StoreVerticle(v -> TenantStores.embedded(v, dataDir),
        java.time.Clock.systemUTC())), 90);
    try (FrozenPostgres frozen = FrozenPostgres.freeze(dataDir)) {
      try {
        for (String tenant : ADDED) {
          vertx.eventBus().send(Addresses.STORE_CHANGES, TenantChange.watched(tenant, "admin").toJson());
        }
        // The bound is PostgresTenantStore.ROUND_TRIP (15 s); without one the write waits for ever.
        JsonObject down = await(Eventually.until(vertx, () -> health(vertx), h -> !h.getBoolean("reachable")), 90);
        assertThat(down.getInteger("pendingWrites")).isEqualTo(ADDED.size());
      } finally {
        frozen.thaw();
      }
      await(Eventually.until(vertx, () -> health(vertx),
          h -> h.getBoolean("reachable") && h.getInteger("pendingWrites") == 0), 90);
      await(vertx.undeploy(store), 60);
    }
  }
}
