package io.tenantwatch.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The preferred owner of every shard, chosen from the current members by rendezvous hashing: shard
 * {@code s} goes to the member with the highest {@link RendezvousWeight#weight(int, String)} (compared
 * unsigned); when two members have the same weight, the one whose node id sorts first by
 * {@link String#compareTo} wins. Every node computes the same placement from the same member set, in
 * whatever order the set is given, and a change of members moves only the shards it must: a member that
 * joins takes shards only from others, and a member that leaves gives up only its own (docs/cluster-shards.md).
 *
 * <p>A placement may also own nothing ({@link #none(int)}): before the cluster has formed
 * ({@link ClusterFormation}), or with no members.
 */
public final class Placement {
  private final int shards;
  private final SortedSet<String> members;
  private final String[] owners;

  private Placement(int shards, SortedSet<String> members, String[] owners) {
    this.shards = shards;
    this.members = Collections.unmodifiableSortedSet(members);
    this.owners = owners;
  }

  /**
   * The rendezvous placement of {@code shards} shards on {@code members}.
   *
   * @param members node ids, in any order; duplicates count once; none gives a placement that owns nothing
   * @param shards the shard count, at least 1
   * @throws IllegalArgumentException when {@code shards < 1} or a node id is null or blank
   */
  public static Placement of(Collection<String> members, int shards) {
    TenantShard.requireShardCount(shards);
    SortedSet<String> sorted = new TreeSet<>();
    for (String member : members) {
      if (member == null || member.isBlank()) {
        throw new IllegalArgumentException("a member's node id must not be null or blank");
      }
      sorted.add(member);
    }
    String[] owners = new String[shards];
    if (sorted.isEmpty()) {
      return new Placement(shards, sorted, owners);
    }
    String[] ids = sorted.toArray(new String[0]);
    long[] hashes = new long[ids.length];
    for (int m = 0; m < ids.length; m++) {
      hashes[m] = RendezvousWeight.nodeHash(ids[m]);
    }
    for (int shard = 0; shard < shards; shard++) {
      int best = 0;
      long bestWeight = RendezvousWeight.weightOfHash(shard, hashes[0]);
      for (int m = 1; m < ids.length; m++) {
        long weight = RendezvousWeight.weightOfHash(shard, hashes[m]);
        if (outranks(weight, ids[m], bestWeight, ids[best])) {
          best = m;
          bestWeight = weight;
        }
      }
      owners[shard] = ids[best];
    }
    return new Placement(shards, sorted, owners);
  }

  /**
   * Whether a member of weight {@code weight} and id {@code nodeId} is preferred to one of weight
   * {@code otherWeight} and id {@code otherNodeId}: a higher weight compared unsigned, or on equal weights
   * the node id that sorts first.
   */
  static boolean outranks(long weight, String nodeId, long otherWeight, String otherNodeId) {
    int byWeight = Long.compareUnsigned(weight, otherWeight);
    return byWeight != 0 ? byWeight > 0 : nodeId.compareTo(otherNodeId) < 0;
  }

  /** A placement of {@code shards} shards that owns none of them and has no members. */
  public static Placement none(int shards) {
    TenantShard.requireShardCount(shards);
    return new Placement(shards, new TreeSet<>(), new String[shards]);
  }

  /** The shard count. */
  public int shards() {
    return shards;
  }

  /** The members the placement was computed from, sorted by node id. */
  public SortedSet<String> members() {
    return members;
  }

  /** Whether no shard has a preferred owner (no members, or a cluster not yet formed). */
  public boolean ownsNothing() {
    return members.isEmpty();
  }

  /**
   * The preferred owner of {@code shard}; empty when the placement owns nothing.
   *
   * @throws IllegalArgumentException when {@code shard} is not in {@code [0, shards)}
   */
  public Optional<String> owner(int shard) {
    return Optional.ofNullable(owners[checkShard(shard)]);
  }

  /** The shards whose preferred owner is {@code nodeId}, ascending; empty for a node that is not a member. */
  public List<Integer> shardsOf(String nodeId) {
    List<Integer> result = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      if (nodeId != null && nodeId.equals(owners[shard])) {
        result.add(shard);
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** Every owned shard and its preferred owner, by ascending shard; empty when the placement owns nothing. */
  public SortedMap<Integer, String> owners() {
    SortedMap<Integer, String> result = new TreeMap<>();
    for (int shard = 0; shard < shards; shard++) {
      if (owners[shard] != null) {
        result.put(shard, owners[shard]);
      }
    }
    return Collections.unmodifiableSortedMap(result);
  }

  /** How many shards each member is preferred for, by node id (members with none are listed with 0). */
  public SortedMap<String, Integer> shardCounts() {
    SortedMap<String, Integer> counts = new TreeMap<>();
    members.forEach(member -> counts.put(member, 0));
    for (String owner : owners) {
      if (owner != null) {
        counts.merge(owner, 1, Integer::sum);
      }
    }
    return Collections.unmodifiableSortedMap(counts);
  }

  int checkShard(int shard) {
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
    }
    return shard;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Placement that && shards == that.shards && members.equals(that.members)
        && Arrays.equals(owners, that.owners);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * shards + members.hashCode()) + Arrays.hashCode(owners);
  }

  @Override
  public String toString() {
    return "Placement" + Map.of("shards", shards, "members", members, "counts", shardCounts());
  }
}
