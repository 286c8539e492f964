package io.tenantwatch.store;

import java.util.Set;

/**
 * What a {@link TenantStore#write} did with a batch: every change was written but those of the
 * {@link #fenced} tenants, which a clustered store refused because their writer no longer holds, under the
 * change's epoch, the lease of the tenant's shard. A fenced change is stale for good: it is dropped, never
 * retried (the shard's new owner writes the tenant from now on).
 *
 * @param fenced the tenants whose changes were refused; empty outside a cluster
 */
public record WriteOutcome(Set<String> fenced) {
  /** Every change of the batch was written. */
  public static final WriteOutcome ALL_WRITTEN = new WriteOutcome(Set.of());

  public WriteOutcome {
    fenced = Set.copyOf(fenced);
  }
}
