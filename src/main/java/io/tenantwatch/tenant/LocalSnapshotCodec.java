package io.tenantwatch.tenant;

import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries a tenant's {@link TenantSnapshot} to the {@link TenantDirectory} as the object itself. A
 * snapshot is immutable, so the directory may keep the very instance the tenant holds: one copy per
 * tenant on the node instead of two, and no JSON written and read on every step. The directory and its
 * tenants always share a Vert.x instance, so the codec never goes over a wire.
 */
final class LocalSnapshotCodec implements MessageCodec<TenantSnapshot, TenantSnapshot> {
  static final String NAME = "tenantwatch.local-snapshot";

  /** The options a tenant sends its snapshot with. */
  static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(NAME).setLocalOnly(true);

  /**
   * Registers the codec on this Vert.x unless an engine sharing it did already. It stays registered: it
   * holds nothing, and another engine on the same Vert.x may still be using it.
   */
  static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new LocalSnapshotCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Another engine on this Vert.x registered it: the same stateless codec.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, TenantSnapshot snapshot) {
    throw new UnsupportedOperationException("a tenant snapshot is only sent within one Vert.x instance");
  }

  @Override
  public TenantSnapshot decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("a tenant snapshot is only sent within one Vert.x instance");
  }

  @Override
  public TenantSnapshot transform(TenantSnapshot snapshot) {
    return snapshot;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
