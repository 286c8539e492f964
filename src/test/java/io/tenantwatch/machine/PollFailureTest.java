package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.VALID_UNTIL;
import static io.tenantwatch.machine.MachineFixtures.at;
import static io.tenantwatch.machine.MachineFixtures.failure;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.schedulePoll;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** R7: a failed poll changes nothing but the counters, the stale flag and the retry. */
class PollFailureTest {

  record Case(String priorName, TenantSnapshot prior, FailureKind kind) {
    @Override
    public String toString() {
      return kind.wireName() + " on " + priorName;
    }
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (FailureKind kind : FailureKind.values()) {
      cases.add(new Case("a never-polled tenant", MachineFixtures.fresh(), kind));
      cases.add(new Case("an open Running tenant", MachineFixtures.openRunning(), kind));
      cases.add(new Case("a closed Suspended tenant", MachineFixtures.closedSuspended(), kind));
      cases.add(new Case("a tenant held closed", MachineFixtures.heldRunning(), kind));
      cases.add(new Case("a tenant already failing", failing(MachineFixtures.openRunning()), kind));
    }
    return cases.stream();
  }

  /** A tenant one failure in, with an operator's poll pending. */
  private static TenantSnapshot failing(TenantSnapshot s) {
    return s.withSchedule(new PollSchedule(s.nextPollAt(), 1, "timeout: earlier", false))
        .withLifecycle(s.lifecycle().withPendingCause(Cause.ADMIN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("A failed poll leaves state, gate and endpoint alone, sends nothing and only reschedules")
  void failureChangesOnlyTheSchedule(Case c) {
    TenantEvent.PollFailed event = failure(c.kind());

    TenantMachine.Step step = machine().apply(c.prior(), event, NOW);

    int failures = c.prior().consecutiveFailures() + 1;
    // random 0: the shortest delay of the full-jitter window, which is always retryMin.
    Instant due = NOW.plus(Duration.ofSeconds(1));
    assertThat(step.effects()).containsExactly(schedulePoll(due));
    assertThat(step.snapshot()).isEqualTo(c.prior().withSchedule(new PollSchedule(due, failures,
        c.kind().wireName() + ": it went wrong", c.prior().validUntil() == null)));
  }

  @ParameterizedTest
  @MethodSource("io.tenantwatch.machine.PollFailureTest#kinds")
  @DisplayName("A failed poll of a retired tenant is ignored")
  void retiredIgnoresFailure(FailureKind kind) {
    TenantSnapshot retired = MachineFixtures.retired();

    TenantMachine.Step step = machine().apply(retired, failure(kind), NOW);

    assertThat(step.snapshot()).isEqualTo(retired);
    assertThat(step.effects()).isEmpty();
  }

  static Stream<FailureKind> kinds() {
    return Stream.of(FailureKind.values());
  }

  @Test
  @DisplayName("A tenant turns stale once ValidUntil has passed with polls still failing, and not before")
  void staleOnceValidUntilPassed() {
    TenantMachine m = machine();
    TenantSnapshot open = MachineFixtures.openRunning();

    assertThat(m.apply(open, failure(FailureKind.TIMEOUT), VALID_UNTIL.minusMillis(1)).snapshot().stale()).isFalse();
    assertThat(m.apply(open, failure(FailureKind.TIMEOUT), VALID_UNTIL).snapshot().stale()).isTrue();
    assertThat(m.apply(open, failure(FailureKind.TIMEOUT), VALID_UNTIL.plusSeconds(1)).snapshot().stale()).isTrue();
  }

  @Test
  @DisplayName("The next successful poll clears the failure count, the error and the stale flag")
  void successClearsFailures() {
    TenantMachine m = machine();
    TenantSnapshot failing = m.apply(MachineFixtures.openRunning(), failure(FailureKind.CONNECTION),
        at(Duration.ofMinutes(11))).snapshot();
    assertThat(failing.stale()).isTrue();

    TenantSnapshot after = m.apply(failing, MachineFixtures.success(MachineFixtures.running()), NOW).snapshot();

    assertThat(after.consecutiveFailures()).isZero();
    assertThat(after.lastError()).isNull();
    assertThat(after.stale()).isFalse();
  }

  @Test
  @DisplayName("The cause of a forced poll survives a failure and names the step of the next success")
  void pendingCauseSurvivesFailure() {
    TenantMachine m = machine();
    TenantSnapshot forced = m.apply(MachineFixtures.closedSuspended(), new TenantEvent.PollForced(true), NOW)
        .snapshot();
    TenantSnapshot failed = m.apply(forced, failure(FailureKind.HTTP_STATUS), NOW).snapshot();

    TenantMachine.Step step = m.apply(failed, MachineFixtures.success(MachineFixtures.running()), NOW);

    assertThat(failed.pendingCause()).isEqualTo(Cause.ADMIN);
    assertThat(step.snapshot().history()).singleElement()
        .satisfies(entry -> assertThat(entry.cause()).isEqualTo("admin"));
    assertThat(step.snapshot().pendingCause()).isNull();
  }
}
