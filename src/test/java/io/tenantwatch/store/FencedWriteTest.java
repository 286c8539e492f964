package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.NOW;
import static io.tenantwatch.store.TenantStoreContract.await;
import static io.tenantwatch.store.TenantStoreContract.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.support.ErrorLog;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant writes of cluster nodes against a real PostgreSQL shared by two "nodes": a write is in only when
 * its writer holds the tenant's shard under the change's epoch, and no stale write commits after a
 * takeover. The race of a write with a takeover is staged with a transaction held open on a connection of
 * the test's own, and each step waits until PostgreSQL shows who waits for a lock (no sleeps).
 */
class FencedWriteTest {
  private static final int SHARDS = 8;
  private static final long LEASE_MS = 60_000;
  /** Cust16 is in shard 0, Cust17 in shard 1, Cust18 in shard 2. */
  private static final String IN_0 = "Cust16";
  private static final String IN_1 = "Cust17";
  private static final String IN_2 = "Cust18";
  @TempDir
  static Path dataDir;
  private static Vertx vertx;
  private static ClusterDatabase database;
  private ClusteredStore a;
  private ClusteredStore b;
  private PgConnection look;

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    database = ClusterDatabase.start(vertx, dataDir.resolve("data"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    database.close();
    await(vertx.close());
  }

  @BeforeEach
  void twoNodes() throws Exception {
    database.fresh();
    a = database.node("a", SHARDS);
    b = database.node("b", SHARDS);
    look = await(database.connect());
  }

  @AfterEach
  void closeNodes() throws Exception {
    await(Future.all(a.close(), b.close(), look.close()));
  }

  private static long epochOf(ClusteredStore node, String nodeId, int shard) throws Exception {
    LeaseTake take = await(node.leases().take(nodeId, List.of(shard), LEASE_MS)).get(0);
    assertThat(take).isInstanceOf(LeaseTake.Taken.class);
    return take.lease().epoch();
  }

  private Map<String, Long> seqs() throws Exception {
    return await(a.tenants().load(NOW)).stream().filter(t -> t.snapshot() != null)
        .collect(Collectors.toMap(StoredTenant::tenant, t -> t.snapshot().getLong("seq")));
  }

  /** How many sessions of the test's database wait for a lock. */
  private Future<Long> lockWaiters() {
    return look.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
        + "AND wait_event_type = 'Lock'").execute().map(rows -> rows.iterator().next().getLong("n"));
  }

  private Future<Long> waiters(long n) {
    return Eventually.until(vertx, this::lockWaiters, count -> count >= n);
  }

  @Test
  @DisplayName("a stale owner's write (old epoch) is refused and the new owner's row stays; the rest of its batch is written")
  void staleWriteRefused() throws Exception {
    long a0 = epochOf(a, "a", 0);
    long a1 = epochOf(a, "a", 1);
    assertThat(await(a.tenants().write(List.of(
        TenantChange.watched(IN_0, "admin").then(TenantChange.snapshot(IN_0, snapshot(IN_0, 1))).withEpoch(a0),
        TenantChange.watched(IN_1, "admin").withEpoch(a1)))).fenced()).isEmpty();

    database.lapse(0);
    long b0 = epochOf(b, "b", 0);
    assertThat(b0).isEqualTo(a0 + 1);
    assertThat(await(b.tenants().write(List.of(TenantChange.snapshot(IN_0, snapshot(IN_0, 5)).withEpoch(b0))))
        .fenced()).isEmpty();

    WriteOutcome stale = await(a.tenants().write(List.of(
        TenantChange.snapshot(IN_0, snapshot(IN_0, 2)).withEpoch(a0),
        TenantChange.snapshot(IN_1, snapshot(IN_1, 2)).withEpoch(a1),
        TenantChange.watched(IN_2, "admin").withEpoch(1),
        TenantChange.watched("Cust25", "admin"))));
    // Cust18's shard has no lease at all; Cust25 (shard 1, which a holds) carries no epoch.
    assertThat(stale.fenced()).containsExactlyInAnyOrder(IN_0, IN_2, "Cust25");
    assertThat(seqs()).containsEntry(IN_0, 5L).containsEntry(IN_1, 2L);

    assertThat(await(a.tenants().write(List.of(TenantChange.unwatched(IN_0).withEpoch(a0)))).fenced())
        .containsExactly(IN_0);
    assertThat(await(a.tenants().load(NOW))).extracting(StoredTenant::tenant).containsExactly(IN_0, IN_1);
  }

  @Test
  @DisplayName("a write under way when another node takes its shard commits first: the takeover waits for it (FOR SHARE)")
  void writeCommitsBeforeTakeover() throws Exception {
    long a0 = epochOf(a, "a", 0);
    await(a.tenants().write(List.of(TenantChange.watched(IN_0, "admin").withEpoch(a0))));
    database.lapse(0);

    // The test holds the tenant's row, so a's write stops inside its transaction, after its fence check.
    PgConnection holder = await(database.connect());
    try {
      Transaction held = await(holder.begin());
      await(holder.preparedQuery("SELECT 1 FROM tenant WHERE tenant = $1 FOR UPDATE").execute(Tuple.of(IN_0)));
      Future<WriteOutcome> write = a.tenants().write(List.of(TenantChange.snapshot(IN_0, snapshot(IN_0, 7)).withEpoch(a0)));
      await(waiters(1));

      Future<List<LeaseTake>> takeover = b.leases().take("b", List.of(0), LEASE_MS);
      await(Future.any(takeover, waiters(2)));
      assertThat(takeover.isComplete()).as("the takeover waits for the write that checked the lease").isFalse();

      await(held.rollback());
      assertThat(await(write).fenced()).isEmpty();
      LeaseTake taken = await(takeover).get(0);
      assertThat(taken).isInstanceOf(LeaseTake.Taken.class);
      assertThat(taken.lease().epoch()).isEqualTo(a0 + 1);
      assertThat(seqs()).containsEntry(IN_0, 7L);
      assertThat(await(a.tenants().write(List.of(TenantChange.snapshot(IN_0, snapshot(IN_0, 8)).withEpoch(a0))))
          .fenced()).containsExactly(IN_0);
      assertThat(seqs()).containsEntry(IN_0, 7L);
    } finally {
      await(holder.close());
    }
  }

  @Test
  @DisplayName("a write that starts while a takeover is under way waits for it and is refused: no stale write commits after a takeover")
  void writeAfterTakeoverRefused() throws Exception {
    long a0 = epochOf(a, "a", 0);
    await(a.tenants().write(List.of(TenantChange.watched(IN_0, "admin")
        .then(TenantChange.snapshot(IN_0, snapshot(IN_0, 3))).withEpoch(a0))));
    database.lapse(0);

    // b's takeover, made in a transaction the test holds open on a connection of its own.
    PgConnection takeoverConnection = await(database.connect());
    try {
      Transaction takeover = await(takeoverConnection.begin());
      LeaseTake taken = await(new ShardLeases(takeoverConnection, SHARDS).take("b", List.of(0), LEASE_MS)).get(0);
      assertThat(taken).isInstanceOf(LeaseTake.Taken.class);

      Future<WriteOutcome> write = a.tenants().write(List.of(TenantChange.snapshot(IN_0, snapshot(IN_0, 4)).withEpoch(a0)));
      await(Future.any(write, waiters(1)));
      assertThat(write.isComplete()).as("the write waits for the takeover under way").isFalse();

      await(takeover.commit());
      assertThat(await(write).fenced()).containsExactly(IN_0);
      assertThat(seqs()).containsEntry(IN_0, 3L);
    } finally {
      await(takeoverConnection.close());
    }
  }

  @Test
  @DisplayName("loading some shards gives only their tenants, with the shard computed in SQL exactly as TenantShard does")
  void loadByShard() throws Exception {
    List<TenantChange> watch = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      long epoch = epochOf(a, "a", shard);
      for (String tenant : List.of("Cust" + shard, "Cust00" + (SHARDS + shard), "Cust" + (1_000_000 * SHARDS + shard))) {
        watch.add(TenantChange.watched(tenant, "config").withEpoch(epoch));
      }
    }
    assertThat(await(a.tenants().write(watch)).fenced()).isEmpty();

    List<StoredTenant> loaded = await(a.tenants().load(NOW, Set.of(1, 6), SHARDS, null, TenantStore.PAGE));
    assertThat(loaded).extracting(StoredTenant::tenant)
        .containsExactlyInAnyOrder("Cust1", "Cust009", "Cust8000001", "Cust6", "Cust0014", "Cust8000006");
    // The same a page of two at a time, each page selected in SQL.
    List<StoredTenant> paged = new ArrayList<>();
    List<StoredTenant> page = List.of();
    do {
      page = await(a.tenants().load(NOW, Set.of(1, 6), SHARDS,
          page.isEmpty() ? null : page.get(page.size() - 1).tenant(), 2));
      assertThat(page).hasSizeLessThanOrEqualTo(2);
      paged.addAll(page);
    } while (page.size() == 2);
    assertThat(paged).isEqualTo(loaded);
  }

  @Test
  @DisplayName("tenant_shard in SQL agrees with TenantShard on many ids, longer than a bigint and with leading zeros")
  void sqlShardAgreesWithJava() throws Exception {
    Random random = new Random(16);
    List<String> ids = new ArrayList<>(List.of("Cust0", "Cust007", "Cust12345", "Cust128",
        "Cust" + "9".repeat(40), "Cust" + "0".repeat(30) + "77", "Cust18446744073709551617"));
    for (int i = 0; i < 2_000; i++) {
      StringBuilder id = new StringBuilder("Cust");
      int digits = 1 + random.nextInt(45);
      for (int d = 0; d < digits; d++) {
        id.append((char) ('0' + random.nextInt(10)));
      }
      ids.add(id.toString());
    }
    for (int shards : List.of(1, 7, 8, 128, 1000, Integer.MAX_VALUE)) {
      List<Row> rows = new ArrayList<>();
      await(look.preparedQuery("SELECT id, tenant_shard(id, $2) AS shard FROM unnest($1::text[]) AS id")
          .execute(Tuple.of(ids.toArray(new String[0]), shards))).forEach(rows::add);
      assertThat(rows).hasSize(ids.size());
      for (Row row : rows) {
        assertThat(row.getInteger("shard")).as("%s among %d", row.getString("id"), shards)
            .isEqualTo(TenantShard.shard(row.getString("id"), shards));
      }
    }
    Row none = await(look.query("SELECT tenant_shard('Cust', 8) AS a, tenant_shard('Cust1x', 8) AS b, "
        + "tenant_shard('cust1', 8) AS c").execute()).iterator().next();
    assertThat(List.of(none.getValue("a") == null, none.getValue("b") == null, none.getValue("c") == null))
        .containsOnly(true);
  }

  @Test
  @DisplayName("the store verticle drops a fenced change with one WARN per batch and counts it, and writes the rest")
  void verticleDropsFenced() throws Exception {
    long a1 = epochOf(a, "a", 1);
    EngineMetrics metrics = EngineMetrics.unscraped();
    ErrorLog log = ErrorLog.capture();
    try {
      String id = await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(a.tenants()),
          Clock.systemUTC(), metrics)));
      JsonObject batch = new JsonObject().put("changes", new io.vertx.core.json.JsonArray()
          .add(TenantChange.watched(IN_0, "admin").withEpoch(1).toJson())
          .add(TenantChange.watched(IN_2, "admin").withEpoch(1).toJson())
          .add(TenantChange.watched(IN_1, "admin").withEpoch(a1).toJson()));
      await(vertx.eventBus().request(Addresses.STORE_CHANGES, batch));
      await(Eventually.until(vertx, () -> vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject())
          .map(m -> m.body().getInteger("pendingWrites")), pending -> pending == 0));
      await(Eventually.until(vertx, () -> Future.succeededFuture(metrics.scrape()),
          scrape -> scrape.contains("tenantwatch_store_writes_fenced_total 2.0")));

      assertThat(await(a.tenants().load(NOW))).extracting(StoredTenant::tenant).containsExactly(IN_1);
      assertThat(log.allEvents()).filteredOn(e -> e.startsWith("WARN") && e.contains("refused the changes of 2 tenant(s)"))
          .hasSize(1);
      await(vertx.undeploy(id));
    } finally {
      log.close();
    }
  }
}
