package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.tenant.TenantMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole engine on the embedded store, stopped and started again on the same data directory (R11): the
 * tenant an operator added comes back, histories continue, seq goes on above the first run's, a
 * notification applied before stays refused as a replay, and an unwatched tenant leaves the store.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class EngineRestartTest {
  private static final String CONFIGURED = "Cust74001";
  private static final String ADDED = "Cust74002";

  private static JsonObject embedded(Path dataDir) {
    return new JsonObject().put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()));
  }

  private static Future<Boolean> notify(Vertx vertx, String replayId) {
    Notification resume = new Notification(CONFIGURED, ChangeType.RESUME, null, null, null);
    return vertx.eventBus().<JsonObject>request(Addresses.tenant(CONFIGURED),
            TenantMessages.notification(resume, replayId, Instant.now().plusSeconds(300)))
        .map(reply -> reply.body().getBoolean("applied"));
  }

  private static Future<JsonObject> stored(Vertx vertx) {
    return vertx.eventBus().<StoredPage>request(Addresses.STORE, new JsonObject().put("type", "restore"))
        .map(m -> m.body().toJson());
  }

  private static Future<JsonObject> health(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject()).map(m -> m.body());
  }

  @Test
  @DisplayName("a restarted engine finds its tenants, histories, seq and applied notifications, and forgets an unwatched tenant")
  void restartKeepsTenants(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) {
    JsonObject[] before = new JsonObject[2];
    TestEngine.start(vertx, embedded(dataDir), CONFIGURED)
        .compose(env -> env.simulator.addTenant(ADDED)
            .compose(v -> env.admin(HttpMethod.PUT, "/admin/tenants/" + ADDED))
            .compose(v -> env.viewUntil(CONFIGURED, view -> view.getBoolean("running")))
            .compose(v -> env.viewUntil(ADDED, view -> view.getBoolean("running")))
            .compose(v -> notify(vertx, "jti-before"))
            .compose(applied -> {
              context.verify(() -> assertThat(applied).isTrue());
              return env.viewUntil(CONFIGURED, view -> view.getBoolean("running"));
            })
            .compose(view -> {
              before[0] = view;
              return env.view(ADDED);
            })
            .compose(view -> {
              before[1] = view;
              return env.engine.close();
            }))
        .compose(v -> TestEngine.start(vertx, embedded(dataDir), CONFIGURED))
        .compose(env -> env.simulator.addTenant(ADDED)
            .compose(v -> notify(vertx, "jti-before"))
            .compose(replayed -> {
              context.verify(() -> assertThat(replayed).as("a replay after the restart is refused").isFalse());
              return notify(vertx, "jti-after");
            })
            .compose(fresh -> {
              context.verify(() -> assertThat(fresh).isTrue());
              return env.viewUntil(CONFIGURED, view -> view.getBoolean("running"));
            })
            .compose(configured -> env.viewUntil(ADDED, view -> view.getBoolean("running")).map(added -> {
              context.verify(() -> {
                assertContinues(before[0], configured);
                assertContinues(before[1], added);
              });
              return added;
            }))
            .compose(v -> env.admin(HttpMethod.DELETE, "/admin/tenants/" + ADDED))
            .compose(v -> io.tenantwatch.support.Eventually.until(vertx, () -> health(vertx),
                h -> h.getInteger("pendingWrites") == 0))
            .compose(v -> stored(vertx))
            .compose(store -> {
              context.verify(() -> {
                assertThat(store.getLong("epoch")).isEqualTo(1L);
                assertThat(store.getJsonArray("tenants").stream().map(t -> ((JsonObject) t).getString("tenant")))
                    .containsExactly(CONFIGURED);
              });
              return env.engine.close();
            }))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("after a restart, a tenant watched with nothing stored starts its seq above the earlier runs'")
  void freshTenantAfterRestartStartsAboveEarlierRuns(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) {
    String newInConfig = "Cust74003";
    TestEngine.start(vertx, embedded(dataDir), CONFIGURED)
        .compose(env -> env.viewUntil(CONFIGURED, view -> view.getBoolean("running"))
            .compose(v -> env.engine.close()))
        .compose(v -> TestEngine.start(vertx, embedded(dataDir), CONFIGURED, newInConfig))
        .compose(env -> env.simulator.addTenant(ADDED)
            .compose(v -> env.admin(HttpMethod.PUT, "/admin/tenants/" + ADDED))
            .compose(v -> env.viewUntil(ADDED, view -> view.getBoolean("running")))
            .compose(added -> env.viewUntil(newInConfig, view -> view.getBoolean("running")).map(configured -> {
              context.verify(() -> {
                assertAboveFirstRun(added);
                assertAboveFirstRun(configured);
              });
              return configured;
            }))
            .compose(v -> env.engine.close()))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("a tenant taken out of the configuration is retired on the next start, and leaves the store")
  void tenantOutOfTheConfigurationIsRetired(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) {
    String removed = "Cust74004";
    Promise<JsonObject> retire = Promise.promise();
    TestEngine.start(vertx, embedded(dataDir), CONFIGURED, removed)
        .compose(env -> env.viewUntil(removed, view -> view.getBoolean("running"))
            .compose(v -> env.engine.close()))
        .compose(v -> {
          vertx.eventBus().<JsonObject>consumer(Addresses.COMMANDS, m -> {
            if (removed.equals(m.body().getString("tenant")) && "retire".equals(m.body().getString("type"))) {
              retire.tryComplete(m.body());
            }
          });
          return TestEngine.start(vertx, embedded(dataDir), CONFIGURED);
        })
        .compose(env -> retire.future()
            .compose(command -> {
              context.verify(() -> {
                assertThat(command.getString("reason")).isEqualTo("unwatched");
                assertThat(command.getLong("seq")).isGreaterThan(1_000_000_000L);
              });
              return io.tenantwatch.support.Eventually.until(vertx, () -> health(vertx),
                  h -> h.getInteger("pendingWrites") == 0);
            })
            .compose(v -> stored(vertx))
            .compose(store -> {
              context.verify(() -> assertThat(store.getJsonArray("tenants").stream()
                  .map(t -> ((JsonObject) t).getString("tenant"))).containsExactly(CONFIGURED));
              return env.engine.close();
            }))
        .onComplete(context.succeedingThenComplete());
  }

  private static void assertAboveFirstRun(JsonObject view) {
    for (Object entry : view.getJsonArray("history")) {
      for (Object command : ((JsonObject) entry).getJsonArray("commands")) {
        assertThat(((JsonObject) command).getLong("seq")).as(view.getString("tenant"))
            .isGreaterThan(1_000_000_000L);
      }
    }
    assertThat(view.getLong("seq")).isGreaterThan(1_000_000_000L);
  }

  /** The history before the restart is where the one after starts, and every later command has a higher seq. */
  private static void assertContinues(JsonObject before, JsonObject after) {
    JsonArray old = before.getJsonArray("history");
    JsonArray now = after.getJsonArray("history");
    assertThat(now.size()).isGreaterThan(old.size());
    for (int i = 0; i < old.size(); i++) {
      assertThat(now.getJsonObject(i)).as("history entry %d", i).isEqualTo(old.getJsonObject(i));
    }
    long lastSeq = before.getLong("seq");
    for (int i = old.size(); i < now.size(); i++) {
      for (Object command : now.getJsonObject(i).getJsonArray("commands")) {
        assertThat(((JsonObject) command).getLong("seq")).isGreaterThan(lastSeq)
            .isGreaterThan(1_000_000_000L);
      }
    }
    assertThat(after.getLong("seq")).isGreaterThan(1_000_000_000L);
    assertThat(after.getString("endpoint")).isEqualTo(before.getString("endpoint"));
  }
}
