package io.tenantwatch.worker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Shows a gate's call totals ({@link TenantGate#calls()}) in a Micrometer registry as
 * {@code tenantwatch_worker_calls_total{worker,outcome}}, outcome one of {@code made}, {@code refused} and
 * {@code failed-<how>} ({@link CallFailure#wireName()}: {@code failed-421}, {@code failed-503},
 * {@code failed-connection}, ...), and the calls in flight as {@code tenantwatch_worker_calls_in_flight{worker}}.
 * Tenant ids are never tags: there may be thousands.
 *
 * <pre>{@code
 * TenantCallMeters meters = TenantCallMeters.bind(registry, "invoice-sync", gate);
 * ...
 * meters.close();   // removes the meters again
 * }</pre>
 */
public final class TenantCallMeters implements AutoCloseable {
  /** The meter's name; Prometheus renders it {@code tenantwatch_worker_calls_total}. */
  public static final String NAME = "tenantwatch.worker.calls";
  /** The in-flight gauge's name; Prometheus renders it {@code tenantwatch_worker_calls_in_flight}. */
  public static final String IN_FLIGHT = "tenantwatch.worker.calls.in.flight";

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  private TenantCallMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Registers the gate's totals, read at each scrape.
   *
   * @param worker the {@code worker} tag, usually the gate's name
   */
  public static TenantCallMeters bind(MeterRegistry registry, String worker, TenantGate gate) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(gate, "gate");
    if (worker == null || worker.isBlank()) {
      throw new IllegalArgumentException("the worker tag of a gate's call meters must not be blank");
    }
    TenantCallMeters bound = new TenantCallMeters(registry);
    bound.count(worker, "made", gate, CallCounts.Tally::made);
    bound.count(worker, "refused", gate, CallCounts.Tally::refused);
    for (CallFailure kind : CallFailure.values()) {
      bound.count(worker, "failed-" + kind.wireName(), gate, tally -> tally.failed(kind));
    }
    bound.meters.add(Gauge.builder(IN_FLIGHT, gate, source -> totals(source).inFlight())
        .description("Calls a worker has made to its tenants through its TenantGate that have not ended yet")
        .tag("worker", worker)
        .register(registry));
    return bound;
  }

  /** The gate's totals, without the snapshot per tenant that {@code calls()} takes when the gate is ours. */
  private static CallCounts.Tally totals(TenantGate gate) {
    return gate instanceof EventBusTenantGate own ? own.callTotals() : gate.calls().total();
  }

  /** Micrometer holds the gate weakly: the meters read it as long as the worker keeps its gate. */
  private void count(String worker, String outcome, TenantGate gate, ToLongFunction<CallCounts.Tally> count) {
    meters.add(FunctionCounter.builder(NAME, gate, source -> count.applyAsLong(totals(source)))
        .description("Calls a worker made to its tenants through its TenantGate, refused because the tenant was "
            + "closed, and failed at the tenant, by outcome")
        .tag("worker", worker)
        .tag("outcome", outcome)
        .register(registry));
  }

  /** Removes the meters from the registry. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
