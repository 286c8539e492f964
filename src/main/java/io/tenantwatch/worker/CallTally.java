package io.tenantwatch.worker;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind a {@link CallCounts.Tally}; counted from any thread. */
final class CallTally {
  private final LongAdder made = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final AtomicLongArray failed = new AtomicLongArray(CallFailure.values().length);

  void countMade() {
    made.increment();
  }

  void countRefused() {
    refused.increment();
  }

  void countFailed(CallFailure kind) {
    failed.incrementAndGet(kind.ordinal());
  }

  long made() {
    return made.sum();
  }

  long refused() {
    return refused.sum();
  }

  long failed(CallFailure kind) {
    return failed.get(kind.ordinal());
  }

  CallCounts.Tally snapshot(long inFlight) {
    Map<CallFailure, Long> byKind = new EnumMap<>(CallFailure.class);
    for (CallFailure kind : CallFailure.values()) {
      byKind.put(kind, failed(kind));
    }
    return new CallCounts.Tally(made(), refused(), byKind, inFlight);
  }
}
