package io.tenantwatch.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The next moves from the shards' current owners towards the preferred {@link Placement}, with bounded
 * rebalancing (docs/cluster-shards.md):
 * <ul>
 *   <li>a shard nobody owns ({@link MoveCause#UNOWNED}) or whose owner is not a member of the placement
 *       ({@link MoveCause#OWNER_LEFT}) goes to its preferred owner at once: these are failovers, never
 *       limited;</li>
 *   <li>a shard owned by a member other than its preferred owner ({@link MoveCause#REBALANCE}, what a join
 *       causes) moves too, but only while fewer than {@code maxShardMoves} shards are moving: the unowned ones
 *       count (a shard handed over for a rebalance has no owner until its new owner takes it), so each plan
 *       adds at most {@code maxShardMoves} minus the unowned shards, the lowest shard numbers first; the rest
 *       are {@link #deferred()} to a later plan. Without that count, every owner's next round would release
 *       another batch before the joiner had taken the last;</li>
 *   <li>a placement that owns nothing (a cluster not yet formed) plans no move.</li>
 * </ul>
 * The caller carries the moves out and plans again from the owners that result (for example when the
 * round's handovers are done, or when the members change); with stable members, plans reach the preferred
 * placement after at most {@code 1 + ceil(rebalances / maxShardMoves)} of them.
 */
public final class RebalancePlan {
  private final List<ShardMove> moves;
  private final int deferred;

  private RebalancePlan(List<ShardMove> moves, int deferred) {
    this.moves = Collections.unmodifiableList(moves);
    this.deferred = deferred;
  }

  /**
   * Plans the next moves.
   *
   * @param owners the current owner of each owned shard (shards absent are unowned); owners that are not
   *     members of {@code preferred} have left
   * @param preferred the placement to move towards, computed from the current members
   * @param maxShardMoves how many moves between two members one plan may hold, at least 1
   * @throws IllegalArgumentException when {@code maxShardMoves < 1} or a shard of {@code owners} is not in
   *     {@code [0, preferred.shards())}
   */
  public static RebalancePlan next(Map<Integer, String> owners, Placement preferred, int maxShardMoves) {
    if (maxShardMoves < 1) {
      throw new IllegalArgumentException("maxShardMoves must be at least 1, was " + maxShardMoves);
    }
    owners.keySet().forEach(preferred::checkShard);
    List<ShardMove> moves = new ArrayList<>();
    if (preferred.ownsNothing()) {
      return new RebalancePlan(moves, 0);
    }
    // Shards in flight: released and not yet taken. They use up the budget of moves between members.
    int rebalances = preferred.shards() - owners.size();
    int deferred = 0;
    for (int shard = 0; shard < preferred.shards(); shard++) {
      String current = owners.get(shard);
      String target = preferred.owner(shard).orElseThrow();
      if (current == null) {
        moves.add(new ShardMove(shard, null, target, MoveCause.UNOWNED));
      } else if (!preferred.members().contains(current)) {
        moves.add(new ShardMove(shard, current, target, MoveCause.OWNER_LEFT));
      } else if (!current.equals(target)) {
        if (rebalances < maxShardMoves) {
          moves.add(new ShardMove(shard, current, target, MoveCause.REBALANCE));
          rebalances++;
        } else {
          deferred++;
        }
      }
    }
    return new RebalancePlan(moves, deferred);
  }

  /** Every move of this plan, by ascending shard. */
  public List<ShardMove> moves() {
    return moves;
  }

  /** The moves of this plan to {@code nodeId}: the shards it should take. */
  public List<ShardMove> movesTo(String nodeId) {
    return moves.stream().filter(move -> move.to().equals(nodeId)).toList();
  }

  /** The moves of this plan from {@code nodeId}: the shards it should hand over. */
  public List<ShardMove> movesFrom(String nodeId) {
    return moves.stream().filter(move -> nodeId.equals(move.from())).toList();
  }

  /** How many shards between two members still need to move after this plan's. */
  public int deferred() {
    return deferred;
  }

  /** Whether the owners already are the preferred placement: nothing to move now or later. */
  public boolean isSettled() {
    return moves.isEmpty() && deferred == 0;
  }

  /** The owners after carrying out every move of this plan on {@code owners}. */
  public SortedMap<Integer, String> applyTo(Map<Integer, String> owners) {
    SortedMap<Integer, String> result = new TreeMap<>(owners);
    for (ShardMove move : moves) {
      result.put(move.shard(), move.to());
    }
    return Collections.unmodifiableSortedMap(result);
  }

  @Override
  public String toString() {
    return "RebalancePlan" + Map.of("moves", moves, "deferred", deferred);
  }
}
