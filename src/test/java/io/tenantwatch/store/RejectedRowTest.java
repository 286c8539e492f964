package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.support.ErrorLog;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tenant's change that PostgreSQL refuses (a NUL in a string, which jsonb cannot hold), put straight
 * into the store verticle past the edge that would refuse it: the other tenants of the same batch are
 * written, the bad change is set aside, logged and counted, and the store goes on writing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RejectedRowTest {
  private static final List<String> GOOD = List.of("Cust7400", "Cust7401", "Cust7402");
  private static final String BAD = "Cust7499";

  private static Future<JsonObject> health(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject()).map(m -> m.body());
  }

  private static void send(Vertx vertx, TenantChange change) {
    vertx.eventBus().send(Addresses.STORE_CHANGES, change.toJson());
  }

  private static Map<String, Long> seqs(List<StoredTenant> stored) {
    return stored.stream().filter(t -> t.snapshot() != null)
        .collect(Collectors.toMap(StoredTenant::tenant, t -> t.snapshot().getLong("seq")));
  }

  @Test
  @DisplayName("a change jsonb refuses is set aside, the rest of its batch is written, and writes go on")
  void badRowIsSetAside(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) throws Exception {
    TenantStore store = TenantStoreContract.await(TenantStores.embedded(vertx, dataDir));
    EngineMetrics metrics = EngineMetrics.unscraped();
    ErrorLog log = ErrorLog.capture();
    JsonObject bad = TenantStoreContract.snapshot(BAD, 1).put("note", "nul \u0000 here");

    vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(store), Clock.systemUTC(), metrics))
        .compose(id -> {
          // One batch: the flush comes every 200 ms, these are sent in one go.
          GOOD.forEach(t -> send(vertx, TenantChange.watched(t, "admin")));
          send(vertx, TenantChange.watched(BAD, "admin").then(TenantChange.snapshot(BAD, bad)));
          GOOD.forEach(t -> send(vertx, TenantChange.snapshot(t, TenantStoreContract.snapshot(t, 1))));
          return Eventually.until(vertx, () -> health(vertx), h -> h.getInteger("pendingWrites") == 0);
        })
        .compose(h -> store.load(TenantStoreContract.NOW))
        .compose(stored -> {
          context.verify(() -> {
            Map<String, Long> seqs = seqs(stored);
            GOOD.forEach(t -> assertThat(seqs).containsEntry(t, 1L));
            assertThat(seqs).doesNotContainKey(BAD);
            assertThat(metrics.scrape()).contains("tenantwatch_store_rows_rejected_total 1.0");
            assertThat(log.events()).anyMatch(e -> e.startsWith("ERROR") && e.contains(BAD));
          });
          GOOD.forEach(t -> send(vertx, TenantChange.snapshot(t, TenantStoreContract.snapshot(t, 2))));
          return Eventually.until(vertx, () -> store.load(TenantStoreContract.NOW),
              later -> GOOD.stream().allMatch(t -> seqs(later).getOrDefault(t, 0L) == 2L));
        })
        .compose(later -> health(vertx))
        .onComplete(context.succeeding(h -> context.verify(() -> {
          log.close();
          assertThat(h.getInteger("pendingWrites")).isZero();
          context.completeNow();
        })));
  }
}
