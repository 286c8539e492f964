package io.tenantwatch.tenant;

import io.tenantwatch.bus.LocalObjects;
import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.eventbus.EventBus;
import java.util.Objects;

/**
 * What a tenant's verticle hands the {@link TenantDirectory} after a step that changed its snapshot
 * ({@link io.tenantwatch.bus.Addresses#DIRECTORY_SNAPSHOTS}): the snapshot itself, which is immutable,
 * so the directory holds the very object the verticle holds rather than a copy of its own. Both live on
 * the same node, so it never crosses a wire: it goes local only, passed as it is ({@link LocalObjects}).
 *
 * @param snapshot the tenant's snapshot after the step
 * @param run the directory's number for the verticle's deployment: only the tenant's current run is taken
 */
record SnapshotReport(TenantSnapshot snapshot, long run) {

  SnapshotReport {
    Objects.requireNonNull(snapshot, "snapshot");
  }

  /**
   * Lets the event bus carry reports: done by every tenant's verticle as it starts (cheaply after the first),
   * since several engines, and tenants without a directory in tests, share one Vert.x.
   */
  static void registerCodec(EventBus eventBus) {
    LocalObjects.carry(eventBus, SnapshotReport.class, "tenantwatch.snapshot-report");
  }
}
