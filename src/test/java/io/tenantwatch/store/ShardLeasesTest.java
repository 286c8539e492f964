package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.await;
import static io.tenantwatch.store.TenantStoreContract.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shard leases against a real PostgreSQL, each test on a fresh database shared by two "nodes" (two
 * stores with pools of their own and different node ids): compare-and-set takes, epochs that rise on every
 * change of owner, renewals and releases that act only on what the node still holds, and one shard count
 * per cluster. Lapse is made by moving a lease's expiry into the past, as the passing of its time would.
 */
class ShardLeasesTest {
  private static final int SHARDS = 8;
  private static final long LEASE_MS = 60_000;
  @TempDir
  static Path dataDir;
  private static Vertx vertx;
  private static ClusterDatabase database;
  private ClusteredStore nodeA;
  private ClusteredStore nodeB;
  private ShardLeases a;
  private ShardLeases b;

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
    nodeA = database.node("a", SHARDS);
    nodeB = database.node("b", SHARDS);
    a = nodeA.leases();
    b = nodeB.leases();
  }

  @AfterEach
  void closeNodes() throws Exception {
    await(Future.all(nodeA.close(), nodeB.close()));
  }

  private static LeaseTake only(Future<List<LeaseTake>> take) throws Exception {
    List<LeaseTake> result = await(take);
    assertThat(result).hasSize(1);
    return result.get(0);
  }

  @Test
  @DisplayName("the first take of a shard gives epoch 1; taking it again is a renewal under the same epoch; another node finds it held")
  void firstTakeAndRenewal() throws Exception {
    LeaseTake first = only(a.take("a", List.of(3), LEASE_MS));
    assertThat(first).isInstanceOf(LeaseTake.Taken.class);
    assertThat(first.lease().shard()).isEqualTo(3);
    assertThat(first.lease().owner()).isEqualTo("a");
    assertThat(first.lease().epoch()).isEqualTo(1);

    LeaseTake again = only(a.take("a", List.of(3), LEASE_MS));
    assertThat(again).isInstanceOf(LeaseTake.Taken.class);
    assertThat(again.lease().epoch()).isEqualTo(1);
    assertThat(again.lease().expiresAt()).isAfterOrEqualTo(first.lease().expiresAt());

    LeaseTake other = only(b.take("b", List.of(3), LEASE_MS));
    assertThat(other).isEqualTo(new LeaseTake.HeldByOther(again.lease()));
    assertThat(await(a.all())).containsExactly(again.lease());
  }

  @Test
  @DisplayName("a lapsed lease is taken by another node under epoch + 1, and the old owner's renewal reports it lost")
  void lapsedLeaseMoves() throws Exception {
    await(a.take("a", List.of(0, 1), LEASE_MS));
    database.lapse(1);

    List<LeaseTake> taken = await(b.take("b", List.of(0, 1), LEASE_MS));
    assertThat(taken.get(0)).isInstanceOf(LeaseTake.HeldByOther.class);
    assertThat(taken.get(0).lease().owner()).isEqualTo("a");
    assertThat(taken.get(1)).isInstanceOf(LeaseTake.Taken.class);
    assertThat(taken.get(1).lease().owner()).isEqualTo("b");
    assertThat(taken.get(1).lease().epoch()).isEqualTo(2);

    LeaseRenewal renewal = await(a.renew("a", Map.of(0, 1L, 1, 1L), LEASE_MS));
    assertThat(renewal.renewed()).extracting(Lease::shard).containsExactly(0);
    assertThat(renewal.lost()).containsExactly(1);
    assertThat(await(b.renew("b", Map.of(1, 2L), LEASE_MS)).renewed()).extracting(Lease::epoch).containsExactly(2L);
  }

  @Test
  @DisplayName("a lapsed lease is not renewed even when nobody took it, and taking it again is a change of owner (epoch + 1)")
  void lapsedLeaseOfOneNode() throws Exception {
    only(a.take("a", List.of(5), LEASE_MS));
    database.lapse(5);

    assertThat(await(a.renew("a", Map.of(5, 1L), LEASE_MS)).lost()).containsExactly(5);
    LeaseTake again = only(a.take("a", List.of(5), LEASE_MS));
    assertThat(again).isInstanceOf(LeaseTake.Taken.class);
    assertThat(again.lease().epoch()).isEqualTo(2);
  }

  @Test
  @DisplayName("a release lets another node take the shard at once, under epoch + 1; a release of what a node does not hold does nothing")
  void releaseHandsOver() throws Exception {
    only(a.take("a", List.of(2), LEASE_MS));
    assertThat(await(b.release("b", Map.of(2, 1L)))).isEmpty();
    assertThat(await(a.release("a", Map.of(2, 2L)))).isEmpty();
    assertThat(only(b.take("b", List.of(2), LEASE_MS))).isInstanceOf(LeaseTake.HeldByOther.class);

    assertThat(await(a.release("a", Map.of(2, 1L)))).containsExactly(2);
    Lease released = await(a.all()).get(0);
    assertThat(released.owner()).isNull();
    assertThat(released.epoch()).isEqualTo(1);

    LeaseTake taken = only(b.take("b", List.of(2), LEASE_MS));
    assertThat(taken).isInstanceOf(LeaseTake.Taken.class);
    assertThat(taken.lease().epoch()).isEqualTo(2);
    assertThat(await(a.renew("a", Map.of(2, 1L), LEASE_MS)).lost()).containsExactly(2);

    // The same node taking back what it released is a change of owner too.
    await(b.release("b", Map.of(2, 2L)));
    assertThat(only(b.take("b", List.of(2), LEASE_MS)).lease().epoch()).isEqualTo(3);
  }

  @Test
  @DisplayName("two nodes racing for the same shards: each shard is taken by exactly one, and the other is told who holds it")
  void raceHasOneWinnerPerShard() throws Exception {
    List<Integer> all = IntStream.range(0, SHARDS).boxed().toList();
    for (int round = 0; round < 5; round++) {
      if (round > 0) {
        await(Future.all(a.release("a", held(a)), b.release("b", held(b))));
      }
      Future<List<LeaseTake>> byA = a.take("a", all, LEASE_MS);
      Future<List<LeaseTake>> byB = b.take("b", all, LEASE_MS);
      await(Future.all(byA, byB));
      List<Lease> rows = await(a.all());
      assertThat(rows).hasSize(SHARDS);
      for (int shard = 0; shard < SHARDS; shard++) {
        LeaseTake ofA = byA.result().get(shard);
        LeaseTake ofB = byB.result().get(shard);
        assertThat(List.of(ofA, ofB)).filteredOn(LeaseTake.Taken.class::isInstance).hasSize(1);
        Lease winner = rows.get(shard);
        assertThat(winner.epoch()).isEqualTo(round + 1);
        assertThat(ofA.lease()).isEqualTo(winner);
        assertThat(ofB.lease()).isEqualTo(winner);
      }
    }
  }

  private static Map<Integer, Long> held(ShardLeases leases) throws Exception {
    return await(leases.all()).stream().collect(java.util.stream.Collectors.toMap(Lease::shard, Lease::epoch));
  }

  @Test
  @DisplayName("a node whose cluster.shards differs from the cluster's is refused, naming the key and both counts")
  void shardCountMismatch() throws Exception {
    Throwable refused = failure(TenantStores.clustered(vertx, database.url(), null, "c", 16), "a node with 16 shards");
    assertThat(refused).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) refused).key()).isEqualTo("cluster.shards");
    assertThat(refused.getMessage()).contains("cluster.shards").contains("16").contains(Integer.toString(SHARDS));
    await(database.node("d", SHARDS).close());
  }

  @Test
  @DisplayName("a take of a shard out of range, by a blank node or for no time is refused, and nothing is taken")
  void badTakesChangeNothing() throws Exception {
    assertThat(failure(a.take("a", List.of(0, SHARDS), LEASE_MS), "shard out of range").getMessage())
        .contains("shard " + SHARDS + " is not in [0, " + SHARDS + ")");
    assertThat(failure(a.take(" ", List.of(0), LEASE_MS), "a blank node")).isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(a.take("a", List.of(0), 0), "no lease time")).isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(a.renew("a", Map.of(0, 0L), LEASE_MS), "epoch 0")).isInstanceOf(IllegalArgumentException.class);
    assertThat(await(a.all())).isEmpty();
  }
}
