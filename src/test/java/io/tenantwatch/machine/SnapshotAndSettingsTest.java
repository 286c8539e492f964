package io.tenantwatch.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The snapshot's state naming and builder, and the settings' own checks. */
class SnapshotAndSettingsTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(nullValues = "NULL", value = {
      "RUNNING, Running, Running",
      "RUNNING, 2, Running",
      "UNKNOWN, NULL, Unknown",
      "UNKNOWN, Unknown, Unknown",
      "UNKNOWN, 0, Unknown",
      "UNKNOWN, Frozen, Frozen",
      "UNKNOWN, 7, 7",
      "UNKNOWN, '  ', Unknown"})
  @DisplayName("A state is named from the table, except that a value the table does not know is shown raw")
  void stateName(TenantState state, String raw, String name) {
    assertThat(new LastPoll(state, raw, null, null, null, null, null, null).stateName()).isEqualTo(name);
  }

  @Test
  @DisplayName("A snapshot rebuilt from its groups equals the original")
  void groupsRoundTrip() {
    TenantSnapshot base = MachineFixtures.heldRunning();
    TenantSnapshot held = base.withLifecycle(base.lifecycle().withPendingCause(Cause.ADMIN).withResyncPending(true))
        .withMoveHint(new MoveHint("sod3.superoffice.com", MachineFixtures.NOW))
        .withSchedule(new PollSchedule(base.nextPollAt(), 2, "timeout: slow", true))
        .withReports(new Reports(true, MachineFixtures.NOW));

    assertThat(new TenantSnapshot(held.tenant(), held.lastPoll(), held.gate(), held.schedule(), held.moveHint(),
        held.lifecycle(), held.reports(), held.history())).isEqualTo(held);
    assertThat(held.withGate(held.gate()).withLastPoll(held.lastPoll()).withHistory(held.history())).isEqualTo(held);
  }

  @Test
  @DisplayName("Settings no schedule can be made from are refused with the setting's name")
  void badSettings() {
    assertThatThrownBy(() -> new PollSettings(Duration.ofSeconds(-1), Duration.ofHours(1), Duration.ofSeconds(30),
        0.1, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 50))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minPollInterval");
    assertThatThrownBy(() -> new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30),
        Double.NaN, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 50))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitterRatio");
    assertThatThrownBy(() -> new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30),
        0.1, Duration.ofSeconds(1), null, Duration.ofMinutes(2), 50))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("retryMax");
    assertThatThrownBy(() -> new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30),
        0.1, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyLimit");
  }
}
