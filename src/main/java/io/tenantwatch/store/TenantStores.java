package io.tenantwatch.store;

import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Opens the store that {@code store.type} names, its schema migrated and ready for use. */
public final class TenantStores {
  private static final int POOL_SIZE = 4;
  private static final int LEASE_POOL_SIZE = 2;
  /**
   * How long PostgreSQL lets a cluster node's tenant-write session sit idle inside a transaction before it
   * ends the session. Such a transaction locks its shards' lease rows ({@link LeaseFence}) until it commits,
   * so a node frozen (or cut off from the database) inside one would hold them until it wakes: every take
   * of those shards would wait behind it, and with the take the taker's whole shard round, renewals
   * included, until every node had lost every lease (measured: the whole cluster without a shard while one
   * node was stopped with SIGSTOP). This is below the shortest {@code cluster.failureDetectionMs}, so the
   * locks are gone before any other node may try to take the frozen node's shards. A live node's write
   * never idles this long between its statements; one that does fails and is written again.
   */
  static final Duration WRITE_IDLE_LIMIT = Duration.ofMillis(ClusterOptions.MIN_FAILURE_DETECTION_MS / 2);

  /** Above {@link #WRITE_IDLE_LIMIT}: the locks of a frozen writer's session are gone before a lease statement gives up. */
  static final Duration LEASE_LOCK_WAIT = WRITE_IDLE_LIMIT.multipliedBy(4).dividedBy(3);

  private TenantStores() {
  }

  /** Opens the store, taking the external server's password from {@value StoreOptions#PASSWORD_VARIABLE}. */
  public static Future<TenantStore> open(Vertx vertx, StoreOptions options) {
    return open(vertx, options, System::getenv);
  }

  /**
   * @param environment looks up an environment variable (tests pass their own)
   */
  public static Future<TenantStore> open(Vertx vertx, StoreOptions options, UnaryOperator<String> environment) {
    return switch (options.type()) {
      case StoreOptions.MEMORY -> Future.succeededFuture(new MemoryTenantStore());
      case StoreOptions.POSTGRES -> external(vertx, options.url(), environment.apply(StoreOptions.PASSWORD_VARIABLE));
      default -> embedded(vertx, Path.of(options.dataDir()));
    };
  }

  /** A PostgreSQL the engine starts on {@code dataDir}, stopped again when the store closes. */
  public static Future<TenantStore> embedded(Vertx vertx, Path dataDir) {
    return EmbeddedPostgresServer.start(vertx, dataDir).compose(server -> {
      PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(server.port())
          .setUser(EmbeddedPostgresServer.USER).setDatabase(EmbeddedPostgresServer.DATABASE);
      return connect(vertx, connect, () -> server.stop(vertx))
          .recover(failure -> server.stop(vertx).transform(stopped -> Future.failedFuture(failure)));
    });
  }

  /** An external PostgreSQL at {@code url}; a non-null {@code password} overrides one in the URL. */
  public static Future<TenantStore> external(Vertx vertx, String url, String password) {
    PgConnectOptions connect;
    try {
      connect = connectOptions(url, password);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return connect(vertx, connect, Future::succeededFuture);
  }

  /**
   * A cluster node's store on the PostgreSQL at {@code url} that every node of the cluster shares. It takes
   * no engine lock (several nodes use the database by design); its tenant writes are fenced by the shard
   * leases instead. The first node writes the cluster's shard count; a node with another count is refused
   * with a {@link ConfigException} on {@code cluster.shards}.
   *
   * @param nodeId this node's {@code cluster.nodeId}, the owner its leases are taken for
   * @param shards {@code cluster.shards}
   */
  public static Future<ClusteredStore> clustered(Vertx vertx, String url, String password, String nodeId, int shards) {
    PgConnectOptions connect;
    LeaseFence fence;
    try {
      connect = connectOptions(url, password);
      fence = new LeaseFence(nodeId, shards);
    } catch (ConfigException | IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // The leases get a pool of their own: a renewal must never wait for a connection behind tenant writes.
    Pool leasePool = PgBuilder.pool().with(poolOptions().setMaxSize(LEASE_POOL_SIZE))
        .connectingTo(leaseOptions(connect)).using(vertx).build();
    return StoreLock.whileShared(vertx, connect, () -> SchemaMigration.migrate(vertx, jdbcUrl(connect),
            connect.getUser(), connect.getPassword()).compose(v -> ShardLeases.claimShape(leasePool, shards)))
        .map(claimed -> new ClusteredStore(
            new PostgresTenantStore(pool(vertx, writeOptions(connect)), fence, Future::succeededFuture),
            new ShardLeases(leasePool, shards)))
        .recover(failure -> leasePool.close().transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * A cluster node's lease connections: a statement waits at most {@link #LEASE_LOCK_WAIT} for a row lock, so a
   * take of a shard whose row a stuck session holds fails and is tried again in a later round, instead of
   * holding the round (and with it the node's renewals) behind it.
   */
  static PgConnectOptions leaseOptions(PgConnectOptions connect) {
    return new PgConnectOptions(connect).addProperty("lock_timeout", Long.toString(LEASE_LOCK_WAIT.toMillis()));
  }

  /** A cluster node's tenant-write connections: {@code connect} with {@link #WRITE_IDLE_LIMIT}. */
  static PgConnectOptions writeOptions(PgConnectOptions connect) {
    return new PgConnectOptions(connect)
        .addProperty("idle_in_transaction_session_timeout", Long.toString(WRITE_IDLE_LIMIT.toMillis()));
  }

  private static PgConnectOptions connectOptions(String url, String password) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(url.startsWith("postgres://") ? "postgresql://" + url.substring(11) : url);
    } catch (RuntimeException e) {
      // A ConfigException like every bad config; neither the value nor the cause, which may quote it, is kept.
      throw ConfigException.of("store.url",
          "is not a PostgreSQL URL that can be parsed (the value is not shown: it may carry a password)");
    }
    if (password != null && !password.isEmpty()) {
      connect.setPassword(password);
    }
    return connect;
  }

  /** A round trip waits at most {@link PostgresTenantStore#ROUND_TRIP} for a connection of the pool. */
  private static PoolOptions poolOptions() {
    return new PoolOptions().setMaxSize(POOL_SIZE)
        .setConnectionTimeout((int) PostgresTenantStore.ROUND_TRIP.toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static String jdbcUrl(PgConnectOptions connect) {
    return "jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
  }

  private static Pool pool(Vertx vertx, PgConnectOptions connect) {
    return PgBuilder.pool().with(poolOptions()).connectingTo(connect).using(vertx).build();
  }

  private static Future<TenantStore> connect(Vertx vertx, PgConnectOptions connect,
      java.util.function.Supplier<Future<Void>> afterClose) {
    // The engine lock first: a second engine on this database neither migrates nor writes anything.
    return StoreLock.take(vertx, connect).compose(lock ->
        SchemaMigration.migrate(vertx, jdbcUrl(connect), connect.getUser(), connect.getPassword())
            .compose(v -> lock.refuseClusterDatabase())
            .<TenantStore>map(v -> new PostgresTenantStore(pool(vertx, connect), lock, afterClose))
            .recover(failure -> lock.close().transform(closed -> Future.failedFuture(failure))));
  }
}
