package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.command;
import static io.tenantwatch.machine.MachineFixtures.entry;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.publish;
import static io.tenantwatch.machine.MachineFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Started, PollDue, PollForced (R8) and Unwatched (R4). */
class PollRequestAndUnwatchTest {
  private final TenantMachine machine = machine();

  @Test
  @DisplayName("A started tenant asks for a poll at start priority and has none scheduled meanwhile: its snapshot is the very one it started with")
  void started() {
    TenantSnapshot fresh = MachineFixtures.fresh();

    TenantMachine.Step step = machine.apply(fresh, new TenantEvent.Started(), NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.START));
    assertThat(step.snapshot()).isSameAs(fresh);
    assertThat(step.snapshot().open()).isFalse();
  }

  @Test
  @DisplayName("A restored tenant that starts asks for a poll and drops its stored due time")
  void startedRestored() {
    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(), new TenantEvent.Started(), NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.START));
    assertThat(step.snapshot()).isEqualTo(MachineFixtures.openRunning().withNextPollAt(null));
  }

  @Test
  @DisplayName("A due poll timer asks for a timer poll")
  void pollDue() {
    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(), new TenantEvent.PollDue(), NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.TIMER));
    assertThat(step.snapshot().nextPollAt()).isNull();
    assertThat(step.snapshot().pendingCause()).isNull();
  }

  @Test
  @DisplayName("A forced poll of one tenant goes at admin priority and its step is caused by admin")
  void forcedSingle() {
    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(), new TenantEvent.PollForced(true), NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.ADMIN));
    assertThat(step.snapshot()).isEqualTo(MachineFixtures.openRunning().withNextPollAt(null)
        .withLifecycle(MachineFixtures.openRunning().lifecycle().withPendingCause(Cause.ADMIN)));
  }

  @Test
  @DisplayName("A re-poll of every tenant goes at ordinary priority but is still caused by admin")
  void forcedBulk() {
    TenantMachine.Step step = machine.apply(MachineFixtures.openRunning(), new TenantEvent.PollForced(false), NOW);

    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.TIMER));
    assertThat(step.snapshot().pendingCause()).isEqualTo(Cause.ADMIN);
    assertThat(step.snapshot().nextPollAt()).isNull();
  }

  @Test
  @DisplayName("The forced poll's result sends its commands with reason admin")
  void forcedPollResult() {
    TenantSnapshot forced = machine.apply(MachineFixtures.openRunning(), new TenantEvent.PollForced(true), NOW)
        .snapshot();

    TenantMachine.Step step = machine.apply(forced,
        MachineFixtures.success(MachineFixtures.status(TenantState.SUSPENDED, false)), NOW);

    Command pause = command(CommandType.PAUSE, "Suspended", false, "admin", 8);
    assertThat(step.effects()).containsExactly(send(pause), publish(entry("Running", "Suspended", "admin", pause)),
        MachineFixtures.schedulePoll(MachineFixtures.VALID_UNTIL));
  }

  static Stream<TenantEvent> pollRequests() {
    return Stream.of(new TenantEvent.Started(), new TenantEvent.PollDue(), new TenantEvent.PollForced(true),
        new TenantEvent.PollForced(false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pollRequests")
  @DisplayName("A retired tenant is never polled again: Deleted is terminal")
  void retiredIsNotPolled(TenantEvent event) {
    TenantSnapshot retired = MachineFixtures.retired();

    TenantMachine.Step step = machine.apply(retired, event, NOW);

    assertThat(step.snapshot()).isEqualTo(retired);
    assertThat(step.effects()).isEmpty();
  }

  static Stream<Named<TenantSnapshot>> unwatchable() {
    return Stream.of(Named.of("open", MachineFixtures.openRunning()),
        Named.of("closed", MachineFixtures.closedSuspended()),
        Named.of("retired", MachineFixtures.retired()),
        Named.of("held closed", MachineFixtures.heldRunning()));
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("unwatchable")
  @DisplayName("Unwatching any tenant, even a retired one, sends retire, stops polling and stops the verticle")
  void unwatched(TenantSnapshot prior) {
    TenantMachine.Step step = machine.apply(prior, new TenantEvent.Unwatched(), NOW);

    String state = prior.stateName();
    Command retire = command(CommandType.RETIRE, state, false, "unwatched", prior.seq() + 1);
    assertThat(step.effects()).containsExactly(send(retire), publish(entry(state, state, "unwatched", retire)),
        new Effect.StopPolling(), new Effect.Stop());
    assertThat(step.snapshot().open()).isFalse();
    assertThat(step.snapshot().retired()).isTrue();
    assertThat(step.snapshot().nextPollAt()).isNull();
    assertThat(step.snapshot().seq()).isEqualTo(prior.seq() + 1);
  }

  @Test
  @DisplayName("Unwatching a never-polled tenant retires it with no endpoint")
  void unwatchedFresh() {
    TenantMachine.Step step = machine.apply(MachineFixtures.fresh(), new TenantEvent.Unwatched(), NOW);

    Command retire = command(CommandType.RETIRE, "Unknown", false, null, null, "unwatched", 1);
    assertThat(step.effects()).containsExactly(send(retire), publish(entry("Unknown", "Unknown", "unwatched", retire)),
        new Effect.StopPolling(), new Effect.Stop());
  }

  @Test
  @DisplayName("Missing input is refused with a clear error")
  void missingInput() {
    assertThatThrownBy(() -> machine.apply(null, new TenantEvent.PollDue(), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the snapshot is missing");
    assertThatThrownBy(() -> machine.apply(MachineFixtures.fresh(), null, NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the event is missing");
    assertThatThrownBy(() -> machine.apply(MachineFixtures.fresh(), new TenantEvent.PollDue(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the time is missing");
    assertThatThrownBy(() -> machine.apply(MachineFixtures.fresh(), new TenantEvent.PollSucceeded(null), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the status is missing");
    assertThatThrownBy(() -> machine.apply(MachineFixtures.fresh(), new TenantEvent.PollFailed(null), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the failure is missing");
    assertThatThrownBy(() -> machine.apply(MachineFixtures.fresh(), new TenantEvent.NotificationReceived(null), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the notification is missing");
  }
}
