package io.tenantwatch.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one node does about the shards at one moment, decided from the same inputs on every node: the
 * shards' owners as the lease table shows them, the preferred placement of the current members, and the
 * shards this node holds now. It is the pure decision of the node's shard owner, which carries it out
 * with leases and tenants and decides again when anything changed.
 *
 * <ul>
 *   <li><b>take</b>: the shards the next {@link RebalancePlan} moves to this node. A take is a
 *       compare-and-set on the lease, so a shard still held by a live owner (which hands it over when it
 *       sees the same plan) or by a dead one (until its lease lapses) is simply tried again later;</li>
 *   <li><b>hand over</b>: the shards the plan moves away from this node, at most {@code maxShardMoves}
 *       across the cluster per plan (a join);</li>
 *   <li>every other held shard is kept and renewed.</li>
 * </ul>
 *
 * <p>The lease table may name this node as the owner of a shard it does not hold: a lease left by an
 * earlier run of the node (a crash and a restart within the lease). Such a shard counts as unowned, so
 * it is taken again, which gives it a new epoch; the held shards are this node's own truth over the table.
 */
public final class ShardDuties {
  private final List<Integer> take;
  private final Map<Integer, MoveCause> takeCauses;
  private final List<Integer> handOver;

  private ShardDuties(Map<Integer, MoveCause> takeCauses, List<Integer> handOver) {
    this.takeCauses = Collections.unmodifiableMap(takeCauses);
    this.take = List.copyOf(takeCauses.keySet());
    this.handOver = Collections.unmodifiableList(handOver);
  }

  /**
   * @param self this node's id
   * @param tableOwners the owner of each shard the lease table names an owner for (lapsed leases
   *     included: a lapsed lease of a live member is still its shard until someone takes it)
   * @param preferred the placement of the current members; one that owns nothing (a cluster not yet
   *     formed) gives no duty
   * @param held the shards this node holds a lease on now
   * @param maxShardMoves the most moves between two members per plan
   */
  public static ShardDuties of(String self, Map<Integer, String> tableOwners, Placement preferred, Set<Integer> held,
      int maxShardMoves) {
    SortedMap<Integer, String> owners = new TreeMap<>();
    tableOwners.forEach((shard, owner) -> {
      if (!owner.equals(self) || held.contains(shard)) {
        owners.put(shard, owner);
      }
    });
    held.forEach(shard -> owners.put(shard, self));
    RebalancePlan plan = RebalancePlan.next(owners, preferred, maxShardMoves);
    SortedMap<Integer, MoveCause> take = new TreeMap<>();
    plan.movesTo(self).forEach(move -> take.put(move.shard(), move.cause()));
    List<Integer> handOver = new ArrayList<>();
    plan.movesFrom(self).forEach(move -> handOver.add(move.shard()));
    return new ShardDuties(take, handOver);
  }

  /** The shards to take, ascending. */
  public List<Integer> take() {
    return take;
  }

  /** Why each shard to take moves here. */
  public MoveCause causeOfTake(int shard) {
    MoveCause cause = takeCauses.get(shard);
    if (cause == null) {
      throw new IllegalArgumentException("shard " + shard + " is not to be taken");
    }
    return cause;
  }

  /** The held shards to hand over, ascending. */
  public List<Integer> handOver() {
    return handOver;
  }

  /** Whether there is nothing to take or hand over. */
  public boolean isEmpty() {
    return take.isEmpty() && handOver.isEmpty();
  }

  @Override
  public String toString() {
    return "ShardDuties" + Map.of("take", take, "handOver", handOver);
  }
}
