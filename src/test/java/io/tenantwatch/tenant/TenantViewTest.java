package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.Reports;
import io.tenantwatch.machine.TenantSnapshot;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TenantViewTest {
  @Test
  @DisplayName("a hold past its end that the machine has not lifted yet is still shown: it is why the gate is closed")
  void holdShownUntilLifted() {
    Instant ended = Instant.parse("2026-11-26T21:00:00Z");
    TenantSnapshot held = TenantSnapshot.initial("Cust1").withGate(new Gate(false, ended));

    assertThat(TenantView.of(held).holdUntil()).isEqualTo(ended);
    assertThat(TenantView.of(held).toJson(false).getString("holdUntil")).isEqualTo("2026-11-26T21:00:00Z");
    assertThat(TenantView.of(held.withGate(held.gate().withHoldUntil(null))).holdUntil()).isNull();
  }

  @Test
  @DisplayName("the view shows the epoch its commands carry: 0 on a single node, the owner's lease epoch in a cluster")
  void viewShowsEpoch() {
    TenantSnapshot single = TenantSnapshot.initial("Cust1");

    assertThat(TenantView.of(single).toJson(false).getLong("epoch")).isZero();
    assertThat(TenantView.of(single.withEpoch(9)).toJson(true).getLong("epoch")).isEqualTo(9);
  }

  @Test
  @DisplayName("the view shows whether a worker's wrong-host report made the endpoint suspect")
  void viewShowsSuspectEndpoint() {
    TenantSnapshot plain = TenantSnapshot.initial("Cust1");

    assertThat(TenantView.of(plain).toJson(false).getBoolean("endpointSuspect")).isFalse();
    assertThat(TenantView.of(plain.withReports(new Reports(true, null))).toJson(true).getBoolean("endpointSuspect"))
        .isTrue();
  }
}
