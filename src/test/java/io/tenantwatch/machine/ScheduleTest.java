package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.at;
import static io.tenantwatch.machine.MachineFixtures.failure;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.schedulePoll;
import static io.tenantwatch.machine.MachineFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** R6 and R7 as the machine applies them: which cap, which jitter, which retry. */
class ScheduleTest {
  private static final Duration TRANSITIONAL = Duration.ofSeconds(30);

  private static TenantStatus validFor(TenantState state, Duration horizon) {
    return new TenantStatus(MachineFixtures.TENANT, MachineFixtures.ENDPOINT_1, state, state.displayName(), null,
        NOW.plus(horizon), MachineFixtures.API_1, null);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = TenantState.class, names = {"UNKNOWN", "PROVISIONING", "OFFLINE_MAINTENANCE", "DELETING"})
  @DisplayName("A transitional state is polled again within the transitional interval")
  void transitionalStates(TenantState state) {
    TenantMachine.Step step = machine().apply(MachineFixtures.openRunning(), success(validFor(state, Duration.ofHours(2))),
        NOW);

    assertThat(step.effects()).endsWith(schedulePoll(NOW.plus(TRANSITIONAL)));
    assertThat(step.snapshot().nextPollAt()).isEqualTo(NOW.plus(TRANSITIONAL));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = TenantState.class, names = {"RUNNING", "SUSPENDED", "ONLINE_MAINTENANCE", "PROVISIONING_FAILED",
      "DELETE_FAILED", "MIGRATION_PENDING"})
  @DisplayName("A settled state is polled at ValidUntil, at most the maximum interval away")
  void settledStates(TenantState state) {
    TenantMachine.Step step = machine().apply(MachineFixtures.openRunning(), success(validFor(state, Duration.ofHours(2))),
        NOW);

    assertThat(step.effects()).endsWith(schedulePoll(NOW.plus(Duration.ofHours(1))));
  }

  @Test
  @DisplayName("An unknown raw state is transitional too")
  void rawUnknownIsTransitional() {
    TenantMachine.Step step = machine().apply(MachineFixtures.openRunning(),
        success(MachineFixtures.rawStatus("Frozen", true)), NOW);

    assertThat(step.effects()).endsWith(schedulePoll(NOW.plus(TRANSITIONAL)));
  }

  @Test
  @DisplayName("During a hold a settled state is polled within the transitional interval")
  void holdShortensSchedule() {
    TenantMachine.Step step = machine().apply(MachineFixtures.heldRunning(),
        success(validFor(TenantState.RUNNING, Duration.ofHours(2))), NOW);

    assertThat(step.effects()).containsExactly(schedulePoll(NOW.plus(TRANSITIONAL)));
  }

  @Test
  @DisplayName("With a Move hint pending a settled state is polled within the transitional interval")
  void hintShortensSchedule() {
    TenantSnapshot hinted = MachineFixtures.openRunning()
        .withMoveHint(new MoveHint("sod9.superoffice.com", at(Duration.ofMinutes(1))));

    TenantMachine.Step step = machine().apply(hinted, success(validFor(TenantState.RUNNING, Duration.ofHours(2))), NOW);

    assertThat(step.effects()).containsExactly(schedulePoll(NOW.plus(TRANSITIONAL)));
  }

  static Stream<Double> draws() {
    return Stream.of(0.0, 0.5, 0.999);
  }

  @ParameterizedTest(name = "random {0}")
  @MethodSource("draws")
  @DisplayName("The jitter after a success stays within [ValidUntil, ValidUntil + ratio x horizon]")
  void jitterBounds(double random) {
    Instant validUntil = NOW.plus(Duration.ofMinutes(20));

    TenantMachine.Step step = machine(random).apply(MachineFixtures.openRunning(),
        success(validFor(TenantState.RUNNING, Duration.ofMinutes(20))), NOW);

    Instant due = step.snapshot().nextPollAt();
    assertThat(due).isBetween(validUntil, validUntil.plus(Duration.ofMinutes(2)));
    assertThat(due).isEqualTo(validUntil.plusNanos((long) (random * 0.1 * Duration.ofMinutes(20).toNanos())));
  }

  @Test
  @DisplayName("A ValidUntil that has passed gives the minimum interval")
  void validUntilPassed() {
    TenantMachine.Step step = machine(0.999).apply(MachineFixtures.openRunning(),
        success(validFor(TenantState.RUNNING, Duration.ofMinutes(-5))), NOW);

    assertThat(step.effects()).containsExactly(schedulePoll(NOW.plusSeconds(5)));
  }

  @Test
  @DisplayName("Failures in a row back off 1, 2, 4 ... seconds up to retryMax, then reset after a success")
  void backoffGrowth() {
    TenantMachine m = machine(1.0);
    TenantSnapshot snapshot = MachineFixtures.openRunning();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      TenantMachine.Step step = m.apply(snapshot, failure(FailureKind.TIMEOUT), NOW);
      snapshot = step.snapshot();
      delays.add(Duration.between(NOW, ((Effect.SchedulePoll) step.effects().get(0)).at()).toSeconds());
    }
    snapshot = m.apply(snapshot, success(MachineFixtures.running()), NOW).snapshot();
    TenantMachine.Step afterReset = m.apply(snapshot, failure(FailureKind.TIMEOUT), NOW);

    assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L);
    assertThat(afterReset.effects()).containsExactly(schedulePoll(NOW.plusSeconds(1)));
  }

  @Test
  @DisplayName("A Retry-After is honoured, and capped at retryMax")
  void retryAfter() {
    TenantEvent.PollFailed slowDown = new TenantEvent.PollFailed(
        new PollFailure(FailureKind.HTTP_STATUS, "503", 503, Duration.ofSeconds(90)));
    TenantEvent.PollFailed goAway = new TenantEvent.PollFailed(
        new PollFailure(FailureKind.HTTP_STATUS, "429", 429, Duration.ofHours(2)));

    assertThat(machine().apply(MachineFixtures.openRunning(), slowDown, NOW).effects())
        .containsExactly(schedulePoll(NOW.plusSeconds(90)));
    assertThat(machine().apply(MachineFixtures.openRunning(), goAway, NOW).effects())
        .containsExactly(schedulePoll(NOW.plus(Duration.ofMinutes(5))));
  }
}
