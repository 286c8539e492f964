package io.tenantwatch.store;

import java.util.List;
import java.util.Set;

/**
 * What {@link ShardLeases#renew} did: the leases extended, and the shards lost meanwhile (taken by another
 * node, released, or lapsed before the renewal reached the database). A lost shard's tenants must stop.
 *
 * @param renewed the extended leases, by ascending shard
 * @param lost the shards asked for that were not renewed
 */
public record LeaseRenewal(List<Lease> renewed, Set<Integer> lost) {

  public LeaseRenewal {
    renewed = List.copyOf(renewed);
    lost = Set.copyOf(lost);
  }
}
