package io.tenantwatch.tenant;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.SeenNotification;
import java.util.List;

/**
 * A tenant as it starts again from the store (R11).
 *
 * @param snapshot what it starts from
 * @param announcement the step that tells the workers its gate after the restart (its one command), or
 *     null when they need not be told
 * @param seen the notifications it applied whose tokens still live, so a replay stays refused
 */
record RestoredTenant(TenantSnapshot snapshot, HistoryEntry announcement, List<SeenNotification> seen) {

  RestoredTenant {
    seen = List.copyOf(seen);
  }
}
