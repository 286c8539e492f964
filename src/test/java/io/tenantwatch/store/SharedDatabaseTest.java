package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.config.StoreOptions;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one external database ({@code store.type} {@code postgres}, issue 13): the second
 * refuses to start, and the first goes on writing; a first engine that loses its engine lock to another
 * writes nothing until it holds it again. The "external" server is an embedded one this test starts.
 */
@ExtendWith(VertxExtension.class)
class SharedDatabaseTest {

  @TempDir
  Path dir;
  private EmbeddedPostgresServer server;
  private String url;

  @BeforeEach
  void startServer(Vertx vertx) throws Exception {
    server = await(EmbeddedPostgresServer.start(vertx, dir.resolve("data")));
    url = "postgresql://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + server.port() + "/"
        + EmbeddedPostgresServer.DATABASE;
  }

  @AfterEach
  void stopServer(Vertx vertx) throws Exception {
    await(server.stop(vertx));
  }

  @Test
  @DisplayName("a second engine on the database of a running one refuses to start, naming cluster mode; once the first stopped, a new one starts")
  void secondEngineRefuses(Vertx vertx) throws Exception {
    TenantStore first = await(TenantStores.external(vertx, url, null));
    await(first.begin());

    StoreOptions options = new StoreOptions(StoreOptions.POSTGRES, dir.resolve("unused").toString(), url);
    StoreVerticle second = StoreVerticle.of(options, Clock.systemUTC(), EngineMetrics.unscraped());
    Throwable refused = TenantStoreContract.failure(vertx.deployVerticle(second), "the second engine's store");
    assertThat(refused.getMessage()).contains("another engine already uses this store's database")
        .contains("cluster mode");

    await(first.write(List.of(TenantChange.watched("Cust77001", "admin"))));
    assertThat(await(first.load(TenantStoreContract.NOW))).extracting(StoredTenant::tenant).containsExactly("Cust77001");
    await(first.close());

    TenantStore next = await(TenantStores.external(vertx, url, null));
    assertThat(await(next.load(TenantStoreContract.NOW))).extracting(StoredTenant::tenant).containsExactly("Cust77001");
    await(next.close());
  }

  @Test
  @DisplayName("a cluster node refuses a database a single engine uses, and a single engine refuses a cluster's database, even with no node running")
  void clusterAndSingleEngineNeverShare(Vertx vertx) throws Exception {
    TenantStore single = await(TenantStores.external(vertx, url, null));
    Throwable refused = TenantStoreContract.failure(TenantStores.clustered(vertx, url, null, "node-a", 16),
        "a cluster node's store");
    assertThat(refused.getMessage()).contains("an engine that is not a cluster node uses this store's database");
    await(single.close());

    ClusteredStore node = await(TenantStores.clustered(vertx, url, null, "node-a", 16));
    ClusteredStore other = await(TenantStores.clustered(vertx, url, null, "node-b", 16));
    await(other.close());
    await(node.close());

    Throwable cluster = TenantStoreContract.failure(TenantStores.external(vertx, url, null), "a single engine's store");
    assertThat(cluster.getMessage()).contains("belongs to a cluster").contains("cluster.enabled false");
  }

  @Test
  @DisplayName("an engine whose lock connection is lost takes the lock again; while another engine holds it, it writes nothing")
  void lostLockStopsWrites(Vertx vertx) throws Exception {
    TenantStore first = await(TenantStores.external(vertx, url, null));
    await(first.begin());
    await(first.write(List.of(TenantChange.watched("Cust77001", "admin"))));
    PgConnection other = await(PgConnection.connect(vertx, new PgConnectOptions().setHost("127.0.0.1")
        .setPort(server.port()).setUser(EmbeddedPostgresServer.USER).setDatabase(EmbeddedPostgresServer.DATABASE)));
    try {
      // The first engine's lock session ends; the "other engine" takes the lock as soon as it is free.
      await(other.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
          + "AND objid::bigint = $1").execute(Tuple.of(StoreLock.KEY)));
      await(Eventually.until(vertx, () -> other.preparedQuery("SELECT pg_try_advisory_lock($1) AS taken")
          .execute(Tuple.of(StoreLock.KEY)).map(rows -> rows.iterator().next().getBoolean("taken")), taken -> taken));

      Throwable refused = TenantStoreContract.failure(first.write(List.of(TenantChange.watched("Cust77002", "admin"))),
          "a write without the lock");
      assertThat(refused.getMessage()).contains("engine lock");
      TenantStoreContract.failure(first.ping(), "a ping without the lock");
      assertThat(await(other.query("SELECT tenant FROM tenant ORDER BY tenant").execute()))
          .extracting(row -> row.getString("tenant")).containsExactly("Cust77001");

      // The other engine lets go: the first takes the lock again and writes.
      await(other.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(StoreLock.KEY)));
      await(first.write(List.of(TenantChange.watched("Cust77002", "admin"))));
      await(first.ping());
      assertThat(await(first.load(TenantStoreContract.NOW))).extracting(StoredTenant::tenant)
          .containsExactly("Cust77001", "Cust77002");
    } finally {
      await(other.close());
      await(first.close());
    }
  }

}
