package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.API_2;
import static io.tenantwatch.machine.MachineFixtures.ENDPOINT_2;
import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.VALID_UNTIL;
import static io.tenantwatch.machine.MachineFixtures.at;
import static io.tenantwatch.machine.MachineFixtures.command;
import static io.tenantwatch.machine.MachineFixtures.entry;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.move;
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
import io.tenantwatch.domain.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R3 (moves, and the Move hint of R5) and the BackupRestored resync. */
class MoveAndResyncTest {
  private static final Duration TRANSITIONAL = Duration.ofSeconds(30);
  private final TenantMachine machine = machine();

  @Test
  @DisplayName("A tenant that moves while open gets an endpoint command with the new endpoint and api")
  void moveWhileOpen() {
    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(),
        success(MachineFixtures.moved(TenantState.RUNNING, true)), NOW);

    Command endpoint = command(CommandType.ENDPOINT, "Running", true, ENDPOINT_2, API_2, "poll", 8);
    assertThat(step.effects()).containsExactly(send(endpoint), publish(entry("Running", "Running", "poll", endpoint)),
        schedulePoll(VALID_UNTIL));
    assertThat(step.snapshot().endpoint()).isEqualTo(ENDPOINT_2);
    assertThat(step.snapshot().api()).isEqualTo(API_2);
  }

  @Test
  @DisplayName("A change of the api alone is a move too")
  void apiOnlyMove() {
    TenantStatus status = new TenantStatus(MachineFixtures.TENANT, MachineFixtures.ENDPOINT_1, TenantState.RUNNING,
        "Running", true, VALID_UNTIL, API_2, "Release_11.10");

    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(), success(status), NOW);

    Command endpoint = command(CommandType.ENDPOINT, "Running", true, MachineFixtures.ENDPOINT_1, API_2, "poll", 8);
    assertThat(step.effects()).startsWith(send(endpoint));
  }

  @Test
  @DisplayName("A tenant that moves while closed gets no command; the new endpoint rides on the resume")
  void moveWhileClosed() {
    TenantSnapshot closed = machine.apply(MachineFixtures.closedSuspended(),
        success(MachineFixtures.moved(TenantState.SUSPENDED, false)), NOW).snapshot();

    TenantMachine.Step step = machine.apply(closed, success(MachineFixtures.moved(TenantState.RUNNING, true)), NOW);

    assertThat(closed.endpoint()).isEqualTo(ENDPOINT_2);
    assertThat(closed.seq()).isEqualTo(MachineFixtures.SEQ);
    Command resume = command(CommandType.RESUME, "Running", true, ENDPOINT_2, API_2, "poll", 8);
    assertThat(step.effects()).containsExactly(send(resume), publish(entry("Suspended", "Running", "poll", resume)),
        schedulePoll(VALID_UNTIL));
  }

  @Test
  @DisplayName("A tenant that moves as it closes gets only the pause, carrying the new endpoint")
  void moveAsItCloses() {
    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(),
        success(MachineFixtures.moved(TenantState.OFFLINE_MAINTENANCE, false)), NOW);

    Command pause = command(CommandType.PAUSE, "OfflineMaintenance", false, ENDPOINT_2, API_2, "poll", 8);
    assertThat(step.effects()).containsExactly(send(pause),
        publish(entry("Running", "OfflineMaintenance", "poll", pause)), schedulePoll(NOW.plus(TRANSITIONAL)));
  }

  @Test
  @DisplayName("A Move's hint is cleared by the poll that shows the hinted host, with the Move as its cause")
  void hintConfirmed() {
    TenantSnapshot hinted = machine.apply(MachineFixtures.openRunning(), move("sod3.superoffice.com"), NOW)
        .snapshot();

    TenantMachine.Step step = machine.apply(hinted, success(MachineFixtures.moved(TenantState.RUNNING, true)), NOW);

    Command endpoint = command(CommandType.ENDPOINT, "Running", true, ENDPOINT_2, API_2, "notification:Move", 8);
    assertThat(step.effects()).containsExactly(send(endpoint),
        publish(entry("Running", "Running", "notification:Move", endpoint)), schedulePoll(VALID_UNTIL));
    assertThat(step.snapshot().endpointHint()).isNull();
    assertThat(step.snapshot().hintUntil()).isNull();
  }

  @Test
  @DisplayName("While the poll still shows the old host, the hint stays and keeps the tenant on the short schedule")
  void hintKept() {
    TenantSnapshot hinted = machine.apply(MachineFixtures.openRunning(), move("sod3.superoffice.com"), NOW)
        .snapshot();

    TenantMachine.Step step = machine.apply(hinted, success(MachineFixtures.running()), at(Duration.ofSeconds(1)));

    assertThat(step.effects()).containsExactly(schedulePoll(at(Duration.ofSeconds(1)).plus(TRANSITIONAL)));
    assertThat(step.snapshot().endpointHint()).isEqualTo("sod3.superoffice.com");
  }

  @Test
  @DisplayName("A hint that ran out is dropped and the ordinary schedule returns")
  void hintExpired() {
    TenantSnapshot hinted = machine.apply(MachineFixtures.openRunning(), move("sod3.superoffice.com"), NOW)
        .snapshot();
    Instant later = at(Duration.ofMinutes(2));

    TenantMachine.Step step = machine.apply(hinted, success(MachineFixtures.running()), later);

    assertThat(step.effects()).containsExactly(schedulePoll(VALID_UNTIL));
    assertThat(step.snapshot().endpointHint()).isNull();
    assertThat(step.snapshot().hintUntil()).isNull();
  }

  @Test
  @DisplayName("BackupRestored on an open tenant: the poll that says running sends exactly one resync")
  void backupRestoredWhileOpen() {
    TenantSnapshot restored = machine.apply(MachineFixtures.openRunning(), notification(1), NOW).snapshot();

    TenantMachine.Step step = machine.apply(restored, success(MachineFixtures.running()), NOW);
    TenantMachine.Step next = machine.apply(step.snapshot(), success(MachineFixtures.running()), NOW);

    Command resync = command(CommandType.RESYNC, "Running", true, "notification:BackupRestored", 8);
    assertThat(step.effects()).containsExactly(send(resync),
        publish(entry("Running", "Running", "notification:BackupRestored", resync)), schedulePoll(VALID_UNTIL));
    assertThat(step.snapshot().resyncPending()).isFalse();
    assertThat(next.effects()).containsExactly(schedulePoll(VALID_UNTIL));
  }

  @Test
  @DisplayName("BackupRestored on a closed tenant: the resync waits and follows the resume")
  void backupRestoredWhileClosed() {
    TenantMachine.Step first = machine.apply(MachineFixtures.closedSuspended(), notification(1), NOW);
    TenantMachine.Step stillClosed = machine.apply(first.snapshot(),
        success(MachineFixtures.status(TenantState.SUSPENDED, false)), NOW);

    TenantMachine.Step opened = machine.apply(stillClosed.snapshot(), success(MachineFixtures.running()), NOW);

    assertThat(stillClosed.effects()).containsExactly(schedulePoll(VALID_UNTIL));
    assertThat(stillClosed.snapshot().resyncPending()).isTrue();
    Command resume = command(CommandType.RESUME, "Running", true, "poll", 8);
    Command resync = command(CommandType.RESYNC, "Running", true, "poll", 9);
    assertThat(opened.effects()).containsExactly(send(resume), send(resync),
        publish(entry("Suspended", "Running", "poll", resume, resync)), schedulePoll(VALID_UNTIL));
    assertThat(opened.snapshot().resyncPending()).isFalse();
    assertThat(opened.snapshot().seq()).isEqualTo(9);
  }

  @Test
  @DisplayName("A resync pending through a hold goes out right after the resume when the hold ends")
  void resyncAfterHold() {
    TenantSnapshot held = machine.apply(MachineFixtures.openRunning(), notification(0), NOW).snapshot();
    TenantSnapshot restored = machine.apply(held, notification(1), NOW).snapshot();
    TenantSnapshot polled = machine.apply(restored, success(MachineFixtures.running()), NOW).snapshot();
    Instant holdEnd = at(Duration.ofMinutes(2));

    TenantMachine.Step step = machine.apply(polled, new TenantEvent.HoldExpired(), holdEnd);

    assertThat(polled.resyncPending()).isTrue();
    Command resume = new Command(CommandType.RESUME, MachineFixtures.TENANT, "Running", true,
        MachineFixtures.ENDPOINT_1, MachineFixtures.API_1, "poll", 9, 0, holdEnd);
    Command resync = new Command(CommandType.RESYNC, MachineFixtures.TENANT, "Running", true,
        MachineFixtures.ENDPOINT_1, MachineFixtures.API_1, "poll", 10, 0, holdEnd);
    assertThat(step.effects()).containsExactly(send(resume), send(resync),
        publish(new HistoryEntry(MachineFixtures.TENANT, holdEnd, "Running", "Running", "poll",
            List.of(resume, resync))));
  }

  @Test
  @DisplayName("A move and a pending resync on an open tenant go out in one step: endpoint first, then resync")
  void moveAndResync() {
    TenantSnapshot restored = machine.apply(MachineFixtures.openRunning(), notification(1), NOW).snapshot();

    TenantMachine.Step step = machine.apply(restored, success(MachineFixtures.moved(TenantState.RUNNING, true)), NOW);

    Command endpoint = command(CommandType.ENDPOINT, "Running", true, ENDPOINT_2, API_2,
        "notification:BackupRestored", 8);
    Command resync = command(CommandType.RESYNC, "Running", true, ENDPOINT_2, API_2, "notification:BackupRestored", 9);
    assertThat(step.effects()).containsExactly(send(endpoint), send(resync),
        publish(entry("Running", "Running", "notification:BackupRestored", endpoint, resync)),
        schedulePoll(VALID_UNTIL));
  }
}
