package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.store.DelegatingTenantStore;
import io.tenantwatch.store.ChangeBatch;
import io.tenantwatch.store.PendingChange;
import io.tenantwatch.store.MemoryTenantStore;
import io.tenantwatch.store.StoreVerticle;
import io.tenantwatch.store.StoredPage;
import io.tenantwatch.store.StoredTenant;
import io.tenantwatch.store.TenantChange;
import io.tenantwatch.store.TenantStore;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R11 over many pages: the directory restores the store's tenants a page at a time (here two a page, so a
 * handful of tenants make several pages), and starts each exactly as a restore of them all at once would.
 * Real event bus, memory store behind the real store verticle.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PagedRestoreTest {
  private static final int PAGE = 2;
  /** Stored by an operator: restored, whatever page they are on. */
  private static final List<String> ADDED = List.of("Cust48001", "Cust48002", "Cust48003", "Cust48004", "Cust48005");
  /** Stored from the configuration, still configured: restored. */
  private static final String CONFIGURED = "Cust48006";
  /** Stored from an earlier configuration only: retired and forgotten. */
  private static final String DROPPED = "Cust48007";
  /** Configured, not stored: watched afresh once every page is read. */
  private static final String FRESH = "Cust48008";

  private final MemoryTenantStore memory = new MemoryTenantStore();

  @Test
  @DisplayName("R11: a store of several pages restores every tenant once, retires the dropped one and watches the unstored configured one afresh, all above the earlier start's seq")
  void restoresEveryPage(Vertx vertx) throws Exception {
    List<TenantChange> stored = new ArrayList<>();
    ADDED.forEach(tenant -> stored.add(TenantChange.watched(tenant, "admin")));
    stored.add(TenantChange.watched(CONFIGURED, "config"));
    stored.add(TenantChange.watched(DROPPED, "config"));
    await(memory.write(stored));
    await(memory.begin()); // an earlier start: this one is epoch 1
    RecordingWorker worker = new RecordingWorker(vertx);
    TenantMachine machine = machine();

    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(memory), Clock.systemUTC()))
        .compose(id -> vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT)))
        .compose(id -> worker.register())
        .compose(registered -> vertx.deployVerticle(TenantDirectory.stored(machine::apply, Clock.systemUTC(),
                List.of(CONFIGURED, FRESH), PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)),
                EngineMetrics.unscraped().tenants())
            .restorePage(PAGE))));

    JsonArray views = await(vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, DirectoryMessages.list(null, null))
        .map(reply -> reply.body().getJsonArray("tenants")));
    List<String> watched = new ArrayList<>(ADDED);
    watched.add(CONFIGURED);
    watched.add(FRESH);
    assertThat(views.stream().map(v -> ((JsonObject) v).getString("tenant"))).containsExactlyInAnyOrderElementsOf(watched);
    for (String tenant : watched.subList(0, ADDED.size() + 1)) {
      Command announced = await(worker.await(c -> c.tenant().equals(tenant)));
      assertThat(announced.type()).as(tenant).isEqualTo(CommandType.PAUSE);
      assertThat(announced.reason()).as(tenant).isEqualTo(TenantRestore.REASON);
      assertThat(announced.seq()).as(tenant).isGreaterThan(TenantRestore.SEQ_PER_EPOCH);
    }
    Command retired = await(worker.await(c -> c.tenant().equals(DROPPED)));
    assertThat(retired.type()).isEqualTo(CommandType.RETIRE);
    assertThat(retired.seq()).isGreaterThan(TenantRestore.SEQ_PER_EPOCH);
    assertThat(views.stream().map(JsonObject.class::cast).filter(v -> v.getString("tenant").equals(FRESH))
        .map(v -> v.getLong("seq"))).allSatisfy(seq -> assertThat(seq).isGreaterThanOrEqualTo(TenantRestore.SEQ_PER_EPOCH));
    await(Eventually.until(vertx, () -> memory.load(Instant.now()),
        now -> now.stream().map(StoredTenant::tenant).toList().containsAll(watched)
            && now.stream().noneMatch(t -> t.tenant().equals(DROPPED))));
  }

  @Test
  @DisplayName("R11: a page the store could not read is asked for again, and every tenant is restored: one slow "
      + "round trip does not fail a start that has restored the pages before it")
  void unreadPageIsAskedAgain(Vertx vertx) throws Exception {
    List<TenantChange> stored = new ArrayList<>();
    ADDED.forEach(tenant -> stored.add(TenantChange.watched(tenant, "admin")));
    await(memory.write(stored));
    List<String> asked = new CopyOnWriteArrayList<>();
    TenantStore failingOnce = new DelegatingTenantStore(memory) {
      @Override
      public Future<List<StoredTenant>> load(Instant now, String after, int limit) {
        asked.add(String.valueOf(after));
        // The second page's first read gives up, as a round trip past its bound does.
        return asked.size() == 2 ? Future.failedFuture(new IllegalStateException("Timeout 15000 (ms) fired"))
            : super.load(now, after, limit);
      }
    };
    RecordingWorker worker = new RecordingWorker(vertx);
    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(failingOnce), Clock.systemUTC()))
        .compose(id -> vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT)))
        .compose(id -> worker.register())
        .compose(registered -> vertx.deployVerticle(TenantDirectory.stored(machine()::apply, Clock.systemUTC(),
            List.of(), PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), EngineMetrics.unscraped().tenants())
            .restorePage(PAGE))));

    for (String tenant : ADDED) {
      assertThat(await(worker.await(c -> c.tenant().equals(tenant))).reason()).as(tenant)
          .isEqualTo(TenantRestore.REASON);
    }
    assertThat(asked).as("the pages asked for, by the tenant they follow").containsExactly("null", ADDED.get(1),
        ADDED.get(1), ADDED.get(3));
  }

  @Test
  @DisplayName("R11: a restored tenant's stored history gets its announcement appended, never the whole history again")
  void restoredHistoryIsAppendedTo(Vertx vertx) throws Exception {
    String tenant = "Cust48011";
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    List<HistoryEntry> history = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      history.add(new HistoryEntry(tenant, at.plusSeconds(i), "Running", "Running", "poll", List.of()));
    }
    await(memory.write(List.of(TenantChange.watched(tenant, "admin"),
        TenantChange.snapshot(tenant, SnapshotJson.toJson(waiting(tenant).withHistory(history))))));
    List<TenantChange> sent = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().equals(Addresses.STORE_CHANGES)
          && delivery.message().body() instanceof ChangeBatch batch) {
        batch.changes().stream().map(PendingChange::make).filter(c -> tenant.equals(c.tenant())).forEach(sent::add);
      }
      delivery.next();
    });

    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(memory), Clock.systemUTC()))
        .compose(id -> vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT)))
        .compose(id -> vertx.deployVerticle(TenantDirectory.stored(machine()::apply, Clock.systemUTC(), List.of(),
            PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), EngineMetrics.unscraped().tenants())
            .restorePage(PAGE))));

    StoredTenant stored = await(Eventually.until(vertx, () -> memory.load(Instant.now()),
        now -> now.get(0).snapshot().getJsonArray("history").size() == 4)).get(0);
    JsonArray entries = stored.snapshot().getJsonArray("history");
    assertThat(entries.getJsonObject(3).getString("cause")).isEqualTo(TenantRestore.REASON);
    assertThat(entries.getJsonObject(0)).isEqualTo(history.get(0).toJson());
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).history().whole()).isFalse();
    assertThat(sent.get(0).history().entries()).hasSize(1);
  }

  @Test
  @DisplayName("A restart starts a page only once the worker registry has taken every announcement of the pages before: a million restored tenants never queue their commands at once")
  void pagesWaitForTheRegistry(Vertx vertx) throws Exception {
    List<String> stored = List.of("Cust48021", "Cust48022", "Cust48023", "Cust48024", "Cust48025", "Cust48026");
    List<TenantChange> rows = new ArrayList<>();
    for (String tenant : stored) {
      rows.add(TenantChange.watched(tenant, "admin"));
      rows.add(TenantChange.snapshot(tenant, SnapshotJson.toJson(waiting(tenant))));
    }
    await(memory.write(rows));
    // In the registry's place: takes the announcements, and holds each "caught up?" until the test lets it go.
    List<Command> announced = new CopyOnWriteArrayList<>();
    List<Integer> announcedAtAsk = new CopyOnWriteArrayList<>();
    List<Message<Object>> held = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().localConsumer(Addresses.WORKERS_COMMAND, m -> announced.add(Command.fromBody(m.body())))
        .completion());
    int pages = stored.size() / PAGE;
    await(vertx.eventBus().localConsumer(Addresses.WORKERS_CAUGHT_UP, m -> {
      announcedAtAsk.add(announced.size());
      if (announcedAtAsk.size() <= pages) {
        held.add(m);
      } else {
        m.reply(new JsonObject()); // after the last page: the empty one that ends the store
      }
    }).completion());

    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(memory), Clock.systemUTC())));
    Future<String> directory = vertx.deployVerticle(TenantDirectory.stored(machine()::apply, Clock.systemUTC(),
        List.of(), PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), EngineMetrics.unscraped().tenants())
        .restorePage(PAGE));
    for (int page = 1; page <= pages; page++) {
      int asked = page;
      await(Eventually.until(vertx, () -> Future.succeededFuture(held.size()), n -> n == asked));
      JsonObject count = await(vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, DirectoryMessages.count())
          .map(reply -> reply.body()));
      assertThat(count.getInteger("tenants")).as("tenants started while page %d waits", page).isEqualTo(page * PAGE);
      held.get(page - 1).reply(new JsonObject());
    }
    await(directory);
    assertThat(announcedAtAsk).as("announcements the registry had taken when each page was done")
        .startsWith(PAGE, 2 * PAGE, 3 * PAGE).allMatch(n -> n <= stored.size());
    assertThat(announced.stream().map(Command::tenant)).containsExactlyInAnyOrderElementsOf(stored);
  }

  @Test
  @DisplayName("R11: the restored tenants' own write-back waits until the last page is started, then reaches the store for every one of them")
  void restoredWrittenBackOnceRestored(Vertx vertx) throws Exception {
    List<String> stored = List.of("Cust48041", "Cust48042", "Cust48043", "Cust48044");
    List<TenantChange> rows = new ArrayList<>();
    for (String tenant : stored) {
      rows.add(TenantChange.watched(tenant, "admin"));
      rows.add(TenantChange.snapshot(tenant, SnapshotJson.toJson(waiting(tenant))));
    }
    await(memory.write(rows));
    List<String> written = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().equals(Addresses.STORE_CHANGES)
          && delivery.message().body() instanceof ChangeBatch batch) {
        batch.changes().forEach(change -> written.add(change.tenant()));
      }
      delivery.next();
    });
    // In the registry's place: holds the first page's "caught up?" until the test lets it go.
    List<Message<Object>> held = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().localConsumer(Addresses.WORKERS_COMMAND, m -> { }).completion());
    await(vertx.eventBus().localConsumer(Addresses.WORKERS_CAUGHT_UP, m -> {
      if (held.isEmpty()) {
        held.add(m);
      } else {
        m.reply(new JsonObject());
      }
    }).completion());
    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(memory), Clock.systemUTC())));
    Future<String> directory = vertx.deployVerticle(TenantDirectory.stored(machine()::apply, Clock.systemUTC(),
        List.of(), PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), EngineMetrics.unscraped().tenants())
        .restorePage(PAGE));

    await(Eventually.until(vertx, () -> Future.succeededFuture(held.size()), n -> n == 1));
    await(vertx.timer(5 * StoreFeed.SEND_AFTER.toMillis()));
    assertThat(written).as("written back while the first page's tenants are up and the restore goes on").isEmpty();
    held.get(0).reply(new JsonObject());
    await(directory);
    await(Eventually.until(vertx, () -> Future.succeededFuture(written.size()), n -> n >= stored.size()));
    assertThat(written).containsExactlyInAnyOrderElementsOf(stored);
  }

  @Test
  @DisplayName("A page of the store is let go once it is handled, not kept until the last page is: a million stored tenants' rows never sit in the heap at once")
  void handledPagesAreLetGo(Vertx vertx) throws Exception {
    List<TenantChange> rows = new ArrayList<>();
    for (int i = 0; i < 6 * PAGE; i++) {
      rows.add(TenantChange.watched("Cust4803" + (10 + i), "admin"));
    }
    await(memory.write(rows));
    await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(memory), Clock.systemUTC())));
    StoreFeed feed = new StoreFeed(vertx, true, tenant -> null);
    feed.pageSize(PAGE);
    List<WeakReference<StoredPage>> handed = new ArrayList<>();
    List<Integer> keptWhileFifth = new ArrayList<>();
    await(feed.restore(page -> {
      handed.add(new WeakReference<>(page));
      if (handed.size() == 5) {
        // The first three were handled before the fourth: nothing of the restore holds them any more.
        List<WeakReference<StoredPage>> done = handed.subList(0, 3);
        for (int i = 0; i < 20 && done.stream().anyMatch(ref -> ref.get() != null); i++) {
          System.gc();
        }
        keptWhileFifth.add((int) done.stream().filter(ref -> ref.get() != null).count());
      }
      return Future.succeededFuture();
    }));
    assertThat(handed).hasSizeGreaterThanOrEqualTo(5);
    assertThat(keptWhileFifth).as("of the first three pages, those still in the heap while the fifth is handled")
        .containsExactly(0);
  }

  /** Open, its ValidUntil and next poll an hour ahead: restored, it takes no step. */
  private static TenantSnapshot waiting(String tenant) {
    Instant now = Instant.now();
    return TenantSnapshot.initial(tenant)
        .withLastPoll(new LastPoll(TenantState.RUNNING, "Running", true, "https://sod.example/" + tenant,
            "https://sod.example/" + tenant + "/api", "10", now.plus(Duration.ofHours(1)), now))
        .withGate(new Gate(true, null)).withNextPollAt(now.plus(Duration.ofHours(1))).withSeq(5);
  }

  private static TenantMachine machine() {
    return new TenantMachine(PollSettings.defaults(), () -> 0.0);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
