package io.tenantwatch.store;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Opens the store that {@code store.type} names, its schema migrated and ready for use. */
public final class TenantStores {
  private static final int POOL_SIZE = 4;

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
      connect = PgConnectOptions.fromUri(url.startsWith("postgres://") ? "postgresql://" + url.substring(11) : url);
    } catch (RuntimeException e) {
      // A ConfigException like every bad config; neither the value nor the cause, which may quote it, is kept.
      return Future.failedFuture(ConfigException.of("store.url",
          "is not a PostgreSQL URL that can be parsed (the value is not shown: it may carry a password)"));
    }
    if (password != null && !password.isEmpty()) {
      connect.setPassword(password);
    }
    return connect(vertx, connect, Future::succeededFuture);
  }

  /** A round trip waits at most {@link PostgresTenantStore#ROUND_TRIP} for a connection of the pool. */
  private static PoolOptions poolOptions() {
    return new PoolOptions().setMaxSize(POOL_SIZE)
        .setConnectionTimeout((int) PostgresTenantStore.ROUND_TRIP.toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static Future<TenantStore> connect(Vertx vertx, PgConnectOptions connect,
      java.util.function.Supplier<Future<Void>> afterClose) {
    String jdbcUrl = "jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    // The engine lock first: a second engine on this database neither migrates nor writes anything.
    return StoreLock.take(vertx, connect).compose(lock ->
        SchemaMigration.migrate(vertx, jdbcUrl, connect.getUser(), connect.getPassword())
            .<TenantStore>map(v -> {
              Pool pool = PgBuilder.pool().with(poolOptions()).connectingTo(connect)
                  .using(vertx).build();
              return new PostgresTenantStore(pool, lock, afterClose);
            })
            .recover(failure -> lock.close().transform(closed -> Future.failedFuture(failure))));
  }
}
