package io.tenantwatch.tenant;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;

/** A tenant as the store feed sees it, held by a test: its snapshot and the last history entry sent. */
final class FedTenant implements StoreFeed.Fed {
  volatile TenantSnapshot snapshot;
  volatile HistoryEntry sentLast;

  @Override
  public TenantSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public HistoryEntry sentLast() {
    return sentLast;
  }

  @Override
  public void sentLast(HistoryEntry entry) {
    sentLast = entry;
  }
}
