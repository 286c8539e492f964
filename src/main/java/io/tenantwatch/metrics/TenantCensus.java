package io.tenantwatch.metrics;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.TenantSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many tenants stand where, kept from the snapshots the {@link io.tenantwatch.tenant.TenantDirectory}
 * receives: per state, open and closed, stale, and for each state how long its longest-closed tenant has
 * been closed. The directory updates it on its own event loop, one writer; the gauges are read on a scrape
 * from another thread, hence the atomic counts and the published earliest moments. Tenant ids stay inside:
 * no gauge carries one.
 *
 * <p>The moment a tenant's gate closed is its owner's to keep ({@link #update} answers it, and is handed it
 * back with the tenant's next snapshot): the census keeps per state only how many of its closed tenants
 * closed at each moment. A map of every closed tenant cost each a map entry, on every tenant's watch (a
 * tenant starts closed), which a hundred thousand tenants watched at start paid in one go.
 */
public final class TenantCensus {
  private final Clock clock;
  private final AtomicLong[] byState = new AtomicLong[TenantState.values().length];
  private final AtomicLong watched = new AtomicLong();
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  /** Per state, when its closed tenants closed (or were first watched). */
  private final ClosedTimes[] closedByState = new ClosedTimes[TenantState.values().length];
  /** The latest moment a tenant closed at: the tenants that close within one millisecond share it. */
  private Instant latest = Instant.EPOCH;

  TenantCensus(Clock clock) {
    this.clock = clock;
    for (int i = 0; i < byState.length; i++) {
      byState[i] = new AtomicLong();
      closedByState[i] = new ClosedTimes();
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
   * @param closedSince what this method answered for {@code before}: when the tenant's gate closed, null
   *     while it was open or not watched
   * @param after its new snapshot, null when it is no longer watched
   * @return when the tenant's gate closed, as of {@code after}: {@code closedSince} for a tenant that stays
   *     closed (only its state label follows it), now for one that just closed or is first watched, null for
   *     one open or no longer watched
   */
  public Instant update(TenantSnapshot before, Instant closedSince, TenantSnapshot after) {
    if (before != null) {
      count(before, -1);
      if (closedSince != null) {
        closedByState[before.state().ordinal()].remove(closedSince);
      }
    }
    if (after == null) {
      return null;
    }
    count(after, 1);
    if (after.open()) {
      return null;
    }
    Instant since = closedSince != null ? closedSince : now();
    closedByState[after.state().ordinal()].add(since);
    return since;
  }

  /**
   * Now, to the millisecond the gauges show: a hundred thousand tenants watched at start close within a few
   * seconds, so they share a few thousand moments (and instants) rather than each keeping its own.
   */
  private Instant now() {
    long now = clock.millis();
    if (now != latest.toEpochMilli()) {
      latest = Instant.ofEpochMilli(now);
    }
    return latest;
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
    Instant oldest = closedByState[state.ordinal()].earliest;
    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
  }

  /**
   * When the closed tenants of one state closed: how many at each moment (tenants watched together share
   * one), and the earliest, published for the scrape. Changed by the census's one writer only.
   */
  private static final class ClosedTimes {
    private final TreeMap<Instant, int[]> counts = new TreeMap<>();
    private volatile Instant earliest;

    void add(Instant since) {
      counts.computeIfAbsent(since, s -> new int[1])[0]++;
      if (earliest == null || since.isBefore(earliest)) {
        earliest = since;
      }
    }

    void remove(Instant since) {
      int[] count = counts.get(since);
      if (count != null && --count[0] == 0) {
        counts.remove(since);
        if (since.equals(earliest)) {
          earliest = counts.isEmpty() ? null : counts.firstKey();
        }
      }
    }
  }
}
