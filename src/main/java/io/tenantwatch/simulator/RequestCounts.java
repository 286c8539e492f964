package io.tenantwatch.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many state-API requests the simulator has seen: in all, per tenant and per second. Written on the
 * simulator's event loop, read from any thread (a test asserting "never more than N in any second").
 */
final class RequestCounts {
  /** Per-second counts older than this are dropped, so a long demo does not grow without bound. */
  static final long KEPT_SECONDS = 3_600;

  private final LongAdder total = new LongAdder();
  private final Map<String, LongAdder> byTenant = new ConcurrentHashMap<>();
  private final ConcurrentNavigableMap<Long, LongAdder> bySecond = new ConcurrentSkipListMap<>();

  /** Counts one request; {@code ctx} is null when the request named no valid tenant. */
  void record(String ctx, long epochSecond) {
    total.increment();
    if (ctx != null) {
      byTenant.computeIfAbsent(ctx, key -> new LongAdder()).increment();
    }
    LongAdder second = bySecond.get(epochSecond);
    if (second == null) {
      second = new LongAdder();
      bySecond.put(epochSecond, second);
      bySecond.headMap(epochSecond - KEPT_SECONDS).clear();
    }
    second.increment();
  }

  long total() {
    return total.sum();
  }

  long forTenant(String ctx) {
    LongAdder count = byTenant.get(ctx);
    return count == null ? 0 : count.sum();
  }

  /** A snapshot, ordered by second. */
  Map<Long, Long> perSecond() {
    Map<Long, Long> snapshot = new TreeMap<>();
    bySecond.forEach((second, count) -> snapshot.put(second, count.sum()));
    return snapshot;
  }
}
