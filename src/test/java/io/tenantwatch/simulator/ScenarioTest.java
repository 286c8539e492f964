package io.tenantwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Scenarios, stepped by hand")
class ScenarioTest {
  private static final long SEED = 42;

  private static List<Phase> phases(Scenario scenario, int index, int count) {
    Random random = Scenario.randomFor(SEED, index);
    List<Phase> phases = new ArrayList<>();
    for (int step = 0; step < count; step++) {
      phases.add(scenario.phase(step, random));
    }
    return phases;
  }

  private static List<String> states(List<Phase> phases) {
    return phases.stream().map(Phase::rawState).toList();
  }

  /** Each phase's notification as "Type" (on arrival), "Type-2500ms" (ahead) or "-" (none). */
  private static List<String> notifications(List<Phase> phases) {
    return phases.stream().map(Phase::notification)
        .map(n -> n == null ? "-" : n.leads() ? n.type().label() + "-" + n.lead().toMillis() + "ms" : n.type().label())
        .toList();
  }

  @Test
  @DisplayName("the same seed gives the same order of scenarios, and it holds every scenario once")
  void orderIsASeededPermutation() {
    assertThat(Scenario.order(SEED)).isEqualTo(Scenario.order(SEED)).containsExactlyInAnyOrder(Scenario.values());
    assertThat(IntStream.range(0, 20).mapToObj(Scenario::order).distinct().count()).isGreaterThan(1);
  }

  @Test
  @DisplayName("any twelve consecutive tenants cover every scenario")
  void consecutiveTenantsCoverEveryScenario() {
    for (int first = 0; first < 40; first++) {
      Set<Scenario> covered = EnumSet.noneOf(Scenario.class);
      for (int index = first; index < first + Scenario.values().length; index++) {
        covered.add(Scenario.forTenant(SEED, index));
      }
      assertThat(covered).as("tenants from index %d", first).containsExactlyInAnyOrder(Scenario.values());
    }
  }

  @Test
  @DisplayName("a negative tenant index is refused")
  void negativeIndexIsRefused() {
    assertThatThrownBy(() -> Scenario.forTenant(SEED, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  @DisplayName("a tenant's random source replays the same phases, and another tenant's differs")
  void phasesAreDeterministic(Scenario scenario) {
    assertThat(phases(scenario, 3, 10)).isEqualTo(phases(scenario, 3, 10));
    assertThat(phases(scenario, 3, 2)).isNotEqualTo(phases(scenario, 4, 2));
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  @DisplayName("every phase but a final one lasts from 8 to 20 seconds")
  void phaseLengthsStayInRange(Scenario scenario) {
    for (Phase phase : phases(scenario, 0, 60)) {
      if (!phase.last()) {
        assertThat(phase.duration()).isBetween(Scenario.MIN_PHASE, Scenario.MAX_PHASE);
      }
    }
  }

  @Test
  @DisplayName("steady stays up: Running, now and then OnlineMaintenance")
  void steadyStaysUp() {
    List<Phase> phases = phases(Scenario.STEADY, 0, 60);
    assertThat(phases).allSatisfy(phase -> {
      assertThat(phase.isRunning()).isTrue();
      assertThat(phase.fault()).isNull();
    });
    assertThat(states(phases)).contains("Running", "OnlineMaintenance");
  }

  @Test
  @DisplayName("upgrade goes Running, OfflineMaintenance, then Running with a new Version")
  void upgradeBringsANewVersion() {
    List<Phase> phases = phases(Scenario.UPGRADE, 0, 3);
    assertThat(states(phases)).containsExactly("Running", "OfflineMaintenance", "Running");
    assertThat(phases.get(1).isRunning()).isFalse();
    assertThat(phases.get(2).version()).isNotEqualTo(phases.get(0).version());
  }

  @Test
  @DisplayName("suspend goes Running, Suspended, Running")
  void suspendComesBack() {
    assertThat(states(phases(Scenario.SUSPEND, 0, 3))).containsExactly("Running", "Suspended", "Running");
  }

  @Test
  @DisplayName("move keeps Running while the host goes sod2, sod3, app-sod and round again")
  void moveWalksTheHosts() {
    List<Phase> phases = phases(Scenario.MOVE, 0, 4);
    assertThat(phases).allSatisfy(phase -> assertThat(phase.state()).isEqualTo(TenantState.RUNNING));
    assertThat(phases.stream().map(Phase::host)).containsExactly(
        "sod2.superoffice.com", "sod3.superoffice.com", "app-sod.superoffice.com", "sod2.superoffice.com");
  }

  @Test
  @DisplayName("delete goes Running, Deleting, Deleted, and Deleted is final")
  void deleteEndsDeleted() {
    List<Phase> phases = phases(Scenario.DELETE, 0, 4);
    assertThat(states(phases)).containsExactly("Running", "Deleting", "Deleted", "Deleted");
    assertThat(phases.get(1).last()).isFalse();
    assertThat(phases.get(2).last()).isTrue();
  }

  @Test
  @DisplayName("outage answers 503 with Retry-After 2 for a phase, then recovers")
  void outageFailsThenRecovers() {
    List<Phase> phases = phases(Scenario.OUTAGE, 0, 3);
    assertThat(phases.get(0).fault()).isNull();
    assertThat(phases.get(1).fault()).isEqualTo(new Fault.Failing(503, 2));
    assertThat(phases.get(2).fault()).isNull();
  }

  @Test
  @DisplayName("slow answers later than the engine's default 5 s request timeout for a phase")
  void slowOutlastsATimeout() {
    List<Phase> phases = phases(Scenario.SLOW, 0, 3);
    assertThat(phases.get(1).fault()).isInstanceOfSatisfying(Fault.Slow.class,
        slow -> assertThat(slow.delay()).isGreaterThan(Duration.ofSeconds(5)));
    assertThat(phases.get(2).fault()).isNull();
  }

  @Test
  @DisplayName("garbage answers HTML or cut-off JSON for a phase")
  void garbageAnswersSomethingElse() {
    List<Phase> phases = phases(Scenario.GARBAGE, 0, 40);
    assertThat(phases.get(0).fault()).isNull();
    List<Fault> faults = IntStream.range(0, phases.size()).filter(step -> step % 2 == 1)
        .mapToObj(step -> phases.get(step).fault()).toList();
    assertThat(faults).allMatch(fault -> fault instanceof Fault.Garbage || fault instanceof Fault.Truncated);
    assertThat(faults).contains(new Fault.Garbage(Scenario.GARBAGE_BODY), new Fault.Truncated());
  }

  @Test
  @DisplayName("provisioning and migration end Running")
  void provisioningAndMigrationEndRunning() {
    assertThat(states(phases(Scenario.PROVISIONING, 0, 2))).containsExactly("Provisioning", "Running");
    assertThat(states(phases(Scenario.MIGRATION, 0, 2))).containsExactly("MigrationPending", "Running");
  }

  @Test
  @DisplayName("unknown-state answers Frozen, not running, for a phase")
  void unknownStateIsFrozen() {
    Phase frozen = phases(Scenario.UNKNOWN_STATE, 0, 2).get(1);
    assertThat(frozen.rawState()).isEqualTo("Frozen");
    assertThat(frozen.state()).isEqualTo(TenantState.UNKNOWN);
    assertThat(frozen.isRunning()).isFalse();
    assertThat(frozen.transitional()).isTrue();
  }

  @Test
  @DisplayName("maintenance goes Running, OnlineMaintenance, Running, then OfflineMaintenance for a restore and Running again")
  void maintenanceEndsInARestore() {
    List<Phase> phases = phases(Scenario.MAINTENANCE, 0, 9);
    assertThat(states(phases)).containsExactly("Running", "OnlineMaintenance", "Running", "OfflineMaintenance",
        "Running", "OnlineMaintenance", "Running", "OfflineMaintenance", "Running");
    assertThat(phases.get(1).isRunning()).isTrue();
    assertThat(phases.get(3).isRunning()).isFalse();
  }

  // ---- the notifications SuperOffice would send ----

  @Test
  @DisplayName("upgrade announces Upgrade 2.5 s before each OfflineMaintenance, and nothing when it is back")
  void upgradeIsAnnouncedAhead() {
    assertThat(notifications(phases(Scenario.UPGRADE, 0, 5)))
        .containsExactly("-", "Upgrade-2500ms", "-", "Upgrade-2500ms", "-");
  }

  @Test
  @DisplayName("suspend announces Suspend on entering Suspended and Resume on coming back")
  void suspendIsAnnouncedOnArrival() {
    assertThat(notifications(phases(Scenario.SUSPEND, 0, 5)))
        .containsExactly("-", "Suspend", "Resume", "Suspend", "Resume");
  }

  @Test
  @DisplayName("move announces every new host 2 s before the state API shows it")
  void moveIsAnnouncedAhead() {
    List<Phase> phases = phases(Scenario.MOVE, 0, 4);
    assertThat(notifications(phases)).containsExactly("-", "Move-2000ms", "Move-2000ms", "Move-2000ms");
  }

  @Test
  @DisplayName("delete announces Delete on entering Deleting, and nothing once Deleted")
  void deleteIsAnnouncedOnArrival() {
    assertThat(notifications(phases(Scenario.DELETE, 0, 4))).containsExactly("-", "Delete", "-", "-");
  }

  @Test
  @DisplayName("maintenance announces BackupRestored once Running after the restore, and nothing else")
  void restoreIsAnnouncedOnReturn() {
    assertThat(notifications(phases(Scenario.MAINTENANCE, 0, 9)))
        .containsExactly("-", "-", "-", "-", "BackupRestored", "-", "-", "-", "BackupRestored");
  }

  @ParameterizedTest
  @EnumSource(value = Scenario.class, names = {"STEADY", "OUTAGE", "SLOW", "GARBAGE", "PROVISIONING", "MIGRATION",
      "UNKNOWN_STATE"})
  @DisplayName("scenarios SuperOffice does not announce send no notification")
  void unannouncedScenariosSendNothing(Scenario scenario) {
    assertThat(phases(scenario, 0, 40)).allSatisfy(phase -> assertThat(phase.notification()).isNull());
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  @DisplayName("no scenario announces its first phase: a tenant found in a state has not just changed to it")
  void firstPhaseIsNeverAnnounced(Scenario scenario) {
    for (int index = 0; index < 10; index++) {
      assertThat(scenario.phase(0, Scenario.randomFor(SEED, index)).notification()).isNull();
    }
  }

  @Test
  @DisplayName("a lead must be shorter than the shortest phase, so it falls in the phase before")
  void leadFitsInThePhaseBefore() {
    assertThat(ScriptedNotification.ahead(ChangeType.MOVE, Duration.ofMillis(7_999)).leads()).isTrue();
    assertThat(ScriptedNotification.on(ChangeType.RESUME).leads()).isFalse();
    assertThatThrownBy(() -> ScriptedNotification.ahead(ChangeType.MOVE, Scenario.MIN_PHASE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8000 ms");
    assertThatThrownBy(() -> ScriptedNotification.ahead(ChangeType.MOVE, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
