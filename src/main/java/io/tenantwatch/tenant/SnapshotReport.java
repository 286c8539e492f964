package io.tenantwatch.tenant;

import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * What a tenant's verticle hands the {@link TenantDirectory} after a step that changed its snapshot
 * ({@link io.tenantwatch.bus.Addresses#DIRECTORY_SNAPSHOTS}): the snapshot itself, which is immutable,
 * so the directory holds the very object the verticle holds rather than a copy of its own. Both live on
 * the same node, so it never crosses a wire: it goes local only, passed as it is by {@link #CODEC}.
 *
 * @param snapshot the tenant's snapshot after the step
 * @param run the directory's number for the verticle's deployment: only the tenant's current run is taken
 */
record SnapshotReport(TenantSnapshot snapshot, long run) {

  /** Sent with this: local only, so a clustered event bus never looks for another node's consumer. */
  static final DeliveryOptions DELIVERY = new DeliveryOptions().setLocalOnly(true);

  private static final MessageCodec<SnapshotReport, SnapshotReport> CODEC = new MessageCodec<>() {
    @Override
    public void encodeToWire(Buffer buffer, SnapshotReport report) {
      throw new UnsupportedOperationException("a snapshot report never leaves its node");
    }

    @Override
    public SnapshotReport decodeFromWire(int position, Buffer buffer) {
      throw new UnsupportedOperationException("a snapshot report never leaves its node");
    }

    @Override
    public SnapshotReport transform(SnapshotReport report) {
      return report;
    }

    @Override
    public String name() {
      return "tenantwatch.snapshot-report";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  };

  SnapshotReport {
    Objects.requireNonNull(snapshot, "snapshot");
  }

  /** The event buses that carry reports already: a default codec is registered once per bus. */
  private static final Set<EventBus> CARRYING = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /**
   * Lets the event bus carry reports: done by every tenant's verticle as it starts (cheaply after the first),
   * since several engines, and tenants without a directory in tests, share one Vert.x.
   */
  static void registerCodec(EventBus eventBus) {
    if (CARRYING.add(eventBus)) {
      eventBus.registerDefaultCodec(SnapshotReport.class, CODEC);
    }
  }
}
