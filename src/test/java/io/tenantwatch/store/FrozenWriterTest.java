package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node frozen (SIGSTOP, a long pause, a cut to the database) in the middle of a tenant write keeps
 * that write's transaction open, and with it the lock on its shard's lease row. The node's write connections
 * ask PostgreSQL to end such a session after {@link TenantStores#WRITE_IDLE_LIMIT}, so the next node's take of
 * the shard goes through instead of waiting for the frozen node (ThreeNodeClusterTest saw every node lose
 * every lease behind one frozen write). The frozen node is a connection of the test's own with the same
 * options, left idle in its transaction.
 */
class FrozenWriterTest {
  private static final int SHARDS = 4;
  @TempDir
  static Path dataDir;
  private static Vertx vertx;
  private static ClusterDatabase database;
  private ClusteredStore a;
  private ClusteredStore b;
  private PgConnection frozen;

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
  }

  @AfterEach
  void closeNodes() throws Exception {
    await(a.close());
    await(b.close());
    if (frozen != null) {
      frozen.close();
    }
  }

  @Test
  @DisplayName("a write transaction left open by a frozen node is ended after the idle limit, and the next node takes the shard")
  void frozenWriteDoesNotHoldTheShard() throws Exception {
    // Node a's lease on shard 0 lapses at once: only its frozen write stands in b's way.
    assertThat(await(a.leases().take("a", List.of(0), 1))).hasOnlyElementsOfType(LeaseTake.Taken.class);
    PgConnectOptions plain = PgConnectOptions.fromUri(database.url());
    frozen = await(PgConnection.connect(vertx, TenantStores.writeOptions(plain)));
    assertThat(plain.getProperties()).as("the options it was given")
        .doesNotContainKey("idle_in_transaction_session_timeout");
    await(frozen.query("BEGIN").execute());
    await(frozen.query("SELECT shard FROM shard_lease WHERE shard = 0 FOR SHARE").execute());

    long from = System.nanoTime();
    List<LeaseTake> taken = b.leases().take("b", List.of(0), 60_000).await(10, TimeUnit.SECONDS);
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);

    assertThat(taken).singleElement().isInstanceOfSatisfying(LeaseTake.Taken.class,
        t -> assertThat(t.lease().owner()).isEqualTo("b"));
    assertThat(waitedMs).as("ms the take waited for the frozen write")
        .isLessThan(TenantStores.WRITE_IDLE_LIMIT.toMillis() + 5_000);
    assertThat(frozen.query("SELECT 1").execute().toCompletionStage().toCompletableFuture())
        .as("the frozen node's session, ended by the server").failsWithin(10, TimeUnit.SECONDS);
  }
}
