package io.tenantwatch.tenant;

import io.tenantwatch.cluster.TenantShard;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The shards whose tenants a directory runs, each with the lease epoch its node holds it at. A directory of
 * a single engine runs every tenant at epoch 0 ({@link #everything()}); a cluster node's runs only the
 * shards its leases cover, as its shard owner adds and removes them.
 */
final class HeldShards {
  private final int shards;
  private final Map<Integer, Long> epochs = new HashMap<>();
  /** Shards taken whose stored tenants are still being started. */
  private final Set<Integer> adopting = new HashSet<>();

  private HeldShards(int shards) {
    this.shards = shards;
  }

  /** A single engine's: every tenant, at epoch 0. */
  static HeldShards everything() {
    return new HeldShards(0);
  }

  /** A cluster node's, out of {@code shards}: none until its shard owner adds them. */
  static HeldShards clustered(int shards) {
    return new HeldShards(TenantShard.requireShardCount(shards));
  }

  boolean isClustered() {
    return shards > 0;
  }

  /** The cluster's shard count; 0 on a single engine. */
  int shardCount() {
    return shards;
  }

  /** Whether this node runs the tenant now. */
  boolean runs(String tenant) {
    return !isClustered() || epochs.containsKey(TenantShard.shard(tenant, shards));
  }

  /**
   * Whether requests about the tenant are this node's to answer: it runs the tenant's shard, and has started
   * the shard's stored tenants (until then a request could start afresh a tenant whose row is on its way).
   */
  boolean answersFor(String tenant) {
    return runs(tenant) && (adopting.isEmpty() || !adopting.contains(TenantShard.shard(tenant, shards)));
  }

  /** Whether the tenant belongs to one of {@code among}. */
  boolean inAny(String tenant, Set<Integer> among) {
    return isClustered() && among.contains(TenantShard.shard(tenant, shards));
  }

  /** The epoch the tenant's commands carry here: its shard's lease epoch, 0 on a single engine. */
  long epochOf(String tenant) {
    return isClustered() ? epochs.getOrDefault(TenantShard.shard(tenant, shards), 0L) : 0L;
  }

  void add(Map<Integer, Long> taken) {
    taken.forEach((shard, epoch) -> {
      if (shard < 0 || shard >= shards) {
        throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
      }
      if (epoch < 1) {
        throw new IllegalArgumentException("a lease epoch is at least 1, was " + epoch);
      }
    });
    epochs.putAll(taken);
    adopting.addAll(taken.keySet());
  }

  /** The stored tenants of these shards have started (or failed to): requests about them are answered here. */
  void adopted(Collection<Integer> shards) {
    adopting.removeAll(shards);
  }

  void remove(Collection<Integer> gone) {
    gone.forEach(epochs::remove);
    adopting.removeAll(gone);
  }
}
