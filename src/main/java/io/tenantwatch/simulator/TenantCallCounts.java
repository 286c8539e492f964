package io.tenantwatch.simulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many calls the simulated tenants' own APIs have answered, per tenant and per outcome. The sibling of
 * {@link RequestCounts}, which counts the state API. Written on the simulator's event loop, read from any
 * thread.
 */
final class TenantCallCounts {
  private static final TenantCallOutcome[] OUTCOMES = TenantCallOutcome.values();

  private final LongAdder[] total = adders();
  private final Map<String, LongAdder[]> byTenant = new ConcurrentHashMap<>();

  /** Counts one call; {@code ctx} is null when the call named no valid tenant (counted in the total only). */
  void record(String ctx, TenantCallOutcome outcome) {
    total[outcome.ordinal()].increment();
    if (ctx != null) {
      byTenant.computeIfAbsent(ctx, key -> adders())[outcome.ordinal()].increment();
    }
  }

  /** The outcomes seen for every tenant together, unnamed calls included; outcomes never seen are left out. */
  Map<TenantCallOutcome, Long> total() {
    return snapshot(total);
  }

  /** The outcomes seen for calls naming this tenant; empty when there were none. */
  Map<TenantCallOutcome, Long> forTenant(String ctx) {
    LongAdder[] counts = ctx == null ? null : byTenant.get(ctx);
    return counts == null ? Map.of() : snapshot(counts);
  }

  private static Map<TenantCallOutcome, Long> snapshot(LongAdder[] counts) {
    Map<TenantCallOutcome, Long> snapshot = new EnumMap<>(TenantCallOutcome.class);
    for (TenantCallOutcome outcome : OUTCOMES) {
      long count = counts[outcome.ordinal()].sum();
      if (count > 0) {
        snapshot.put(outcome, count);
      }
    }
    return snapshot;
  }

  private static LongAdder[] adders() {
    LongAdder[] adders = new LongAdder[OUTCOMES.length];
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
