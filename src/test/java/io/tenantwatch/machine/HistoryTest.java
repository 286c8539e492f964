package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bounded history of recorded steps, newest last. */
class HistoryTest {

  @Test
  @DisplayName("History keeps only the newest historyLimit entries, oldest dropped first")
  void boundedHistory() {
    PollSettings three = new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30), 0.1,
        Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 3);
    TenantMachine machine = new TenantMachine(three, () -> 0.0);
    TenantSnapshot snapshot = MachineFixtures.fresh();
    TenantState[] walk = {TenantState.RUNNING, TenantState.SUSPENDED, TenantState.RUNNING, TenantState.SUSPENDED,
        TenantState.RUNNING};
    for (int i = 0; i < walk.length; i++) {
      snapshot = machine.apply(snapshot, success(MachineFixtures.status(walk[i], null)), NOW.plusSeconds(i)).snapshot();
    }

    assertThat(snapshot.history()).hasSize(3);
    assertThat(snapshot.history()).extracting(HistoryEntry::from).containsExactly("Suspended", "Running", "Suspended");
    assertThat(snapshot.history()).extracting(HistoryEntry::to).containsExactly("Running", "Suspended", "Running");
    assertThat(snapshot.history()).extracting(entry -> entry.commands().get(0).seq()).containsExactly(3L, 4L, 5L);
  }

  @Test
  @DisplayName("With a history limit of zero nothing is kept, but every step is still published")
  void noHistory() {
    PollSettings none = new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30), 0.1,
        Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 0);

    TenantMachine.Step step = new TenantMachine(none, () -> 0.0)
        .apply(MachineFixtures.fresh(), success(MachineFixtures.running()), NOW);

    assertThat(step.snapshot().history()).isEmpty();
    assertThat(step.effects()).filteredOn(Effect.Publish.class::isInstance).hasSize(1);
  }

  @Test
  @DisplayName("A step that changes nothing but the state's name is recorded without commands")
  void stateChangeWithoutCommand() {
    TenantMachine.Step step = MachineFixtures.machine().apply(MachineFixtures.closedSuspended(),
        success(MachineFixtures.status(TenantState.MIGRATION_PENDING, null)), NOW);

    assertThat(step.snapshot().history()).containsExactly(
        MachineFixtures.entry("Suspended", "MigrationPending", "poll"));
  }
}
