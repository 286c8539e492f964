package io.tenantwatch.metrics;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.TenantSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many tenants stand where, kept from the snapshots the {@link io.tenantwatch.tenant.TenantDirectory}
 * receives: per state, open and closed, stale, and for each state how long its longest-closed tenant has
 * been closed. The directory updates it on its own event loop; the gauges are read on a scrape from
 * another thread, hence the atomic counts. Tenant ids stay inside: no gauge carries one.
 */
public final class TenantCensus {
  private final Clock clock;
  private final AtomicLong[] byState = new AtomicLong[TenantState.values().length];
  private final AtomicLong watched = new AtomicLong();
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  /** Every closed tenant with its state and the moment its gate closed (or it was first watched). */
  private final Map<String, Closed> closed = new ConcurrentHashMap<>();

  private record Closed(TenantState state, Instant since) {
  }

  TenantCensus(Clock clock) {
    this.clock = clock;
    for (int i = 0; i < byState.length; i++) {
      byState[i] = new AtomicLong();
    }
  }

  void register(EngineMetrics.GaugeRegistrar gauges) {
    for (TenantState state : TenantState.values()) {
      gauges.gauge("tenantwatch.tenants", "Watched tenants by their last polled state (a state the engine "
          + "does not know counts as Unknown)", byState[state.ordinal()]::get, "state", state.displayName());
      gauges.gauge("tenantwatch.tenant.closed.longest.seconds", "Seconds the longest-closed tenant now in this state "
          + "has been closed (0 when none is)", () -> longestClosedSeconds(state), "state", state.displayName());
    }
    gauges.gauge("tenantwatch.tenants.open", "Watched tenants whose gate is open: workers may call them",
        open::get);
    gauges.gauge("tenantwatch.tenants.closed", "Watched tenants whose gate is closed",
        () -> watched.get() - open.get());
    gauges.gauge("tenantwatch.tenants.stale", "Tenants whose ValidUntil has passed while their polls fail",
        stale::get);
  }

  /**
   * Moves one tenant from what it was to what it is now.
   *
   * @param before its previous snapshot, null when it was not watched
   * @param after its new snapshot, null when it is no longer watched
   */
  public void update(TenantSnapshot before, TenantSnapshot after) {
    if (before != null) {
      count(before, -1);
    }
    if (after != null) {
      count(after, 1);
    }
    String tenant = after != null ? after.tenant() : before == null ? null : before.tenant();
    if (tenant == null) {
      return;
    }
    if (after == null || after.open()) {
      closed.remove(tenant);
    } else {
      // A tenant that stays closed keeps the moment it closed; only its state label follows it.
      closed.compute(tenant, (t, was) -> new Closed(after.state(), was == null ? clock.instant() : was.since()));
    }
  }

  private void count(TenantSnapshot snapshot, int sign) {
    byState[snapshot.state().ordinal()].addAndGet(sign);
    watched.addAndGet(sign);
    if (snapshot.open()) {
      open.addAndGet(sign);
    }
    if (snapshot.stale()) {
      stale.addAndGet(sign);
    }
  }

  private double longestClosedSeconds(TenantState state) {
    Instant now = clock.instant();
    Instant oldest = null;
    for (Closed tenant : closed.values()) {
      if (tenant.state() == state && (oldest == null || tenant.since().isBefore(oldest))) {
        oldest = tenant.since();
      }
    }
    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
  }
}
