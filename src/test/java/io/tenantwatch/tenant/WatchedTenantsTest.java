package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.support.ManualClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WatchedTenantsTest {

  private static WatchedTenants tenants(Vertx vertx) {
    return new WatchedTenants(EngineMetrics.forVertx(vertx, new ManualClock(Instant.parse("2026-12-07T08:00:00Z")))
        .tenants());
  }

  private static WatchedTenant watch(WatchedTenants tenants, String tenant) {
    WatchedTenant watched = new WatchedTenant(WatchOrigin.CONFIG, TenantSnapshot.initial(tenant), 1);
    tenants.add(tenant, watched);
    return watched;
  }

  @Test
  @DisplayName("making room for more tenants, once or again and again, keeps every tenant watched and every one leaving")
  void roomKeepsTheTenants(Vertx vertx) {
    WatchedTenants tenants = tenants(vertx);
    WatchedTenant first = watch(tenants, "Cust1");
    WatchedTenant going = watch(tenants, "Cust2");
    tenants.startLeaving("Cust2");

    tenants.expect(100_000);
    List<WatchedTenant> more = IntStream.range(3, 3_000).mapToObj(i -> watch(tenants, "Cust" + i)).toList();
    for (int page = 0; page < 40; page++) {
      tenants.expect(1_000);
    }

    assertThat(tenants.count()).isEqualTo(2_998);
    assertThat(tenants.get("Cust1")).isSameAs(first);
    assertThat(tenants.get("Cust2")).isNull();
    assertThat(tenants.leaving("Cust2")).isSameAs(going);
    assertThat(tenants.get("Cust2999")).isSameAs(more.get(more.size() - 1));
    assertThat(tenants.matching(tenant -> true)).hasSize(2_998).contains("Cust1", "Cust1500");
  }
}
