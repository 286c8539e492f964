package io.tenantwatch.tenant;

import io.tenantwatch.domain.History;
import io.tenantwatch.machine.TenantSnapshot;

/** A tenant as the store feed sees it, held by a test: its snapshot and the history last sent. */
final class FedTenant implements StoreFeed.Fed {
  volatile TenantSnapshot snapshot;
  volatile History sentHistory;

  @Override
  public TenantSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public History sentHistory() {
    return sentHistory;
  }

  @Override
  public void sentHistory(History history) {
    sentHistory = history;
  }
}
