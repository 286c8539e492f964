package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.retire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KnownTenantsTest {
  private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");
  private static final WorkerRegistration EVERY_TENANT = new WorkerRegistration("test.all", "all", null);

  @Test
  @DisplayName("retired tenants beyond the cap are forgotten oldest first, and a tenant watched again is no longer retired")
  void retiredTenantsAreBounded() {
    KnownTenants tenants = new KnownTenants(2);
    tenants.record(resume("Cust1", 1));
    tenants.record(retire("Cust1", 2));
    tenants.record(retire("Cust2", 5));
    tenants.record(resume("Cust2", 6));
    tenants.record(retire("Cust3", 1));
    tenants.record(retire("Cust4", 1));
    tenants.record(resume("Cust5", 1));

    assertThat(tenants.snapshotFor(EVERY_TENANT, AT)).extracting(Command::tenant, Command::type).containsExactly(
        tuple("Cust2", CommandType.RESUME), tuple("Cust3", CommandType.RETIRE), tuple("Cust4", CommandType.RETIRE),
        tuple("Cust5", CommandType.RESUME));
    assertThat(tenants.latest("Cust1")).as("the oldest retire is forgotten").isEqualTo(Fence.NONE);
    assertThat(tenants.latest("Cust3")).isEqualTo(new Fence(0, 1));
  }

  @Test
  @DisplayName("a stale command is refused and changes nothing")
  void staleRefused() {
    KnownTenants tenants = new KnownTenants(KnownTenants.DEFAULT_RETIRED_KEPT);
    tenants.record(retire("Cust1", 4));

    assertThatThrownBy(() -> tenants.record(resume("Cust1", 4))).isInstanceOf(IllegalArgumentException.class);
    assertThat(tenants.snapshotFor(EVERY_TENANT, AT)).extracting(Command::type).containsExactly(CommandType.RETIRE);
  }
}
