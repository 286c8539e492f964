package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.store.MemoryTenantStore;
import io.tenantwatch.store.StoreVerticle;
import io.tenantwatch.store.TenantChange;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster node's directory runs only the shards its shard owner hands it: the tenants of a shard it
 * adopts start from the store at the shard's lease epoch, each announced once with reason handover; a
 * shard handed over stops its tenants, sends nothing and leaves their last snapshots in the store; a
 * dropped shard stops at once. Real event bus, memory store behind the real store verticle.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ShardedDirectoryTest {
  private static final int SHARDS = 4;
  /** Shard 0: stored open with a ValidUntil ahead, at epoch 2 and seq 7. */
  private static final String OPEN = "Cust40000";
  /** Shard 0: stored, never polled. */
  private static final String NEVER_POLLED = "Cust40004";
  /** Shard 0: configured, not stored. */
  private static final String CONFIGURED = "Cust40008";
  /** Shard 1: stored, never polled. */
  private static final String OTHER_SHARD = "Cust40001";

  private final MemoryTenantStore memory = new MemoryTenantStore();
  private RecordingWorker worker;

  private Future<Void> deploy(Vertx vertx, int shards) throws Exception {
    Instant now = Instant.now();
    TenantSnapshot open = TenantSnapshot.initial(OPEN)
        .withLastPoll(new LastPoll(TenantState.RUNNING, "Running", true, "https://sod.example/" + OPEN,
            "https://sod.example/" + OPEN + "/api", "10", now.plus(Duration.ofHours(1)), now))
        .withGate(new Gate(true, null)).withSeq(7).withEpoch(2);
    memory.write(List.of(TenantChange.watched(OPEN, "admin"), TenantChange.snapshot(OPEN, SnapshotJson.toJson(open)),
        TenantChange.watched(NEVER_POLLED, "admin"), TenantChange.watched(OTHER_SHARD, "notification")))
        .toCompletionStage().toCompletableFuture().get();
    worker = new RecordingWorker(vertx);
    TenantMachine machine = new TenantMachine(PollSettings.defaults(), () -> 0.0);
    return vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(memory), Clock.systemUTC()))
        .compose(id -> vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT)))
        .compose(id -> worker.register())
        .compose(snapshot -> vertx.deployVerticle(shards == 0
            ? TenantDirectory.stored(machine::apply, Clock.systemUTC(), List.of(CONFIGURED),
                PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), EngineMetrics.unscraped().tenants())
            : TenantDirectory.clustered(machine::apply, Clock.systemUTC(), List.of(CONFIGURED),
                PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), EngineMetrics.unscraped().tenants(), shards)))
        .mapEmpty();
  }

  @Test
  @DisplayName("A node's directory starts no tenant until it adopts a shard, then runs exactly that shard's stored and configured tenants at the lease epoch")
  void adoptRunsTheShardsTenants(Vertx vertx) throws Exception {
    await(deploy(vertx, SHARDS));
    assertThat(list(vertx).getInteger("total")).isZero();

    JsonObject adopted = await(ask(vertx, adopt(0, 3)));

    assertThat(adopted.getInteger("tenants")).isEqualTo(3);
    JsonArray views = list(vertx).getJsonArray("tenants");
    assertThat(views.stream().map(v -> ((JsonObject) v).getString("tenant")))
        .containsExactly(OPEN, NEVER_POLLED, CONFIGURED);
    views.forEach(v -> assertThat(((JsonObject) v).getLong("epoch")).isEqualTo(3L));
    Command announced = await(worker.await(c -> c.tenant().equals(OPEN)));
    assertThat(announced.type()).isEqualTo(CommandType.RESUME);
    assertThat(announced.reason()).isEqualTo("handover");
    assertThat(announced.epoch()).isEqualTo(3L);
    assertThat(announced.seq()).isEqualTo(8L);
    Command closed = await(worker.await(c -> c.tenant().equals(NEVER_POLLED)));
    assertThat(closed.type()).isEqualTo(CommandType.PAUSE);
    assertThat(closed.reason()).isEqualTo("handover");
    assertThat(closed.epoch()).isEqualTo(3L);
  }

  @Test
  @DisplayName("A watch of a tenant whose shard this node does not hold is refused with 421 and starts nothing")
  void watchOutsideHeldShardsIsRefused(Vertx vertx) throws Exception {
    await(deploy(vertx, SHARDS));
    await(ask(vertx, adopt(0, 3)));

    Throwable refused = failure(ask(vertx, DirectoryMessages.watch("Cust40003", WatchOrigin.ADMIN)));

    assertThat(((ReplyException) refused).failureCode()).isEqualTo(Failures.NOT_OWNER);
    assertThat(list(vertx).getInteger("total")).isEqualTo(3);
    JsonObject watched = await(ask(vertx, DirectoryMessages.watch("Cust40012", WatchOrigin.ADMIN)));
    assertThat(watched.getBoolean("created")).isTrue();
    assertThat(list(vertx).getJsonArray("tenants").stream()
        .filter(v -> ((JsonObject) v).getString("tenant").equals("Cust40012"))
        .map(v -> ((JsonObject) v).getLong("epoch"))).containsExactly(3L);
  }

  @Test
  @DisplayName("A shard handed over stops its tenants without a command and leaves their last snapshots in the store, which the next owner restores")
  void handOverWritesTheLastSnapshots(Vertx vertx) throws Exception {
    await(deploy(vertx, SHARDS));
    await(ask(vertx, adopt(0, 3)));

    // At once: the announcements' snapshots (seq 8) are still on their way to the store.
    JsonObject handed = await(ask(vertx, new JsonObject().put("type", DirectoryMessages.HAND_OVER)
        .put("shards", new JsonArray().add(0))));

    assertThat(handed.getInteger("tenants")).isEqualTo(3);
    assertThat(storedSeq(OPEN)).as("written before the answer").isEqualTo(8L);
    assertThat(list(vertx).getInteger("total")).isZero();
    await(worker.await(c -> c.tenant().equals(NEVER_POLLED)));
    int sent = worker.commands().size();
    // The next owner (here the same directory, at the next epoch) restores the snapshots handed over.
    await(ask(vertx, adopt(0, 4)));
    Command again = await(worker.await(c -> c.tenant().equals(OPEN) && c.epoch() == 4));
    assertThat(again.seq()).as("the handover's snapshot, seq 8, was in the store").isEqualTo(9L);
    assertThat(again.type()).isEqualTo(CommandType.RESUME);
    assertThat(worker.commands().subList(0, sent)).noneMatch(c -> c.epoch() == 4);
  }

  @Test
  @DisplayName("A dropped shard's tenants stop at once and send nothing")
  void dropStopsAtOnce(Vertx vertx) throws Exception {
    await(deploy(vertx, SHARDS));
    await(ask(vertx, adopt(0, 3)));
    await(worker.await(c -> c.tenant().equals(NEVER_POLLED)));
    await(worker.await(c -> c.tenant().equals(OPEN)));
    int sent = worker.commands().size();

    JsonObject dropped = await(ask(vertx, new JsonObject().put("type", DirectoryMessages.DROP)
        .put("shards", new JsonArray().add(0))));

    assertThat(dropped.getInteger("tenants")).isEqualTo(3);
    assertThat(list(vertx).getInteger("total")).isZero();
    assertThat(worker.commands()).hasSize(sent);
    Throwable refused = failure(ask(vertx, DirectoryMessages.watch(OPEN, WatchOrigin.ADMIN)));
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(Failures.NOT_OWNER);
  }

  @Test
  @DisplayName("Shard requests that name no shard, a shard out of range or no epoch, to the directory or the store, are refused and change nothing")
  void badShardRequestsAreRefused(Vertx vertx) throws Exception {
    await(deploy(vertx, SHARDS));
    for (JsonObject bad : List.of(new JsonObject().put("type", DirectoryMessages.ADOPT),
        adopt(SHARDS, 1), adopt(-1, 1), adopt(0, 0),
        new JsonObject().put("type", DirectoryMessages.ADOPT).put("shards", new JsonArray().add(new JsonObject().put("shard", 0))),
        new JsonObject().put("type", DirectoryMessages.HAND_OVER).put("shards", new JsonArray().add("0")),
        new JsonObject().put("type", DirectoryMessages.DROP).put("shards", new JsonArray().add(SHARDS)))) {
      Throwable refused = failure(ask(vertx, bad));
      assertThat(((ReplyException) refused).failureCode()).as(bad.encode()).isEqualTo(Failures.MALFORMED);
    }
    for (JsonObject bad : List.of(
        new JsonObject().put("type", "restore").put("shards", new JsonArray().add(0)),
        new JsonObject().put("type", "restore").put("shards", new JsonArray().add("0")).put("shardCount", SHARDS),
        new JsonObject().put("type", "restore").put("shards", new JsonArray().add(SHARDS)).put("shardCount", SHARDS))) {
      Throwable refused = failure(vertx.eventBus().request(Addresses.STORE, bad));
      assertThat(((ReplyException) refused).failureCode()).as(bad.encode()).isEqualTo(Failures.MALFORMED);
    }
    assertThat(list(vertx).getInteger("total")).isZero();
    assertThat(failure(ask(vertx, DirectoryMessages.watch(OPEN, WatchOrigin.ADMIN))))
        .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(Failures.NOT_OWNER));
  }

  @Test
  @DisplayName("A single engine's directory refuses shard requests and runs every tenant at epoch 0")
  void singleEngineHasNoShards(Vertx vertx) throws Exception {
    await(deploy(vertx, 0));

    Throwable refused = failure(ask(vertx, adopt(0, 3)));

    assertThat(((ReplyException) refused).failureCode()).isEqualTo(Failures.MALFORMED);
    JsonArray views = list(vertx).getJsonArray("tenants");
    assertThat(views.size()).isEqualTo(4);
    assertThat(views.stream().map(v -> ((JsonObject) v).getString("tenant")).toList())
        .contains(OTHER_SHARD, CONFIGURED);
  }

  private long storedSeq(String tenant) throws Exception {
    return await(memory.load(Instant.now())).stream().filter(t -> t.tenant().equals(tenant))
        .map(t -> t.snapshot().getLong("seq")).findFirst().orElseThrow();
  }

  private static JsonObject adopt(int shard, long epoch) {
    return new JsonObject().put("type", DirectoryMessages.ADOPT)
        .put("shards", new JsonArray().add(new JsonObject().put("shard", shard).put("epoch", epoch)));
  }

  private static Future<JsonObject> ask(Vertx vertx, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, request).map(reply -> reply.body());
  }

  private static JsonObject list(Vertx vertx) throws Exception {
    return await(ask(vertx, DirectoryMessages.list(null, null)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
