package io.tenantwatch.worker;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.SymptomReport;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a gate's symptom reports to {@value Addresses#REPORT}, at most one per tenant and symptom per interval
 * (a second), so a storm of failing calls is one report (contracts.md, "Symptom reports"). Used from any thread.
 */
final class SymptomReporter {
  private static final Logger LOG = LoggerFactory.getLogger(SymptomReporter.class);
  static final long DEFAULT_INTERVAL_MS = 1000;

  private final Vertx vertx;
  private final String worker;
  private final LongSupplier nanoTime;
  private final long intervalNanos;
  /** When each tenant's symptom was last reported, in {@code nanoTime}. */
  private final Map<Sent, Long> lastSent = new ConcurrentHashMap<>();

  private record Sent(String tenant, Symptom symptom) {
  }

  /** @param nanoTime the clock, {@code System::nanoTime} but in tests */
  SymptomReporter(Vertx vertx, String worker, LongSupplier nanoTime, long intervalMs) {
    this.vertx = vertx;
    this.worker = worker;
    this.nanoTime = nanoTime;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
  }

  /**
   * Sends the report unless the same tenant's same symptom was reported less than an interval ago.
   *
   * @throws IllegalArgumentException when the tenant is not a context identifier or the status not 0 or HTTP's
   */
  void report(String tenant, Symptom symptom, int status, String api) {
    SymptomReport report = new SymptomReport(tenant, symptom, status, api, worker);
    long now = nanoTime.getAsLong();
    boolean[] due = {false};
    lastSent.compute(new Sent(tenant, symptom), (key, last) -> {
      due[0] = last == null || now - last >= intervalNanos;
      return due[0] ? now : last;
    });
    if (!due[0]) {
      return;
    }
    vertx.eventBus().request(Addresses.REPORT, report.toJson()).onFailure(failure -> LOG.debug(
        "Tenant gate '{}': the engine did not take the {} report for {}: {}", worker, symptom.wireName(), tenant,
        failure.getMessage()));
  }
}
