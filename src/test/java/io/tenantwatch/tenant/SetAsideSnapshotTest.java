package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.store.StoreVerticle;
import io.tenantwatch.store.StoredTenant;
import io.tenantwatch.store.TenantStore;
import io.tenantwatch.store.TenantStores;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed and the store verticle on the real embedded PostgreSQL, with a snapshot PostgreSQL refuses (a
 * NUL in a string, which jsonb cannot hold) put past the edge that would refuse it. The store sets it
 * aside; the tenant's next, good change only appends to a history the store never got, so the store says
 * so in its answer and the feed sends the whole snapshot and history again: the tenant is stored as it is.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class SetAsideSnapshotTest {
  private static final String TENANT = "Cust77001";
  private static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");
  private final Map<String, FedTenant> watched = new ConcurrentHashMap<>();

  private static HistoryEntry entry(String from, String to, int second) {
    return new HistoryEntry(TENANT, NOW.plusSeconds(second), from, to, "poll", List.of());
  }

  /** Runs {@code action} on the feed's context, as the directory does. */
  private static Future<Void> on(Context context, Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      action.run();
      done.complete();
    });
    return done.future();
  }

  private static Optional<StoredTenant> stored(List<StoredTenant> tenants) {
    return tenants.stream().filter(t -> t.tenant().equals(TENANT)).findFirst();
  }

  @Test
  @DisplayName("after the store sets a tenant's snapshot aside, the tenant's next change stores its whole snapshot and history")
  void nextChangeAfterSetAsideIsWhole(Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    TenantStore store = TenantStores.embedded(vertx, dir.resolve("data")).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    EngineMetrics metrics = EngineMetrics.unscraped();
    Context context = vertx.getOrCreateContext();
    StoreFeed feed = new StoreFeed(vertx, true, watched::get);
    FedTenant fed = new FedTenant();
    HistoryEntry first = entry("Unknown", "Running", 1);
    TenantSnapshot good = withRawState(TenantSnapshot.initial(TENANT), "Running").withSeq(2)
        .withHistory(List.of(first, entry("Running", "Running", 2)));

    vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(store), Clock.systemUTC(), metrics))
        .compose(id -> on(context, () -> {
          fed.snapshot = withRawState(TenantSnapshot.initial(TENANT), "nul \u0000 here").withSeq(1)
              .withHistory(List.of(first));
          watched.put(TENANT, fed);
          feed.watched(TENANT, WatchOrigin.ADMIN);
          feed.changed(TENANT);
        }))
        .compose(v -> Eventually.until(vertx, () -> Future.succeededFuture(metrics.scrape()),
            scrape -> scrape.contains("tenantwatch_store_rows_rejected_total 1.0")))
        .compose(rejected -> on(context, () -> {
          fed.snapshot = good;
          feed.changed(TENANT);
        }))
        .compose(v -> Eventually.until(vertx, () -> store.load(NOW),
            tenants -> stored(tenants).map(t -> SnapshotJson.toJson(good).equals(t.snapshot())).orElse(false)))
        .onComplete(test.succeeding(tenants -> test.verify(() -> {
          StoredTenant row = stored(tenants).orElseThrow();
          assertThat(row.origin()).isEqualTo("admin");
          assertThat(SnapshotJson.fromJson(row.snapshot())).isEqualTo(good);
          assertThat(metrics.scrape()).contains("tenantwatch_store_rows_rejected_total 1.0");
          test.completeNow();
        })));
  }

  private static TenantSnapshot withRawState(TenantSnapshot s, String rawState) {
    return s.withLastPoll(new LastPoll(s.state(), rawState, s.polledRunning(), s.endpoint(), s.api(), s.version(),
        s.validUntil(), s.lastPolledAt()));
  }
}
