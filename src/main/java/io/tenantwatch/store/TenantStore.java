package io.tenantwatch.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
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
   * The most tenants the engine asks for in one page ({@link #load(Instant, String, int)}): a round trip of
   * a few megabytes, and a few milliseconds of the directory's event loop for each page it starts.
   */
  int PAGE = 1_000;

  /**
   * Counts one more start of the engine on this store.
   *
   * @return the start epoch: 0 on the first start, one more on each start after
   */
  Future<Long> begin();

  /**
   * One page of the stored tenants, in the order of their context identifiers: at most {@code limit} of
   * them, the first after {@code after} (null: from the first), each with only the notifications whose
   * tokens live at {@code now}; those that expired are forgotten. A page shorter than {@code limit} is the
   * last. The engine reads its tenants a page at a time, so a store of a million is never read in one
   * round trip, nor held in the heap all at once.
   */
  Future<List<StoredTenant>> load(Instant now, String after, int limit);

  /**
   * As {@link #load(Instant, String, int)}, for the tenants of {@code shards} out of {@code shardCount}
   * only ({@link io.tenantwatch.cluster.TenantShard}): what a cluster node restores when it takes shards.
   * This default reads pages of every tenant and keeps those; a store that can select them itself does.
   */
  default Future<List<StoredTenant>> load(Instant now, Set<Integer> shards, int shardCount, String after,
      int limit) {
    return kept(now, new ShardFilter(shards, shardCount), after, limit, new ArrayList<>());
  }

  /**
   * Every stored tenant in one list, read a page at a time: for a store known to be small (tests, tools).
   * The engine itself reads pages ({@link #load(Instant, String, int)}).
   */
  default Future<List<StoredTenant>> load(Instant now) {
    return kept(now, ShardFilter.ALL, null, Integer.MAX_VALUE, new ArrayList<>());
  }

  /** Adds to {@code kept} the tenants {@code only} keeps, from the pages after {@code after}, up to {@code limit}. */
  private Future<List<StoredTenant>> kept(Instant now, ShardFilter only, String after, int limit,
      List<StoredTenant> kept) {
    int page = Math.min(limit, PAGE);
    return load(now, after, page).compose(read -> {
      for (StoredTenant tenant : read) {
        if (kept.size() < limit && only.keeps(tenant.tenant())) {
          kept.add(tenant);
        }
      }
      if (kept.size() >= limit || read.size() < page) {
        return Future.succeededFuture(kept);
      }
      return kept(now, only, read.get(read.size() - 1).tenant(), limit, kept);
    });
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
