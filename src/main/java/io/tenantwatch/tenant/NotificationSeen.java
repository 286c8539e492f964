package io.tenantwatch.tenant;

import io.tenantwatch.store.SeenNotification;
import java.util.Objects;

/**
 * What a tenant's verticle tells the {@link TenantDirectory} once it applied a notification with a replay id
 * ({@link io.tenantwatch.bus.Addresses#DIRECTORY_SNAPSHOTS}, beside its {@link SnapshotReport}s): the directory
 * keeps it for a restart of the verticle and hands it to the store with the tenant's next snapshot. It goes
 * local only, as it is ({@link io.tenantwatch.bus.LocalObjects}).
 *
 * @param tenant the tenant
 * @param run the directory's number for the verticle's deployment: only the tenant's current run is taken
 * @param seen the notification's replay id and how long it is remembered
 */
record NotificationSeen(String tenant, long run, SeenNotification seen) {
  NotificationSeen {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(seen, "seen");
  }
}
