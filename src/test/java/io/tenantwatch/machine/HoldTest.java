package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.API_2;
import static io.tenantwatch.machine.MachineFixtures.ENDPOINT_2;
import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.TENANT;
import static io.tenantwatch.machine.MachineFixtures.VALID_UNTIL;
import static io.tenantwatch.machine.MachineFixtures.at;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.notification;
import static io.tenantwatch.machine.MachineFixtures.publish;
import static io.tenantwatch.machine.MachineFixtures.schedulePoll;
import static io.tenantwatch.machine.MachineFixtures.send;
import static io.tenantwatch.machine.MachineFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R5: a closing notification holds the gate closed; after the hold the gate follows the polled state. */
class HoldTest {
  private final TenantMachine machine = machine();
  private final Instant holdEnd = at(Duration.ofMinutes(2));

  /** An open Running tenant that has just received Upgrade. */
  private TenantSnapshot upgrading() {
    return machine.apply(MachineFixtures.openRunning(), notification(0), NOW).snapshot();
  }

  @Test
  @DisplayName("A poll during the hold takes the new state and endpoint but does not reopen the gate")
  void pollDuringHoldKeepsGateClosed() {
    Instant later = at(Duration.ofSeconds(30));

    TenantMachine.Step step = machine.apply(upgrading(), success(MachineFixtures.moved(TenantState.RUNNING, true)),
        later);

    TenantSnapshot after = step.snapshot();
    assertThat(after.open()).isFalse();
    assertThat(after.polledRunning()).isTrue();
    assertThat(after.endpoint()).isEqualTo(ENDPOINT_2);
    assertThat(after.api()).isEqualTo(API_2);
    assertThat(after.holdUntil()).isEqualTo(holdEnd);
    // Nothing recorded: same state, no command; the hold caps the next poll at the transitional interval.
    assertThat(step.effects()).containsExactly(schedulePoll(later.plus(Duration.ofSeconds(30))));
  }

  @Test
  @DisplayName("When the hold ends and the last poll said running, the gate reopens with the latest endpoint")
  void holdEndReopens() {
    TenantSnapshot polledDuringHold = machine.apply(upgrading(),
        success(MachineFixtures.moved(TenantState.RUNNING, true)), at(Duration.ofSeconds(30))).snapshot();

    TenantMachine.Step step = machine.apply(polledDuringHold, new TenantEvent.HoldExpired(), holdEnd);

    Command resume = new Command(CommandType.RESUME, TENANT, "Running", true, ENDPOINT_2, API_2, "poll", 9, 0, holdEnd);
    assertThat(step.effects()).containsExactly(send(resume),
        publish(new HistoryEntry(TENANT, holdEnd, "Running", "Running", "poll", List.of(resume))));
    assertThat(step.snapshot().open()).isTrue();
    assertThat(step.snapshot().holdUntil()).isNull();
    assertThat(step.snapshot().seq()).isEqualTo(9);
  }

  @Test
  @DisplayName("When the hold ends and the last poll said not running, the gate stays closed and nothing is sent")
  void holdEndStaysClosed() {
    TenantSnapshot polledDuringHold = machine.apply(upgrading(),
        success(MachineFixtures.status(TenantState.OFFLINE_MAINTENANCE, false)), at(Duration.ofSeconds(30)))
        .snapshot();

    TenantMachine.Step step = machine.apply(polledDuringHold, new TenantEvent.HoldExpired(), holdEnd);

    assertThat(step.effects()).isEmpty();
    assertThat(step.snapshot()).isEqualTo(polledDuringHold.withGate(polledDuringHold.gate().withHoldUntil(null)));
  }

  @Test
  @DisplayName("An early hold timer changes nothing and re-arms the real end of the hold")
  void earlyHoldExpiry() {
    TenantSnapshot held = upgrading();

    TenantMachine.Step step = machine.apply(held, new TenantEvent.HoldExpired(), holdEnd.minusMillis(1));

    assertThat(step.snapshot()).isEqualTo(held);
    assertThat(step.effects()).containsExactly(new Effect.ScheduleHoldEnd(holdEnd));
  }

  @Test
  @DisplayName("A hold timer that fires when no hold is on changes nothing")
  void staleHoldExpiry() {
    TenantSnapshot open = MachineFixtures.openRunning();

    TenantMachine.Step step = machine.apply(open, new TenantEvent.HoldExpired(), NOW);

    assertThat(step.snapshot()).isEqualTo(open);
    assertThat(step.effects()).isEmpty();
  }

  @Test
  @DisplayName("A hold timer on a retired tenant changes nothing")
  void retiredHoldExpiry() {
    TenantSnapshot retired = MachineFixtures.retired().withGate(new Gate(false, NOW.minusSeconds(1)));

    TenantMachine.Step step = machine.apply(retired, new TenantEvent.HoldExpired(), NOW);

    assertThat(step.snapshot()).isEqualTo(retired);
    assertThat(step.effects()).isEmpty();
  }

  @Test
  @DisplayName("A hold on a tenant that was never polled ends closed")
  void holdEndNeverPolled() {
    TenantSnapshot held = machine.apply(MachineFixtures.fresh(), notification(2), NOW).snapshot();

    TenantMachine.Step step = machine.apply(held, new TenantEvent.HoldExpired(), holdEnd);

    assertThat(step.effects()).isEmpty();
    assertThat(step.snapshot().open()).isFalse();
    assertThat(step.snapshot().holdUntil()).isNull();
  }

  @Test
  @DisplayName("A poll after the hold's end lifts it even before the hold timer fires (lazy expiry)")
  void lazyExpiry() {
    Instant afterHold = holdEnd.plusSeconds(1);

    TenantMachine.Step step = machine.apply(upgrading(), success(MachineFixtures.running()), afterHold);

    Command resume = new Command(CommandType.RESUME, TENANT, "Running", true, MachineFixtures.ENDPOINT_1,
        MachineFixtures.API_1, "notification:Upgrade", 9, 0, afterHold);
    assertThat(step.effects()).containsExactly(send(resume),
        publish(new HistoryEntry(TENANT, afterHold, "Running", "Running", "notification:Upgrade", List.of(resume))),
        schedulePoll(VALID_UNTIL));
    assertThat(step.snapshot().holdUntil()).isNull();
    assertThat(step.snapshot().open()).isTrue();
  }

  @Test
  @DisplayName("A poll exactly at the hold's end lifts the hold")
  void pollAtHoldEnd() {
    TenantMachine.Step step = machine.apply(upgrading(), success(MachineFixtures.running()), holdEnd);

    assertThat(step.snapshot().open()).isTrue();
    assertThat(step.snapshot().holdUntil()).isNull();
  }

  @Test
  @DisplayName("A Resume during a hold polls but does not lift the hold: the hold is a floor")
  void resumeDuringHold() {
    TenantSnapshot resumed = machine.apply(upgrading(), notification(3), at(Duration.ofSeconds(10))).snapshot();

    TenantMachine.Step step = machine.apply(resumed, success(MachineFixtures.running()), at(Duration.ofSeconds(11)));

    assertThat(resumed.holdUntil()).isEqualTo(holdEnd);
    assertThat(step.snapshot().open()).isFalse();
    assertThat(step.effects()).containsExactly(schedulePoll(at(Duration.ofSeconds(41))));
  }

  @Test
  @DisplayName("A second closing notification during a hold extends it and sends no second pause")
  void secondClosingNotification() {
    Instant later = at(Duration.ofMinutes(1));

    TenantMachine.Step step = machine.apply(upgrading(), notification(2), later);

    assertThat(step.snapshot().holdUntil()).isEqualTo(later.plus(Duration.ofMinutes(2)));
    // The confirming poll from the Upgrade (NOW + 30 s) is earlier, so it stays as it is.
    assertThat(step.effects()).containsExactly(new Effect.ScheduleHoldEnd(later.plus(Duration.ofMinutes(2))));
    assertThat(step.snapshot().seq()).isEqualTo(8);
  }
}
