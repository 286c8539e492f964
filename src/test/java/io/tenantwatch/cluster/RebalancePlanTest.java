package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RebalancePlanTest {
  private static final String A = "127.0.0.1:5701";
  private static final String B = "127.0.0.1:5702";
  private static final String C = "127.0.0.1:5703";
  private static final String D = "127.0.0.1:5704";
  private static final int SHARDS = 128;

  @Test
  @DisplayName("A formed cold cluster takes every unowned shard at once, beyond maxShardMoves")
  void unownedShardsAreTakenAtOnce() {
    Placement preferred = Placement.of(List.of(A, B, C), SHARDS);
    RebalancePlan plan = RebalancePlan.next(Map.of(), preferred, 8);

    assertThat(plan.moves()).hasSize(SHARDS).allSatisfy(move -> {
      assertThat(move.cause()).isEqualTo(MoveCause.UNOWNED);
      assertThat(move.from()).isNull();
      assertThat(move.to()).isEqualTo(preferred.owner(move.shard()).orElseThrow());
    });
    assertThat(plan.deferred()).isZero();
    assertThat(plan.applyTo(Map.of())).isEqualTo(preferred.owners());
    assertThat(RebalancePlan.next(plan.applyTo(Map.of()), preferred, 8).isSettled()).isTrue();
  }

  @Test
  @DisplayName("The shards of a member that left fail over at once to their preferred owners; no other shard moves")
  void aLeaversShardsFailOverAtOnce() {
    SortedMap<Integer, String> owners = Placement.of(List.of(A, B, C), SHARDS).owners();
    Placement survivors = Placement.of(List.of(A, B), SHARDS);
    RebalancePlan plan = RebalancePlan.next(owners, survivors, 1);

    List<Integer> orphaned = Placement.of(List.of(A, B, C), SHARDS).shardsOf(C);
    assertThat(plan.moves()).extracting(ShardMove::shard).containsExactlyElementsOf(orphaned);
    assertThat(plan.moves()).allSatisfy(move -> {
      assertThat(move.cause()).isEqualTo(MoveCause.OWNER_LEFT);
      assertThat(move.cause().isFailover()).isTrue();
      assertThat(move.from()).isEqualTo(C);
      assertThat(move.to()).isEqualTo(survivors.owner(move.shard()).orElseThrow());
    });
    assertThat(plan.movesFrom(C)).hasSameSizeAs(orphaned);
    assertThat(plan.movesTo(A).size() + plan.movesTo(B).size()).isEqualTo(orphaned.size());
    assertThat(plan.applyTo(owners)).isEqualTo(survivors.owners());
  }

  @Test
  @DisplayName("A join moves at most maxShardMoves shards per plan, lowest first, all to the joiner, until settled")
  void aJoinMovesAtMostMaxShardMovesAtATime() {
    Map<Integer, String> owners = Placement.of(List.of(A, B, C), SHARDS).owners();
    Placement preferred = Placement.of(List.of(A, B, C, D), SHARDS);
    int toMove = preferred.shardsOf(D).size();
    assertThat(toMove).isGreaterThan(8);

    List<Integer> moved = new ArrayList<>();
    int plans = 0;
    while (true) {
      RebalancePlan plan = RebalancePlan.next(owners, preferred, 8);
      if (plan.isSettled()) {
        break;
      }
      plans++;
      assertThat(plan.moves()).hasSizeLessThanOrEqualTo(8).allSatisfy(move -> {
        assertThat(move.cause()).isEqualTo(MoveCause.REBALANCE);
        assertThat(move.cause().isFailover()).isFalse();
        assertThat(move.to()).isEqualTo(D);
        assertThat(move.from()).isIn(A, B, C);
      });
      assertThat(plan.deferred()).isEqualTo(toMove - moved.size() - plan.moves().size());
      plan.moves().forEach(move -> moved.add(move.shard()));
      owners = plan.applyTo(owners);
    }
    assertThat(moved).isSorted().containsExactlyElementsOf(preferred.shardsOf(D));
    assertThat(plans).isEqualTo((toMove + 7) / 8);
    assertThat(owners).isEqualTo(preferred.owners());
  }

  @Test
  @DisplayName("A join and a death together: every failover at once, and rebalances besides up to maxShardMoves less the unowned shards")
  void failoversAreNotCountedAgainstTheLimit() {
    Map<Integer, String> owners = new HashMap<>(Placement.of(List.of(A, B, C), SHARDS).owners());
    owners.remove(0);
    owners.remove(1);
    Placement preferred = Placement.of(List.of(A, B, D), SHARDS);
    RebalancePlan plan = RebalancePlan.next(owners, preferred, 3);

    long rebalances = plan.moves().stream().filter(move -> move.cause() == MoveCause.REBALANCE).count();
    long failovers = plan.moves().stream().filter(move -> move.cause().isFailover()).count();
    long ownedByC = owners.values().stream().filter(C::equals).count();
    assertThat(rebalances).as("3 moves at a time, 2 of them the unowned shards").isEqualTo(1);
    assertThat(failovers).isEqualTo(ownedByC + 2);
    assertThat(plan.deferred()).isPositive();
    assertThat(plan.applyTo(owners)).allSatisfy((shard, owner) -> assertThat(owner).isIn(A, B, D));
  }

  @Test
  @DisplayName("Shards handed over for a join and not yet taken count against maxShardMoves: no owner releases more meanwhile")
  void releasedShardsCountAgainstTheLimit() {
    Map<Integer, String> owners = new HashMap<>(Placement.of(List.of(A, B, C), SHARDS).owners());
    Placement preferred = Placement.of(List.of(A, B, C, D), SHARDS);
    RebalancePlan first = RebalancePlan.next(owners, preferred, 2);
    assertThat(first.moves()).hasSize(2).allMatch(move -> move.cause() == MoveCause.REBALANCE);
    // Their owners hand them over: released, not yet taken by D.
    first.moves().forEach(move -> owners.remove(move.shard()));

    RebalancePlan meanwhile = RebalancePlan.next(owners, preferred, 2);
    assertThat(meanwhile.moves()).extracting(ShardMove::cause).containsOnly(MoveCause.UNOWNED);
    assertThat(meanwhile.movesTo(D)).hasSize(2);

    RebalancePlan next = RebalancePlan.next(meanwhile.applyTo(owners), preferred, 2);
    assertThat(next.moves()).hasSize(2).allMatch(move -> move.cause() == MoveCause.REBALANCE);
  }

  @Test
  @DisplayName("A placement that owns nothing (not yet formed) plans no move")
  void aClusterNotFormedPlansNothing() {
    RebalancePlan plan = RebalancePlan.next(Map.of(), Placement.none(SHARDS), 8);
    assertThat(plan.moves()).isEmpty();
    assertThat(plan.isSettled()).isTrue();
  }

  @Test
  @DisplayName("Owners at the preferred placement are settled")
  void preferredOwnersAreSettled() {
    Placement preferred = Placement.of(List.of(A, B), SHARDS);
    assertThat(RebalancePlan.next(preferred.owners(), preferred, 1).isSettled()).isTrue();
  }

  @Test
  void refusesBadInput() {
    Placement preferred = Placement.of(List.of(A), 8);
    assertThatThrownBy(() -> RebalancePlan.next(Map.of(), preferred, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxShardMoves must be at least 1");
    assertThatThrownBy(() -> RebalancePlan.next(Map.of(8, A), preferred, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard 8 is not in [0, 8)");
    assertThatThrownBy(() -> new ShardMove(1, null, A, MoveCause.REBALANCE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShardMove(1, B, A, MoveCause.UNOWNED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Property: over random joins, deaths and releases, every plan keeps the rules and plans converge")
  void convergesOverRandomMemberChanges() {
    Random random = new Random(16);
    for (int run = 0; run < 200; run++) {
      int shards = 1 + random.nextInt(200);
      int maxMoves = 1 + random.nextInt(10);
      List<String> members = new ArrayList<>(PlacementTest.randomMembers(random, 1 + random.nextInt(4)));
      ClusterFormation formation = ClusterFormation.coldStart(1 + random.nextInt(3));
      Map<Integer, String> owners = new TreeMap<>();
      int nextPort = 7000;

      for (int step = 0; step < 30; step++) {
        switch (random.nextInt(4)) {
          case 0 -> members.add("10.200.0.1:" + nextPort++);
          case 1 -> {
            if (members.size() > 1) {
              members.remove(random.nextInt(members.size()));
            }
          }
          case 2 -> {
            // A graceful leave or a lost lease: a few shards become unowned.
            for (int i = random.nextInt(3); i > 0; i--) {
              owners.remove(random.nextInt(shards));
            }
          }
          default -> {
            // No change of members: the next plan of a join in progress.
          }
        }
        formation = formation.observe(members);
        Placement preferred = formation.placement(members, shards);
        for (int round = random.nextInt(3); round > 0; round--) {
          RebalancePlan plan = RebalancePlan.next(owners, preferred, maxMoves);
          checkRules(plan, owners, preferred, maxMoves);
          owners = new TreeMap<>(plan.applyTo(owners));
          if (!preferred.ownsNothing()) {
            // After any plan every shard is owned by a live member.
            assertThat(owners).hasSize(shards);
            assertThat(members).containsAll(owners.values());
          }
        }
      }

      formation = formation.observe(members);
      Placement preferred = formation.placement(members, shards);
      int bound = 1 + (shards + maxMoves - 1) / maxMoves;
      for (int plans = 0; ; plans++) {
        RebalancePlan plan = RebalancePlan.next(owners, preferred, maxMoves);
        if (plan.isSettled()) {
          break;
        }
        assertThat(plans).as("plans before settling, run " + run).isLessThan(bound);
        checkRules(plan, owners, preferred, maxMoves);
        owners = plan.applyTo(owners);
      }
      assertThat(owners).isEqualTo(preferred.ownsNothing() ? Map.of() : preferred.owners());
    }
  }

  private static void checkRules(RebalancePlan plan, Map<Integer, String> owners, Placement preferred,
      int maxMoves) {
    assertThat(plan.moves().stream().filter(move -> move.cause() == MoveCause.REBALANCE).count())
        .isLessThanOrEqualTo(maxMoves);
    assertThat(plan.moves()).extracting(ShardMove::shard).doesNotHaveDuplicates().isSorted();
    for (ShardMove move : plan.moves()) {
      String current = owners.get(move.shard());
      assertThat(move.from()).isEqualTo(current);
      assertThat(move.to()).isEqualTo(preferred.owner(move.shard()).orElseThrow());
      assertThat(move.to()).isNotEqualTo(current);
      MoveCause expected = current == null ? MoveCause.UNOWNED
          : preferred.members().contains(current) ? MoveCause.REBALANCE : MoveCause.OWNER_LEFT;
      assertThat(move.cause()).isEqualTo(expected);
    }
    // Every failover that the owners call for is in the plan, however many.
    Set<Integer> planned = new HashSet<>();
    plan.moves().forEach(move -> planned.add(move.shard()));
    List<Integer> missing = new ArrayList<>();
    for (int shard = 0; shard < preferred.shards() && !preferred.ownsNothing(); shard++) {
      String current = owners.get(shard);
      if ((current == null || !preferred.members().contains(current)) && !planned.contains(shard)) {
        missing.add(shard);
      }
    }
    assertThat(missing).as("failovers left out of the plan").isEmpty();
  }
}
