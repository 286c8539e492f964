package io.tenantwatch.store;

import io.tenantwatch.bus.LocalObjects;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.function.Supplier;

/**
 * A batch of tenant changes for the store verticle ({@code tenantwatch.store.changes}), handed over as it is
 * ({@link LocalObjects}), each change made by the store verticle as it takes it, on its own thread. The sender
 * only names what each change is made from, immutable snapshots and histories read by no one else afterwards:
 * under a stream of notifications, the JSON of every batch of snapshots (made, then copied whole by the event bus
 * and read back) was milliseconds at a time on the directory's event loop, holding up the tenants that share it.
 * The store takes JSON changes and batches too ({@link TenantChange#toJson}).
 *
 * @param changes the changes, oldest first, each made when asked for
 */
public record ChangeBatch(List<Supplier<TenantChange>> changes) {

  public ChangeBatch {
    changes = List.copyOf(changes);
  }

  /** Lets {@code bus} carry batches; cheap after the first call for a bus. */
  public static void registerOn(EventBus bus) {
    LocalObjects.carry(bus, ChangeBatch.class, "tenantwatch-change-batch");
  }
}
