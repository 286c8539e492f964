package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final String A = "127.0.0.1:5701";
  private static final String B = "127.0.0.1:5702";
  private static final String C = "127.0.0.1:5703";

  @Test
  @DisplayName("Pinned placements: three members on loopback, 8 and 128 shards")
  void pinnedPlacements() {
    assertThat(Placement.of(List.of(A, B, C), 8).owners()).containsExactlyEntriesOf(sorted(Map.of(
        0, C, 1, C, 2, C, 3, B, 4, A, 5, C, 6, C, 7, B)));
    assertThat(Placement.of(List.of(A, B, C), 128).shardCounts())
        .containsExactlyEntriesOf(sorted(Map.of(A, 45, B, 47, C, 36)));
    assertThat(Placement.of(List.of("a", "b"), 8).owners()).containsExactlyEntriesOf(sorted(Map.of(
        0, "a", 1, "a", 2, "a", 3, "a", 4, "b", 5, "b", 6, "a", 7, "a")));
  }

  /** The expected entries in key order, as the placement gives them (Map.of has no order of its own). */
  private static <K extends Comparable<K>, V> Map<K, V> sorted(Map<K, V> entries) {
    return new java.util.TreeMap<>(entries);
  }

  @Test
  @DisplayName("Each shard goes to the member of highest unsigned weight")
  void ownerHasTheHighestWeight() {
    List<String> members = List.of(A, B, C, "10.0.0.1:5701", "10.0.0.2:5701");
    Placement placement = Placement.of(members, 256);
    for (int shard = 0; shard < 256; shard++) {
      String owner = placement.owner(shard).orElseThrow();
      for (String other : members) {
        assertThat(Long.compareUnsigned(RendezvousWeight.weight(shard, owner),
            RendezvousWeight.weight(shard, other))).as("shard " + shard + ": " + owner + " vs " + other)
            .isGreaterThanOrEqualTo(0);
      }
    }
  }

  @Test
  @DisplayName("The same members in any order, with duplicates, give the same placement")
  void deterministicAndOrderIndependent() {
    List<String> members = new ArrayList<>(List.of(A, B, C, "10.1.2.3:5701", "node-7", "n\u00f6de"));
    Placement first = Placement.of(members, 128);
    Random random = new Random(16);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(members, random);
      List<String> withDuplicates = new ArrayList<>(members);
      withDuplicates.add(members.get(random.nextInt(members.size())));
      Placement again = Placement.of(i % 2 == 0 ? members : withDuplicates, 128);
      assertThat(again).isEqualTo(first);
      assertThat(again.owners()).isEqualTo(first.owners());
    }
    assertThat(first.members()).containsExactly("10.1.2.3:5701", A, B, C, "node-7", "n\u00f6de");
  }

  @Test
  @DisplayName("Balance, three members and 128 shards: the loopback trio within 20% of a fair share")
  void balanceOfTheLoopbackTrio() {
    // A fair share is 128 / 3 = 42.7.
    assertThat(Placement.of(List.of(A, B, C), 128).shardCounts().values())
        .allSatisfy(count -> assertThat(count).isBetween(34, 51));
  }

  @Test
  @DisplayName("Balance over 1,000 random three-member sets: every share within 50% of fair, spread as by chance")
  void balanceOverManyMemberSets() {
    // Rendezvous hashing gives each member a binomial share: 128 draws at 1/3, mean 42.7, sd 5.33. Within
    // 50% of fair is 4 sd; the observed sd must be that of chance, so the hash neither clumps nor favours.
    Random random = new Random(5701);
    List<Integer> counts = new ArrayList<>();
    for (int set = 0; set < 1_000; set++) {
      Placement placement = Placement.of(randomMembers(random, 3), 128);
      assertThat(placement.shardCounts()).hasSize(3);
      counts.addAll(placement.shardCounts().values());
    }
    assertThat(counts).allSatisfy(count -> assertThat(count).isBetween(22, 64));
    double mean = counts.stream().mapToInt(Integer::intValue).average().orElseThrow();
    double sd = Math.sqrt(counts.stream().mapToDouble(c -> (c - mean) * (c - mean)).sum() / counts.size());
    assertThat(sd).isBetween(4.8, 5.9);
  }

  @Test
  @DisplayName("Balance for 2 to 9 members, 1,024 shards: every share within 4.5 sd of fair, as chance gives")
  void balanceForOtherSizes() {
    // Each member's share is binomial (1,024 draws at 1/size); 4.5 sd is 14% of fair for 2 members, 40% for 9.
    Random random = new Random(5702);
    for (int size = 2; size <= 9; size++) {
      double fair = 1_024.0 / size;
      double bound = 4.5 * Math.sqrt(fair * (1 - 1.0 / size));
      for (int set = 0; set < 50; set++) {
        Placement placement = Placement.of(randomMembers(random, size), 1_024);
        assertThat(placement.shardCounts().values()).as(placement.toString())
            .allSatisfy(count -> assertThat((double) count).isBetween(fair - bound, fair + bound));
      }
    }
  }

  @Test
  @DisplayName("A member that joins takes shards only from others; every other shard keeps its owner")
  void joinMovesShardsOnlyToTheNewMember() {
    Random random = new Random(5703);
    for (int run = 0; run < 300; run++) {
      List<String> members = randomMembers(random, 1 + random.nextInt(6));
      String joiner = "192.168.0." + random.nextInt(256) + ":" + (6000 + run);
      Placement before = Placement.of(members, 128);
      List<String> after = new ArrayList<>(members);
      after.add(joiner);
      Placement placement = Placement.of(after, 128);
      for (int shard = 0; shard < 128; shard++) {
        if (!placement.owner(shard).equals(before.owner(shard))) {
          assertThat(placement.owner(shard)).as("shard " + shard).contains(joiner);
        }
      }
      assertThat(placement.shardsOf(joiner)).isNotEmpty();
    }
  }

  @Test
  @DisplayName("A member that leaves gives up only its own shards; every other shard keeps its owner")
  void leaveMovesOnlyTheLeaversShards() {
    Random random = new Random(5704);
    for (int run = 0; run < 300; run++) {
      List<String> members = randomMembers(random, 2 + random.nextInt(6));
      String leaver = members.get(random.nextInt(members.size()));
      Placement before = Placement.of(members, 128);
      List<String> after = new ArrayList<>(members);
      after.remove(leaver);
      Placement placement = Placement.of(after, 128);
      for (int shard = 0; shard < 128; shard++) {
        if (before.owner(shard).orElseThrow().equals(leaver)) {
          assertThat(placement.owner(shard)).isPresent().isNotEqualTo(before.owner(shard));
        } else {
          assertThat(placement.owner(shard)).as("shard " + shard).isEqualTo(before.owner(shard));
        }
      }
    }
  }

  @Test
  @DisplayName("Weights compare unsigned, and equal weights go to the node id that sorts first")
  void weightsAreUnsignedAndTiesGoToTheFirstNodeId() {
    assertThat(Placement.outranks(0xffff_ffff_ffff_ffffL, B, 1L, A)).as("unsigned").isTrue();
    assertThat(Placement.outranks(1L, A, 0x8000_0000_0000_0000L, B)).isFalse();
    assertThat(Placement.outranks(42L, A, 42L, B)).as("tie to the first id").isTrue();
    assertThat(Placement.outranks(42L, B, 42L, A)).isFalse();
    assertThat(Placement.outranks(42L, A, 42L, A)).as("not above itself").isFalse();
  }

  @Test
  @DisplayName("With no members, or none(), nothing is owned")
  void noMembersOwnNothing() {
    for (Placement placement : List.of(Placement.of(List.of(), 128), Placement.none(128))) {
      assertThat(placement.ownsNothing()).isTrue();
      assertThat(placement.owners()).isEmpty();
      assertThat(placement.owner(5)).isEmpty();
      assertThat(placement.members()).isEmpty();
      assertThat(placement.shards()).isEqualTo(128);
    }
  }

  @Test
  @DisplayName("shardsOf and shardCounts agree with owners")
  void shardsOfAgreesWithOwners() {
    Placement placement = Placement.of(List.of(A, B, C), 128);
    int total = 0;
    for (String member : placement.members()) {
      List<Integer> shards = placement.shardsOf(member);
      assertThat(shards).isSorted().hasSize(placement.shardCounts().get(member))
          .allSatisfy(shard -> assertThat(placement.owner(shard)).contains(member));
      total += shards.size();
    }
    assertThat(total).isEqualTo(128);
    assertThat(placement.shardsOf("10.9.9.9:5701")).isEmpty();
  }

  @Test
  void refusesBadInput() {
    assertThatThrownBy(() -> Placement.of(List.of(A), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard count must be at least 1");
    assertThatThrownBy(() -> Placement.of(Arrays.asList(A, null), 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null or blank");
    assertThatThrownBy(() -> Placement.of(List.of(A, " "), 8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null or blank");
    assertThatThrownBy(() -> Placement.of(List.of(A), 8).owner(8))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard 8 is not in [0, 8)");
    assertThatThrownBy(() -> Placement.none(8).owner(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard -1");
  }

  /** {@code size} distinct node ids like those of real members: an IPv4 address and a port. */
  static List<String> randomMembers(Random random, int size) {
    Set<String> members = new LinkedHashSet<>();
    while (members.size() < size) {
      members.add("10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + ":"
          + (5701 + random.nextInt(100)));
    }
    return new ArrayList<>(members);
  }
}
