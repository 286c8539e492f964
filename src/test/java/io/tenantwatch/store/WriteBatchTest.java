package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A backlog larger than one write goes to the store a bounded batch after another, while the engine runs
 * and in its last write at stop, so no transaction grows with the backlog. Real store verticle on the real
 * event bus, memory store behind it (counting the changes of each write it is given).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class WriteBatchTest {
  private static final int BACKLOG = 2 * StoreVerticle.WRITE_BATCH + 1;

  private final MemoryTenantStore memory = new MemoryTenantStore();
  private final List<Integer> writes = new CopyOnWriteArrayList<>();

  /** The memory store, each write's size noted. */
  private final TenantStore counted = new DelegatingTenantStore(memory) {
    @Override
    public Future<WriteOutcome> write(Collection<TenantChange> changes) {
      writes.add(changes.size());
      return super.write(changes);
    }
  };

  private static JsonObject backlog(int first) {
    JsonArray changes = new JsonArray();
    for (int i = 0; i < BACKLOG; i++) {
      changes.add(TenantChange.watched("Cust" + (first + i), "admin").toJson());
    }
    return new JsonObject().put("changes", changes);
  }

  @Test
  @DisplayName("a backlog of more than two writes' worth is written in bounded batches, every tenant in the store")
  void backlogGoesInBoundedBatches(Vertx vertx) throws Exception {
    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(counted), Clock.systemUTC())));

    await(vertx.eventBus().request(Addresses.STORE_CHANGES, backlog(7_400_000)));

    await(Eventually.until(vertx, () -> memory.load(Instant.now()), stored -> stored.size() == BACKLOG));
    assertThat(writes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(StoreVerticle.WRITE_BATCH));
    assertThat(writes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(BACKLOG);
  }

  @Test
  @DisplayName("at stop a backlog of more than two writes' worth is written in bounded batches, nothing lost")
  void stopWritesTheBacklogInBoundedBatches(Vertx vertx) throws Exception {
    String id = await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(counted), Clock.systemUTC())));
    await(StoreVerticle.stopWithin(vertx, java.time.Duration.ofSeconds(30)));
    vertx.eventBus().send(Addresses.STORE_CHANGES, backlog(7_500_000));

    await(vertx.undeploy(id));

    assertThat(await(memory.load(Instant.now()))).hasSize(BACKLOG);
    assertThat(writes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(StoreVerticle.WRITE_BATCH));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
