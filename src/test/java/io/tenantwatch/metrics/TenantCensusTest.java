package io.tenantwatch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.support.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tenant gauges as the directory feeds them, read from the scrape: the moment a tenant's gate closed is
 * handed back and forth with its snapshots, and each state's longest-closed gauge follows the tenants
 * closed in it.
 */
@ExtendWith(VertxExtension.class)
class TenantCensusTest {
  private static final Instant START = Instant.parse("2026-12-07T08:00:00Z");
  private final ManualClock clock = new ManualClock(START);

  private static TenantSnapshot polled(String tenant, TenantState state, boolean open) {
    return TenantSnapshot.initial(tenant).withLastPoll(new LastPoll(state, state.displayName(), open, null, null,
        null, null, START)).withOpen(open);
  }

  private static double sample(String scrape, String series) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return line.find() ? Double.parseDouble(line.group(1)) : -1;
  }

  private static double longest(EngineMetrics metrics, String state) {
    return sample(metrics.scrape(), "tenantwatch_tenant_closed_longest_seconds{state=\"" + state + "\"}");
  }

  @Test
  @DisplayName("a tenant closed since it was watched counts from then; one that stays closed keeps that moment in its new state; opening or leaving takes it out")
  void longestClosedFollowsTheTenants(Vertx vertx) {
    EngineMetrics metrics = EngineMetrics.forVertx(vertx, clock);
    TenantCensus census = metrics.tenants();
    TenantSnapshot first = TenantSnapshot.initial("Cust1");
    Instant firstClosed = census.update(null, null, first);
    clock.advanceBy(Duration.ofSeconds(10));
    TenantSnapshot second = TenantSnapshot.initial("Cust2");
    Instant secondClosed = census.update(null, null, second);
    clock.advanceBy(Duration.ofSeconds(10));
    TenantSnapshot third = TenantSnapshot.initial("Cust3");
    Instant thirdClosed = census.update(null, null, third);
    clock.advanceBy(Duration.ofSeconds(40));

    assertThat(firstClosed).isEqualTo(START);
    assertThat(longest(metrics, "Unknown")).isEqualTo(60);
    assertThat(sample(metrics.scrape(), "tenantwatch_tenants_closed")).isEqualTo(3);

    assertThat(census.update(first, firstClosed, polled("Cust1", TenantState.RUNNING, true))).isNull();
    assertThat(longest(metrics, "Unknown")).isEqualTo(50);

    TenantSnapshot suspended = polled("Cust2", TenantState.SUSPENDED, false);
    assertThat(census.update(second, secondClosed, suspended)).isEqualTo(secondClosed);
    assertThat(longest(metrics, "Suspended")).isEqualTo(50);
    assertThat(longest(metrics, "Unknown")).isEqualTo(40);

    assertThat(census.update(third, thirdClosed, null)).isNull();
    assertThat(longest(metrics, "Unknown")).isZero();
    assertThat(sample(metrics.scrape(), "tenantwatch_tenants_closed")).isEqualTo(1);
    assertThat(sample(metrics.scrape(), "tenantwatch_tenants_open")).isEqualTo(1);
    assertThat(sample(metrics.scrape(), "tenantwatch_tenants{state=\"Unknown\"}")).isZero();
  }

  @Test
  @DisplayName("tenants watched at the same moment share it: the gauge holds until the last of them leaves")
  void tenantsClosedTogether(Vertx vertx) {
    EngineMetrics metrics = EngineMetrics.forVertx(vertx, clock);
    TenantCensus census = metrics.tenants();
    TenantSnapshot first = TenantSnapshot.initial("Cust1");
    TenantSnapshot second = TenantSnapshot.initial("Cust2");
    Instant firstClosed = census.update(null, null, first);
    Instant secondClosed = census.update(null, null, second);
    clock.advanceBy(Duration.ofSeconds(30));

    census.update(first, firstClosed, null);
    assertThat(longest(metrics, "Unknown")).isEqualTo(30);
    census.update(second, secondClosed, null);
    assertThat(longest(metrics, "Unknown")).isZero();
  }
}
