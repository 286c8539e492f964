package io.tenantwatch.cluster;

/** Why a shard changes owner in a {@link RebalancePlan}. */
public enum MoveCause {
  /** Nobody owns the shard (a cold start, or an owner that released it): taken at once. */
  UNOWNED,
  /** The shard's owner is no longer a member: a failover, taken at once. */
  OWNER_LEFT,
  /** Both owners are members and the placement prefers the other (a join): at most {@code maxShardMoves} at a time. */
  REBALANCE;

  /** Whether moves of this cause are taken at once rather than counted against {@code maxShardMoves}. */
  public boolean isFailover() {
    return this != REBALANCE;
  }
}
