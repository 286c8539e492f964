package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL for a test class, and a fresh database on it for each test: the database a
 * cluster's nodes share, as the "external" server of {@code store.type} {@code postgres}. A fresh database
 * per test keeps the tests apart (each has its own cluster shape and leases) without a server per test.
 * Public for the tests whose nodes run in JVMs of their own ({@code io.tenantwatch.node}).
 */
public final class ClusterDatabase implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private final Vertx vertx;
  private final EmbeddedPostgresServer server;
  private String database = EmbeddedPostgresServer.DATABASE;

  private ClusterDatabase(Vertx vertx, EmbeddedPostgresServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  public static ClusterDatabase start(Vertx vertx, Path dataDir) throws Exception {
    return new ClusterDatabase(vertx, await(EmbeddedPostgresServer.start(vertx, dataDir)));
  }

  /** Creates a new, empty database and makes it the one {@link #url} and {@link #connect} name. */
  public void fresh() throws Exception {
    String name = "cluster_" + NEXT.incrementAndGet();
    PgConnection admin = await(PgConnection.connect(vertx, options(EmbeddedPostgresServer.DATABASE)));
    try {
      await(admin.query("CREATE DATABASE " + name).execute());
    } finally {
      await(admin.close());
    }
    database = name;
  }

  /** The URL a node's {@code store.url} gives. */
  public String url() {
    return "postgresql://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + server.port() + "/" + database;
  }

  /** A node's store: its own pool, as on a node of its own. */
  ClusteredStore node(String nodeId, int shards) throws Exception {
    return await(TenantStores.clustered(vertx, url(), null, nodeId, shards));
  }

  /** A connection of the test's own to the current database, to look at or hold rows. */
  public Future<PgConnection> connect() {
    return PgConnection.connect(vertx, options(database));
  }

  /** Makes the shard's lease lapse by the database's clock, as if its lease time had passed. */
  void lapse(int shard) throws Exception {
    PgConnection conn = await(connect());
    try {
      await(conn.preparedQuery("UPDATE shard_lease SET expires_at = now() - interval '1 hour' WHERE shard = $1")
          .execute(Tuple.of(shard)));
    } finally {
      await(conn.close());
    }
  }

  private PgConnectOptions options(String name) {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(server.port()).setUser(EmbeddedPostgresServer.USER)
        .setDatabase(name);
  }

  @Override
  public void close() throws Exception {
    await(server.stop(vertx));
  }
}
