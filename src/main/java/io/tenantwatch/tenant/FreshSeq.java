package io.tenantwatch.tenant;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the {@code seq} of a tenant watched afresh starts, so that a worker that remembers the tenant
 * (TenantGate does) never ignores its commands: above anything an earlier start of the engine on this
 * store may have sent ({@link TenantRestore#SEQ_PER_EPOCH} per start epoch), and above the tenant's own
 * last {@code seq} when it was unwatched since this start. One number per tenant ever unwatched.
 */
final class FreshSeq {
  private final Map<String, Long> lastOfUnwatched = new HashMap<>();
  private long floor;

  /** The engine's start epoch, from the store. */
  void startEpoch(long epoch) {
    floor = epoch * TenantRestore.SEQ_PER_EPOCH;
  }

  /** A tenant left, its last command (the retire) carrying {@code lastSeq}. */
  void unwatched(String tenant, long lastSeq) {
    lastOfUnwatched.put(tenant, lastSeq);
  }

  /** The {@code seq} the tenant starts from now that it is watched again (0 when nothing came before). */
  long startFor(String tenant) {
    Long before = lastOfUnwatched.remove(tenant);
    return Math.max(before == null ? 0 : before, floor);
  }
}
