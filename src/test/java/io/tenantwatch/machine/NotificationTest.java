package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.at;
import static io.tenantwatch.machine.MachineFixtures.command;
import static io.tenantwatch.machine.MachineFixtures.entry;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.move;
import static io.tenantwatch.machine.MachineFixtures.notification;
import static io.tenantwatch.machine.MachineFixtures.publish;
import static io.tenantwatch.machine.MachineFixtures.schedulePoll;
import static io.tenantwatch.machine.MachineFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** R5: each ChangeType, and one SuperOffice may add later, in every gate and hold position. */
class NotificationTest {
  private static final Map<Integer, String> LABELS = Map.of(0, "Upgrade", 1, "BackupRestored", 2, "Suspend",
      3, "Resume", 4, "Delete", 5, "Move", 42, "42");
  private static final Duration HOLD = Duration.ofMinutes(2);
  private static final Duration CONFIRM = Duration.ofSeconds(30);

  record Case(String priorName, TenantSnapshot prior, int code) {
    @Override
    public String toString() {
      return "ChangeType " + code + " on " + priorName;
    }
  }

  static Stream<Case> cases() {
    Map<String, TenantSnapshot> priors = new LinkedHashMap<>();
    priors.put("an open Running tenant", MachineFixtures.openRunning());
    priors.put("a closed Suspended tenant", MachineFixtures.closedSuspended());
    priors.put("a never-polled tenant", MachineFixtures.fresh());
    priors.put("a tenant held closed for another minute", MachineFixtures.heldRunning());
    priors.put("a tenant held closed for another ten minutes", MachineFixtures.heldRunning()
        .withGate(new Gate(false, at(Duration.ofMinutes(10)))));
    priors.put("a closed tenant whose hold ended unnoticed", MachineFixtures.heldRunning()
        .withGate(new Gate(false, NOW.minusSeconds(1))));
    priors.put("an open tenant whose poll is due in ten seconds", MachineFixtures.openRunning()
        .withNextPollAt(at(Duration.ofSeconds(10))));
    return priors.entrySet().stream().flatMap(prior -> codes().map(code -> new Case(prior.getKey(),
        prior.getValue(), code)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("Upgrade, Suspend and Delete close and hold the gate; every other type asks for a poll now")
  void notificationOutcome(Case c) {
    TenantSnapshot prior = c.prior();
    String cause = "notification:" + LABELS.get(c.code());

    TenantMachine.Step step = machine().apply(prior, notification(c.code()), NOW);

    TenantSnapshot after = step.snapshot();
    assertThat(after.pendingCause()).isEqualTo(new Cause(cause));
    assertThat(after.state()).isEqualTo(prior.state());
    boolean closes = c.code() == 0 || c.code() == 2 || c.code() == 4;
    if (!closes) {
      assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.NOTIFICATION));
      assertThat(after).isEqualTo(prior.withNextPollAt(null).withLifecycle(prior.lifecycle()
          .withPendingCause(new Cause(cause)).withResyncPending(c.code() == 1 || prior.resyncPending())));
      return;
    }
    Instant holdUntil = prior.holdUntil() != null && prior.holdUntil().isAfter(NOW.plus(HOLD))
        ? prior.holdUntil() : NOW.plus(HOLD);
    Instant confirm = NOW.plus(CONFIRM);
    boolean keepsEarlierPoll = prior.nextPollAt() != null && prior.nextPollAt().isBefore(confirm);
    List<Object> expected = new ArrayList<>();
    if (prior.open()) {
      Command pause = command(CommandType.PAUSE, prior.stateName(), false, cause, prior.seq() + 1);
      expected.add(send(pause));
      expected.add(publish(entry(prior.stateName(), prior.stateName(), cause, pause)));
    }
    if (!keepsEarlierPoll) {
      expected.add(schedulePoll(confirm));
    }
    expected.add(new Effect.ScheduleHoldEnd(holdUntil));
    assertThat(step.effects()).containsExactlyElementsOf(expected.stream().map(Effect.class::cast).toList());
    assertThat(after.open()).isFalse();
    assertThat(after.holdUntil()).isEqualTo(holdUntil);
    assertThat(after.nextPollAt()).isEqualTo(keepsEarlierPoll ? prior.nextPollAt() : confirm);
    assertThat(after.seq()).isEqualTo(prior.seq() + (prior.open() ? 1 : 0));
    assertThat(after.history()).hasSize(prior.open() ? 1 : 0);
  }

  static Stream<Integer> codes() {
    return LABELS.keySet().stream().sorted();
  }

  @ParameterizedTest(name = "ChangeType {0}")
  @MethodSource("codes")
  @DisplayName("A retired tenant ignores every notification")
  void retiredIgnoresNotifications(int code) {
    TenantSnapshot retired = MachineFixtures.retired();

    TenantMachine.Step step = machine().apply(retired, notification(code), NOW);

    assertThat(step.snapshot()).isEqualTo(retired);
    assertThat(step.effects()).isEmpty();
  }

  @Test
  @DisplayName("A Move keeps its PublicEndpoint as a bare lower-case host for the length of a hold")
  void moveKeepsHint() {
    TenantMachine.Step step = machine().apply(MachineFixtures.openRunning(), move("https://SOD3.superoffice.com/x"),
        NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.NOTIFICATION));
    assertThat(step.snapshot().endpointHint()).isEqualTo("sod3.superoffice.com");
    assertThat(step.snapshot().hintUntil()).isEqualTo(NOW.plus(HOLD));
  }

  @Test
  @DisplayName("A Move without a PublicEndpoint still polls but keeps no hint")
  void moveWithoutEndpoint() {
    TenantMachine.Step step = machine().apply(MachineFixtures.openRunning(), move("  "), NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.NOTIFICATION));
    assertThat(step.snapshot().endpointHint()).isNull();
    assertThat(step.snapshot().hintUntil()).isNull();
  }

  @Test
  @DisplayName("The poll after a notification records the notification as its cause")
  void notificationCauseReachesThePoll() {
    TenantMachine m = machine();
    TenantSnapshot polling = m.apply(MachineFixtures.closedSuspended(), notification(3), NOW).snapshot();

    TenantMachine.Step step = m.apply(polling, MachineFixtures.success(MachineFixtures.running()), NOW);

    Command resume = command(CommandType.RESUME, "Running", true, "notification:Resume", 8);
    assertThat(step.effects()).containsExactly(send(resume),
        publish(entry("Suspended", "Running", "notification:Resume", resume)),
        schedulePoll(MachineFixtures.VALID_UNTIL));
  }

  @Test
  @DisplayName("The confirming poll after a closing notification records the notification as its cause")
  void closingCauseReachesTheConfirmingPoll() {
    TenantMachine m = machine();
    TenantSnapshot paused = m.apply(MachineFixtures.openRunning(), notification(0), NOW).snapshot();

    TenantMachine.Step step = m.apply(paused,
        MachineFixtures.success(MachineFixtures.status(TenantState.OFFLINE_MAINTENANCE, null)),
        NOW);

    assertThat(step.effects()).containsExactly(
        publish(entry("Running", "OfflineMaintenance", "notification:Upgrade")),
        schedulePoll(NOW.plus(CONFIRM)));
  }
}
