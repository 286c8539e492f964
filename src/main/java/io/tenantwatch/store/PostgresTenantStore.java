package io.tenantwatch.store;

import io.tenantwatch.cluster.TenantShard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store in PostgreSQL (schema in {@code db/migration}), reached through a reactive pool. A batch is
 * one transaction of at most four statements, one per part of {@link TenantChange}, in the order the parts
 * apply: each batched row by row, but the watches, which go as one statement over arrays. A tenant's history
 * is a column of its own, handed back inside its snapshot. Every round trip is bounded by
 * {@link #ROUND_TRIP}; tenants are read a page at a time, each page a round trip of its own.
 *
 * <p>One engine writes only while it holds the store's engine lock ({@link StoreLock}). A cluster node
 * ({@link TenantStores#clustered}) shares the database with the other nodes and takes no such lock:
 * instead each write's transaction first locks the lease rows of its tenants' shards and leaves out the
 * changes whose epoch is not the current lease's, or whose shard another node holds ({@link LeaseFence});
 * the rest of the batch is written, and the write's {@link WriteOutcome} names the tenants left out.
 */
public final class PostgresTenantStore implements TenantStore {
  /**
   * The longest one round trip to PostgreSQL may take: a write's transaction, a page of a load, a check,
   * taking the engine lock, waiting for a connection of the pool. A load is a round trip a page, so the bound
   * holds however many tenants the store keeps. Past it the round trip fails as when the server is down
   * (the write is kept pending and retried), so a server that hangs, or a network that drops every packet,
   * cannot hold a write for ever. (The pg client's own transport timeouts are not applied to a
   * pool's connections in vertx-pg-client 5.0, so the bound is on each round trip's future.)
   */
  static final Duration ROUND_TRIP = Duration.ofSeconds(15);

  private static final String BEGIN = "INSERT INTO engine_start (id, epoch, started_at) VALUES (1, 0, now()) "
      + "ON CONFLICT (id) DO UPDATE SET epoch = engine_start.epoch + 1, started_at = now() RETURNING epoch";
  private static final String FORGET = "DELETE FROM tenant WHERE tenant = ANY($1::text[])";
  // Every watch of a batch in one statement over two arrays, tenants and their origins: as many statements, one
  // per watch, cost PostgreSQL several times the CPU, and a start watches tenants by the hundred thousand.
  private static final String WATCH = "INSERT INTO tenant (tenant, origin) "
      + "SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (tenant) DO NOTHING";
  // A batch's snapshots in one statement, each column an array with a row per tenant (a tenant's changes folded into
  // one), as WATCH does: a restart writes back every tenant it restores, and with a statement per row PostgreSQL's work
  // held 100,000 restored tenants back by a fifth (RestartBench). Per row: the snapshot, seq and state code when given;
  // the history unchanged (history null), replaced (whole), or appended to when it ends with the entry `after` names
  // (an empty history when that is null) and cut to its last `keep` entries; see HistoryUpdate. The JSON goes as text
  // the writer encoded itself, cast here: the client would encode JSON values on the event loop of its connection,
  // which serves other verticles.
  private static final String KEEP_SNAPSHOTS = "UPDATE tenant t SET snapshot = COALESCE(c.snapshot::jsonb, t.snapshot), "
      + "seq = COALESCE(c.seq, t.seq), state_code = COALESCE(c.state_code, t.state_code), history = CASE "
      + "WHEN c.history IS NULL THEN t.history "
      + "WHEN c.whole THEN c.history::jsonb "
      + "WHEN COALESCE(CASE WHEN c.after IS NULL THEN jsonb_array_length(t.history) = 0 "
      + "ELSE t.history -> -1 = c.after::jsonb END, false) THEN tenant_history_last(t.history || c.history::jsonb, c.keep) "
      + "ELSE t.history END, updated_at = now() "
      + "FROM unnest($1::text[], $2::text[], $3::int8[], $4::int4[], $5::text[], $6::bool[], $7::text[], $8::int4[]) "
      + "AS c(tenant, snapshot, seq, state_code, history, whole, after, keep) WHERE t.tenant = c.tenant";
  // A batch's notifications in one statement too (a webhook's every notification is one). A tenant unwatched
  // meanwhile has no row: its notification has nowhere to go, and must not fail the batch.
  private static final String REMEMBER = "INSERT INTO tenant_notification (tenant, replay_id, remember_until) "
      + "SELECT c.tenant, c.replay_id, c.remember_until FROM unnest($1::text[], $2::text[], $3::int8[]) "
      + "AS c(tenant, replay_id, remember_until) WHERE EXISTS (SELECT 1 FROM tenant t WHERE t.tenant = c.tenant) "
      + "ON CONFLICT DO NOTHING";
  private static final String FORGET_EXPIRED = "DELETE FROM tenant_notification WHERE remember_until <= $1";
  // A page of tenants after $1 in the order of their ids (keyset, on the primary key), at most $2; then the
  // live notifications of those tenants.
  private static final String TENANTS = "SELECT tenant, origin, snapshot, history FROM tenant WHERE tenant > $1 "
      + "ORDER BY tenant LIMIT $2";
  private static final String NOTIFICATIONS = "SELECT tenant, replay_id, remember_until FROM tenant_notification "
      + "WHERE tenant = ANY($1::text[]) AND remember_until > $2 ORDER BY tenant, remember_until";
  // The same for the tenants of some shards only: the shard count and the shards (V3's tenant_shard).
  private static final String OF_SHARDS = "tenant_shard(tenant, $2) = ANY($3::int[])";
  private static final String FORGET_EXPIRED_OF = FORGET_EXPIRED + " AND " + OF_SHARDS;
  private static final String TENANTS_OF = "SELECT tenant, origin, snapshot, history FROM tenant WHERE tenant > $1 "
      + "AND " + OF_SHARDS + " ORDER BY tenant LIMIT $4";
  /** Below every context identifier: where the first page starts. */
  private static final String FIRST = "";

  private final Pool pool;
  private final WriteFence fence;
  private final Supplier<Future<Void>> afterClose;

  /**
   * @param pool the pool to the migrated database
   * @param fence who may write: this engine while it holds the engine lock ({@link StoreLock}), or in a
   *     cluster this node for the shards whose leases it holds ({@link LeaseFence})
   * @param afterClose what to stop once the pool and the fence are closed (the embedded server), or nothing
   */
  PostgresTenantStore(Pool pool, WriteFence fence, Supplier<Future<Void>> afterClose) {
    this.pool = pool;
    this.fence = fence;
    this.afterClose = afterClose;
  }

  @Override
  public Future<Long> begin() {
    return bounded(pool.query(BEGIN).execute().map(rows -> rows.iterator().next().getLong("epoch")));
  }

  /** The first page (after nothing) also forgets the notifications that expired, in the same transaction. */
  @Override
  public Future<List<StoredTenant>> load(Instant now, String after, int limit) {
    long at = now.toEpochMilli();
    return bounded(pool.withTransaction(conn -> (after == null
            ? conn.preparedQuery(FORGET_EXPIRED).execute(Tuple.of(at)).<Void>mapEmpty() : Future.<Void>succeededFuture())
        .compose(v -> conn.preparedQuery(TENANTS).execute(Tuple.of(after == null ? FIRST : after, limit)))
        .compose(tenants -> notificationsOf(conn, tenants, at).map(notifications -> read(tenants, notifications)))));
  }

  /**
   * By SQL on a cluster node's store of the same shard count (each tenant's shard computed exactly as
   * {@link TenantShard} computes it); otherwise as every store does.
   */
  @Override
  public Future<List<StoredTenant>> load(Instant now, Set<Integer> shards, int shardCount, String after, int limit) {
    if (!(fence instanceof LeaseFence leases) || leases.shards() != shardCount) {
      return TenantStore.super.load(now, shards, shardCount, after, limit);
    }
    long at = now.toEpochMilli();
    Integer[] wanted = shards.toArray(new Integer[0]);
    // addValue, not Tuple.of: an array passed last to Tuple.of would be spread as its varargs.
    Tuple forget = Tuple.tuple().addValue(at).addValue(shardCount).addValue(wanted);
    Tuple page = Tuple.tuple().addValue(after == null ? FIRST : after).addValue(shardCount).addValue(wanted)
        .addValue(limit);
    return bounded(pool.withTransaction(conn -> (after == null
            ? conn.preparedQuery(FORGET_EXPIRED_OF).execute(forget).<Void>mapEmpty() : Future.<Void>succeededFuture())
        .compose(v -> conn.preparedQuery(TENANTS_OF).execute(page))
        .compose(tenants -> notificationsOf(conn, tenants, at).map(notifications -> read(tenants, notifications)))));
  }

  /** The live notifications of the tenants of a page. */
  private static Future<RowSet<Row>> notificationsOf(SqlConnection conn, RowSet<Row> tenants, long now) {
    String[] ids = new String[tenants.size()];
    int i = 0;
    for (Row row : tenants) {
      ids[i++] = row.getString("tenant");
    }
    return conn.preparedQuery(NOTIFICATIONS).execute(Tuple.tuple().addValue(ids).addValue(now));
  }

  private static List<StoredTenant> read(RowSet<Row> tenants, RowSet<Row> notifications) {
    Map<String, List<SeenNotification>> seen = new HashMap<>();
    for (Row row : notifications) {
      seen.computeIfAbsent(row.getString("tenant"), t -> new ArrayList<>())
          .add(new SeenNotification(row.getString("replay_id"), Instant.ofEpochMilli(row.getLong("remember_until"))));
    }
    List<StoredTenant> list = new ArrayList<>(tenants.size());
    for (Row row : tenants) {
      String tenant = row.getString("tenant");
      JsonObject snapshot = (JsonObject) row.getJson("snapshot");
      if (snapshot != null) {
        snapshot.put("history", row.getJson("history"));
      }
      list.add(new StoredTenant(tenant, row.getString("origin"), snapshot, seen.getOrDefault(tenant, List.of())));
    }
    return list;
  }

  @Override
  public Future<WriteOutcome> write(Collection<TenantChange> changes) {
    return fence.ready().compose(ready -> bounded(pool.withTransaction(conn -> fence.refused(conn, changes)
        .compose(refused -> writeAdmitted(conn, changes, refused).map(v -> new WriteOutcome(refused))))));
  }

  /** Writes every change but those of the {@code refused} tenants, in the order {@link TenantChange} gives. */
  private static Future<Void> writeAdmitted(SqlConnection conn, Collection<TenantChange> changes, Set<String> refused) {
    List<String> forget = new ArrayList<>();
    List<String> watched = new ArrayList<>();
    List<String> origins = new ArrayList<>();
    Snapshots keep = new Snapshots(changes.size());
    List<String> rememberTenants = new ArrayList<>();
    List<String> rememberIds = new ArrayList<>();
    List<Long> rememberUntil = new ArrayList<>();
    for (TenantChange change : onePerTenant(changes, refused)) {
      if (change.reset()) {
        forget.add(change.tenant());
      }
      if (change.origin() != null) {
        watched.add(change.tenant());
        origins.add(change.origin());
      }
      JsonObject snapshot = change.snapshot();
      HistoryUpdate history = change.history();
      if (snapshot != null || history != null) {
        keep.add(change.tenant(), snapshot, history);
      }
      for (SeenNotification seen : change.seen()) {
        rememberTenants.add(change.tenant());
        rememberIds.add(seen.id());
        rememberUntil.add(seen.rememberUntil().toEpochMilli());
      }
    }
    // Each array is one parameter: Tuple.of would spread an array given alone or as its second argument.
    return ifAny(conn, FORGET, forget, () -> Tuple.tuple().addValue(forget.toArray(String[]::new)))
        .compose(v -> ifAny(conn, WATCH, watched, () -> Tuple.tuple().addValue(watched.toArray(String[]::new))
            .addValue(origins.toArray(String[]::new))))
        .compose(v -> ifAny(conn, KEEP_SNAPSHOTS, keep.tenants, keep::tuple))
        .compose(v -> ifAny(conn, REMEMBER, rememberTenants, () -> Tuple.tuple()
            .addValue(rememberTenants.toArray(String[]::new)).addValue(rememberIds.toArray(String[]::new))
            .addValue(rememberUntil.toArray(Long[]::new))));
  }

  /** Runs one of the batch's statements over its arrays, when it has rows. */
  private static Future<Void> ifAny(SqlConnection conn, String sql, List<String> rows, Supplier<Tuple> columns) {
    return rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(sql).execute(columns.get()).mapEmpty();
  }

  /**
   * The changes of the tenants not refused, a tenant's several changes folded into one in their order
   * ({@link TenantChange#then}): one statement writes every snapshot of a batch, and would keep only one of a
   * tenant's two.
   */
  private static Collection<TenantChange> onePerTenant(Collection<TenantChange> changes, Set<String> refused) {
    Map<String, TenantChange> folded = new LinkedHashMap<>();
    for (TenantChange change : changes) {
      if (!refused.contains(change.tenant())) {
        folded.merge(change.tenant(), change, TenantChange::then);
      }
    }
    return folded.values();
  }

  /** A batch's snapshot changes as {@link #KEEP_SNAPSHOTS}'s columns, a row per tenant. */
  private static final class Snapshots {
    private final List<String> tenants;
    private final List<String> snapshots;
    private final List<Long> seqs;
    private final List<Integer> stateCodes;
    private final List<String> histories;
    private final List<Boolean> wholes;
    private final List<String> afters;
    private final List<Integer> keeps;

    Snapshots(int capacity) {
      tenants = new ArrayList<>(capacity);
      snapshots = new ArrayList<>(capacity);
      seqs = new ArrayList<>(capacity);
      stateCodes = new ArrayList<>(capacity);
      histories = new ArrayList<>(capacity);
      wholes = new ArrayList<>(capacity);
      afters = new ArrayList<>(capacity);
      keeps = new ArrayList<>(capacity);
    }

    void add(String tenant, JsonObject snapshot, HistoryUpdate history) {
      tenants.add(tenant);
      snapshots.add(text(snapshot));
      seqs.add(snapshot == null ? null : snapshot.getLong("seq", 0L));
      stateCodes.add(snapshot == null ? null : snapshot.getInteger("stateCode"));
      histories.add(history == null ? null : history.entries().encode());
      wholes.add(history != null && history.whole());
      afters.add(history == null ? null : text(history.after()));
      keeps.add(history == null ? 0 : history.keep());
    }

    Tuple tuple() {
      return Tuple.tuple().addValue(tenants.toArray(String[]::new)).addValue(snapshots.toArray(String[]::new))
          .addValue(seqs.toArray(Long[]::new)).addValue(stateCodes.toArray(Integer[]::new))
          .addValue(histories.toArray(String[]::new)).addValue(wholes.toArray(Boolean[]::new))
          .addValue(afters.toArray(String[]::new)).addValue(keeps.toArray(Integer[]::new));
    }
  }

  /** The JSON as text, encoded by the writer's thread; null for none. */
  private static String text(JsonObject json) {
    return json == null ? null : json.encode();
  }

  @Override
  public Future<Void> ping() {
    return fence.ready().compose(ready -> bounded(pool.query("SELECT 1").execute())).mapEmpty();
  }

  /**
   * The round trip, failed once it takes longer than {@link #ROUND_TRIP}. A transaction given up on this
   * way never committed, or committed before a retry of it: the retry writes the same changes, or newer,
   * after it (its row locks hold the retry back until it ends).
   */
  static <T> Future<T> bounded(Future<T> roundTrip) {
    return roundTrip.timeout(ROUND_TRIP.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<Void> close() {
    return pool.close().transform(closed -> fence.close()).transform(released -> afterClose.get());
  }
}
