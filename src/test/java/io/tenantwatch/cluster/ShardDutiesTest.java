package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ShardDutiesTest {
  private static final String A = "127.0.0.1:5701";
  private static final String B = "127.0.0.1:5702";
  private static final String C = "127.0.0.1:5703";
  private static final int SHARDS = 128;

  @Test
  @DisplayName("At a formed cold start each node takes exactly its preferred shards and hands over none")
  void coldStart() {
    Placement preferred = Placement.of(List.of(A, B, C), SHARDS);
    Set<Integer> taken = new HashSet<>();
    for (String node : List.of(A, B, C)) {
      ShardDuties duties = ShardDuties.of(node, Map.of(), preferred, Set.of(), 8);
      assertThat(duties.take()).as(node).containsExactlyElementsOf(preferred.shardsOf(node));
      assertThat(duties.handOver()).as(node).isEmpty();
      duties.take().forEach(shard -> assertThat(taken.add(shard)).as("shard %d taken once", shard).isTrue());
    }
    assertThat(taken).hasSize(SHARDS);
  }

  @Test
  @DisplayName("A cluster not yet formed gives no duty, even with shards unowned")
  void notFormed() {
    ShardDuties duties = ShardDuties.of(A, Map.of(), ClusterFormation.coldStart(2).placement(List.of(A), SHARDS),
        Set.of(), 8);
    assertThat(duties.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("When a node dies, the survivors take its shards between them, all at once, and keep their own")
  void failover() {
    Map<Integer, String> owners = new TreeMap<>(Placement.of(List.of(A, B, C), SHARDS).owners());
    Placement survivors = Placement.of(List.of(A, B), SHARDS);
    ShardDuties a = ShardDuties.of(A, owners, survivors, held(owners, A), 2);
    ShardDuties b = ShardDuties.of(B, owners, survivors, held(owners, B), 2);

    List<Integer> orphans = owners.entrySet().stream().filter(e -> e.getValue().equals(C)).map(Map.Entry::getKey)
        .toList();
    assertThat(orphans).hasSizeGreaterThan(2);
    assertThat(a.handOver()).isEmpty();
    assertThat(b.handOver()).isEmpty();
    assertThat(a.take()).doesNotContainAnyElementsOf(b.take());
    assertThat(concat(a.take(), b.take())).containsExactlyInAnyOrderElementsOf(orphans);
  }

  @Test
  @DisplayName("When a node joins, the old owners hand over at most maxShardMoves shards in all, and the joiner takes the same ones")
  void joinIsBounded() {
    Map<Integer, String> owners = new TreeMap<>(Placement.of(List.of(A, B), SHARDS).owners());
    Placement three = Placement.of(List.of(A, B, C), SHARDS);
    ShardDuties a = ShardDuties.of(A, owners, three, held(owners, A), 4);
    ShardDuties b = ShardDuties.of(B, owners, three, held(owners, B), 4);
    ShardDuties c = ShardDuties.of(C, owners, three, Set.of(), 4);

    assertThat(concat(a.handOver(), b.handOver())).hasSize(4)
        .containsExactlyInAnyOrderElementsOf(c.take());
    assertThat(a.take()).isEmpty();
    assertThat(b.take()).isEmpty();
    assertThat(c.handOver()).isEmpty();
    c.take().forEach(shard -> assertThat(three.owner(shard)).contains(C));
  }

  @Test
  @DisplayName("A lease the table gives to this node but that it does not hold (an earlier run's) is taken again")
  void leaseOfAnEarlierRunIsTakenAgain() {
    Placement alone = Placement.of(List.of(A), 4);
    Map<Integer, String> owners = Map.of(0, A, 1, A, 2, A, 3, A);

    assertThat(ShardDuties.of(A, owners, alone, Set.of(0, 1), 1).take()).containsExactly(2, 3);
    assertThat(ShardDuties.of(A, owners, alone, Set.of(0, 1, 2, 3), 1).isEmpty()).isTrue();
  }

  @Test
  @DisplayName("A shard held by a live member that the placement gives to this node is taken only when the plan moves it")
  void deferredShardsAreNotTaken() {
    Map<Integer, String> owners = new TreeMap<>(Placement.of(List.of(A, B), SHARDS).owners());
    Placement three = Placement.of(List.of(A, B, C), SHARDS);
    ShardDuties c = ShardDuties.of(C, owners, three, Set.of(), 1);

    assertThat(c.take()).hasSize(1);
    assertThat(three.shardsOf(C)).hasSizeGreaterThan(1).contains(c.take().get(0));
  }

  private static Set<Integer> held(Map<Integer, String> owners, String node) {
    Set<Integer> held = new HashSet<>();
    owners.forEach((shard, owner) -> {
      if (owner.equals(node)) {
        held.add(shard);
      }
    });
    return held;
  }

  private static List<Integer> concat(List<Integer> first, List<Integer> second) {
    List<Integer> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
