package io.tenantwatch.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where watched tenants outlive the engine (R11). The {@link StoreVerticle} is its only user: it writes
 * behind the tenants in batches and retries a batch that failed, so an implementation needs no queue or
 * retry of its own; a batch is applied whole or not at all.
 */
public interface TenantStore {

  /**
   * Counts one more start of the engine on this store.
   *
   * @return the start epoch: 0 on the first start, one more on each start after
   */
  Future<Long> begin();

  /**
   * Every stored tenant, by context identifier, with only the notifications whose tokens live at
   * {@code now}; those that expired are forgotten.
   */
  Future<List<StoredTenant>> load(Instant now);

  /**
   * As {@link #load(Instant)}, for the tenants of {@code shards} out of {@code shardCount} only
   * ({@link io.tenantwatch.cluster.TenantShard}): what a cluster node restores when it takes shards. This
   * default loads every tenant and keeps those; a store that can select them itself does.
   */
  default Future<List<StoredTenant>> load(Instant now, Set<Integer> shards, int shardCount) {
    ShardFilter only = new ShardFilter(shards, shardCount);
    return load(now).map(all -> all.stream().filter(t -> only.keeps(t.tenant())).toList());
  }

  /**
   * Applies one change per tenant, each part in the order {@link TenantChange} gives, all or nothing, except
   * that a clustered store leaves out the changes of tenants whose shard lease their writer no longer holds
   * under the change's epoch: the outcome names those, and they are never written.
   */
  Future<WriteOutcome> write(Collection<TenantChange> changes);

  /** Succeeds when the store answers. */
  Future<Void> ping();

  /** Lets go of the store (and stops a server the store started itself). */
  Future<Void> close();
}
