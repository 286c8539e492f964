package io.tenantwatch.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.tenant.DirectoryMessages;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that cannot show a renewal of its leases by its own monotonic deadline stops their tenants before
 * the leases could lapse, and takes them again, at a new epoch, once the database answers. The renewals are
 * held back by a transaction of the test's own that locks every lease row: the node, its Hazelcast and its
 * database connection stay up, only the renewal does not come.
 */
class LeaseDeadlineDropTest {
  private static final long WAIT_SECONDS = TestNodes.WAIT_SECONDS;
  private static final int SHARDS = 4;

  @TempDir
  Path dir;
  private Vertx plain;
  private EmbeddedPostgresServer database;
  private TestNodes nodes;

  @BeforeEach
  void start() throws Exception {
    plain = Vertx.vertx();
    database = EmbeddedPostgresServer.start(plain, dir.resolve("pg")).await(WAIT_SECONDS, TimeUnit.SECONDS);
    nodes = new TestNodes(1);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
    database.stop(plain).await(WAIT_SECONDS, TimeUnit.SECONDS);
    plain.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("Without a renewal by its deadline a node stops its shards' tenants, and runs them again at a new epoch once it holds the leases again")
  void noRenewalStopsTheTenants() throws Exception {
    JsonObject cluster = nodes.json(0).put("shards", SHARDS).put("leaseMs", 10_000);
    Vertx vertx = nodes.vertx(ClusterOptions.fromJson(cluster));
    List<String> tenants = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tenants.add("Cust" + (52000 + i));
    }
    JsonObject config = TestEngine.config("http://127.0.0.1:9/api/state/", tenants.toArray(String[]::new))
        .put("store", new JsonObject().put("type", "postgres").put("url", "postgresql://"
            + EmbeddedPostgresServer.USER + "@127.0.0.1:" + database.port() + "/" + EmbeddedPostgresServer.DATABASE))
        .put("cluster", cluster);
    TenantWatch engine = TenantWatch.deploy(vertx, TenantWatchOptions.fromJson(config), Clock.systemUTC())
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    awaitViews(vertx, views -> views.size() == tenants.size());

    PgConnection blocker = PgConnection.connect(plain, connect()).await(WAIT_SECONDS, TimeUnit.SECONDS);
    Transaction held = blocker.begin().await(WAIT_SECONDS, TimeUnit.SECONDS);
    blocker.query("SELECT shard FROM shard_lease FOR UPDATE").execute().await(WAIT_SECONDS, TimeUnit.SECONDS);

    awaitViews(vertx, JsonArray::isEmpty);
    // A plain read is not held back by the lock: every lease is still live by the database's clock, so the
    // tenants stopped on the node's own deadline, not on learning that the leases had lapsed.
    Boolean allLive = PgConnection.connect(plain, connect())
        .compose(look -> look.query("SELECT bool_and(expires_at > now()) AS live FROM shard_lease").execute()
            .map(rows -> rows.iterator().next().getBoolean("live")).eventually(look::close))
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(allLive).as("stopped before any lease could lapse").isTrue();
    assertThat(engine.shardOwner().orElseThrow().held()).isEmpty();

    held.rollback().await(WAIT_SECONDS, TimeUnit.SECONDS);
    blocker.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    JsonArray back = awaitViews(vertx, views -> views.size() == tenants.size());
    back.forEach(view -> assertThat(((JsonObject) view).getLong("epoch")).as("a new epoch").isGreaterThan(1L));
    engine.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private PgConnectOptions connect() {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(database.port()).setUser(EmbeddedPostgresServer.USER)
        .setDatabase(EmbeddedPostgresServer.DATABASE);
  }

  private static JsonArray awaitViews(Vertx vertx, Predicate<JsonArray> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (true) {
      JsonArray views = vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, DirectoryMessages.list(null, null))
          .map(reply -> reply.body().getJsonArray("tenants")).await(WAIT_SECONDS, TimeUnit.SECONDS);
      if (done.test(views)) {
        return views;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached: " + views);
      }
      vertx.timer(200).await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
