package io.tenantwatch.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's hold on its store's database: the PostgreSQL session-level advisory lock {@link #KEY}, taken
 * on a connection of its own before the schema is migrated and held until the store closes. A second
 * engine on the same database finds it taken and refuses to start, so two engines never poll the same
 * tenants and write over each other's rows and seq.
 *
 * <p>The lock lives as long as its session. When that connection is lost the engine logs it at ERROR and
 * stops writing: every write checks, in its own transaction, that the lock's session still holds it, and
 * fails (kept pending, retried as any store failure) while it does not. The next write or health check
 * takes the lock again on a new connection when it is free; while another engine holds it, the store stays
 * unwritable and unhealthy.
 */
final class StoreLock implements WriteFence {
  /** The advisory lock's key ({@code pg_try_advisory_lock(1953955841)}, "tw" and 1). */
  static final long KEY = 0x7477_0001L;
  /** In a write's transaction: whether the lock's session (its backend pid, $1) still holds it. */
  static final String HELD = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 "
      + "AND objid::bigint = " + KEY + " AND objsubid = 1 AND granted AND pid = $1";
  static final String IN_USE = "another engine already uses this store's database (it holds the engine lock, "
      + "PostgreSQL advisory lock " + KEY + "); one database serves one engine: several engines share a store "
      + "only in cluster mode";

  static final String HELD_BY_SINGLE_ENGINE = "an engine that is not a cluster node uses this store's database (it "
      + "holds the engine lock, PostgreSQL advisory lock " + KEY + "); a cluster's nodes share a database of their own";
  static final String A_CLUSTERS = "this store's database belongs to a cluster (its cluster_shape is set); an engine "
      + "with cluster.enabled false does not use it: start it as a node of that cluster, or give it a database of "
      + "its own";
  /** Whether the database holds a cluster's shape: answers one row when it does. */
  private static final String CLUSTER_SHAPE = "SELECT shards FROM cluster_shape";

  private static final Logger LOG = LoggerFactory.getLogger(StoreLock.class);

  private final Vertx vertx;
  private final PgConnectOptions connect;
  private PgConnection connection;
  private Future<Integer> taking;
  private boolean wasHeld;
  private boolean closed;

  private StoreLock(Vertx vertx, PgConnectOptions connect) {
    this.vertx = vertx;
    this.connect = connect;
  }

  /**
   * Runs {@code claim} (a cluster node's migration and claim of the cluster's shape) while holding the engine
   * lock shared, then lets go of it: it fails with {@link #HELD_BY_SINGLE_ENGINE} when an engine that is not a
   * cluster node holds the lock, and such an engine that starts later finds the shape claimed
   * ({@link #refuseClusterDatabase}). Several nodes share the lock at once.
   */
  static Future<Void> whileShared(Vertx vertx, PgConnectOptions connect, Supplier<Future<Void>> claim) {
    StoreLock lock = new StoreLock(vertx, connect);
    return lock.connection().compose(conn -> PostgresTenantStore.bounded(conn
            .preparedQuery("SELECT pg_try_advisory_lock_shared($1) AS taken").execute(Tuple.of(KEY)))
        .compose(result -> result.iterator().next().getBoolean("taken") ? claim.get()
            : Future.<Void>failedFuture(new IllegalStateException(HELD_BY_SINGLE_ENGINE)))
        .transform(claimed -> conn.close().transform(closed -> claimed.succeeded() ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(claimed.cause()))));
  }

  /**
   * Fails with {@link #A_CLUSTERS} when the database holds a cluster's shape: an engine that is not a cluster
   * node would run every tenant beside the cluster's nodes. Call with the lock held, after the migration.
   */
  Future<Void> refuseClusterDatabase() {
    return connection == null ? Future.failedFuture(new IllegalStateException("the engine lock is not held"))
        : PostgresTenantStore.bounded(connection.query(CLUSTER_SHAPE).execute()).compose(rows -> rows.size() == 0
            ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException(A_CLUSTERS)));
  }

  /** Takes the lock, or fails with {@link #IN_USE} when another engine holds it. */
  static Future<StoreLock> take(Vertx vertx, PgConnectOptions connect) {
    StoreLock lock = new StoreLock(vertx, connect);
    return lock.holder().map(pid -> lock);
  }

  /**
   * The backend pid of the session that holds the lock; taken again first when its connection was lost.
   */
  Future<Integer> holder() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the store is closed"));
    }
    if (connection != null) {
      return Future.succeededFuture(connection.processId());
    }
    if (taking == null) {
      Future<Integer> attempt = acquire();
      taking = attempt;
      attempt.onComplete(done -> {
        if (taking == attempt) {
          taking = null;
        }
      });
    }
    return taking;
  }

  private Future<Integer> acquire() {
    return connection().compose(conn -> PostgresTenantStore.bounded(conn
        .preparedQuery("SELECT pg_try_advisory_lock($1) AS taken").execute(Tuple.of(KEY)))
        .transform(result -> {
          if (closed || result.failed() || !result.result().iterator().next().getBoolean("taken")) {
            Throwable failure = closed ? new IllegalStateException("the store is closed")
                : result.failed() ? result.cause() : new IllegalStateException(IN_USE);
            return conn.close().transform(c -> Future.<Integer>failedFuture(failure));
          }
          boolean again = connection == null && wasHeld;
          connection = conn;
          wasHeld = true;
          conn.closeHandler(v -> lost(conn));
          if (again) {
            LOG.info("The store's engine lock is held again; writing resumes");
          }
          return Future.succeededFuture(conn.processId());
        }));
  }

  /**
   * A connection of the lock's own, opened within {@link PostgresTenantStore#ROUND_TRIP}; one that opens only
   * after that is closed at once.
   */
  private Future<PgConnection> connection() {
    Future<PgConnection> opening = PgConnection.connect(vertx, connect);
    Future<PgConnection> bounded = PostgresTenantStore.bounded(opening);
    opening.onSuccess(conn -> {
      if (bounded.failed()) {
        conn.close();
      }
    });
    return bounded;
  }

  /**
   * The lock's session is gone (its connection closed, or a write found the lock no longer held): nothing
   * is written until it is taken again.
   */
  void lost(PgConnection conn) {
    if (closed || connection != conn) {
      return;
    }
    connection = null;
    LOG.error("The store's engine lock (PostgreSQL advisory lock {}) was lost with its connection; the store "
        + "writes nothing until this engine holds it again", KEY);
    conn.close();
  }

  /** A write found that the session {@code pid} no longer holds the lock. */
  void notHeldBy(int pid) {
    if (connection != null && connection.processId() == pid) {
      lost(connection);
    }
  }

  @Override
  public Future<Void> ready() {
    return holder().mapEmpty();
  }

  /** Refuses the whole write, failing its transaction, unless the lock's session still holds the lock. */
  @Override
  public Future<Set<String>> refused(SqlConnection conn, Collection<TenantChange> changes) {
    return holder().compose(pid -> conn.preparedQuery(HELD).execute(Tuple.of(pid)).compose(rows -> {
      if (rows.size() == 1) {
        return Future.succeededFuture(Set.of());
      }
      notHeldBy(pid);
      return Future.failedFuture(new IllegalStateException("this engine no longer holds the store's engine lock; "
          + "nothing is written until it does"));
    }));
  }

  /** Lets go of the lock: its session ends. */
  @Override
  public Future<Void> close() {
    closed = true;
    PgConnection held = connection;
    connection = null;
    return held == null ? Future.succeededFuture() : held.close();
  }
}
