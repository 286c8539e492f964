package io.tenantwatch.store;

import io.tenantwatch.bus.LocalObjects;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * A batch of tenant changes for the store verticle ({@code tenantwatch.store.changes}), handed over as it is
 * ({@link LocalObjects}). Its changes are the sender's own {@link PendingChange}s, made by the store when it
 * writes them: the directory's feed names only what each is made from, immutable snapshots and histories that
 * no one changes afterwards. Under a stream of notifications, the JSON of every batch of snapshots (made, then
 * copied whole by the event bus and read back) was milliseconds at a time on the directory's event loop, holding
 * up the tenants that share it. The store takes JSON changes and batches too ({@link TenantChange#toJson}).
 *
 * @param changes the changes, oldest first
 */
public record ChangeBatch(List<PendingChange> changes) {

  public ChangeBatch {
    changes = List.copyOf(changes);
  }

  /** Lets {@code bus} carry batches; cheap after the first call for a bus. */
  public static void registerOn(EventBus bus) {
    LocalObjects.carry(bus, ChangeBatch.class, "tenantwatch-change-batch");
  }
}
