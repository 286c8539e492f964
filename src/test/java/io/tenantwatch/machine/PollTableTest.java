package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.VALID_UNTIL;
import static io.tenantwatch.machine.MachineFixtures.command;
import static io.tenantwatch.machine.MachineFixtures.entry;
import static io.tenantwatch.machine.MachineFixtures.publish;
import static io.tenantwatch.machine.MachineFixtures.schedulePoll;
import static io.tenantwatch.machine.MachineFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every prior state and gate (plus a never-polled tenant and a retired one) against every polled state
 * (plus a name the table does not know) with {@code IsRunning} true, false and absent. The expected
 * outcome is worked out here from R1, R2 and R4 directly, not from the machine's code.
 */
class PollTableTest {

  /** A row of the table: the tenant before the poll. */
  record Prior(String name, TenantSnapshot snapshot) {
  }

  /** One cell of the table. */
  record Case(String priorName, TenantSnapshot prior, TenantStatus polled) {
    @Override
    public String toString() {
      return priorName + " <- polled " + polled.rawState() + " IsRunning=" + polled.isRunning();
    }
  }

  private static final Set<TenantState> RUNNING_STATES = Set.of(TenantState.RUNNING, TenantState.ONLINE_MAINTENANCE);
  private static final Set<TenantState> TRANSITIONAL = Set.of(TenantState.UNKNOWN, TenantState.PROVISIONING,
      TenantState.OFFLINE_MAINTENANCE, TenantState.DELETING);

  static Stream<Case> table() {
    List<Case> cases = new ArrayList<>();
    for (Prior prior : priors()) {
      for (TenantStatus polled : polledStatuses()) {
        cases.add(new Case(prior.name(), prior.snapshot(), polled));
      }
    }
    return cases.stream();
  }

  private static List<Prior> priors() {
    List<Prior> priors = new ArrayList<>();
    // A failing run before the poll, so the test also sees the counters reset.
    priors.add(new Prior("never polled", MachineFixtures.fresh()
        .withSchedule(new PollSchedule(null, 3, "timeout: slow", true))));
    for (TenantState state : TenantState.values()) {
      if (state == TenantState.DELETED) {
        priors.add(new Prior("retired Deleted", MachineFixtures.retired()));
        continue;
      }
      // IsRunning can say either for any state, so both gate positions are reachable from every state.
      priors.add(new Prior("open " + state, MachineFixtures.polled(state, true)));
      priors.add(new Prior("closed " + state, MachineFixtures.polled(state, false)));
    }
    return priors;
  }

  private static List<TenantStatus> polledStatuses() {
    List<TenantStatus> statuses = new ArrayList<>();
    for (Boolean isRunning : Arrays.asList(Boolean.TRUE, Boolean.FALSE, null)) {
      for (TenantState state : TenantState.values()) {
        statuses.add(MachineFixtures.status(state, isRunning));
      }
      statuses.add(MachineFixtures.rawStatus("Frozen", isRunning));
    }
    return statuses;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  @DisplayName("A successful poll moves the gate on edges only, retires on Deleted and records what it did")
  void pollOutcome(Case c) {
    TenantMachine.Step step = MachineFixtures.machine().apply(c.prior(), MachineFixtures.success(c.polled()), NOW);

    if (c.prior().retired()) {
      assertThat(step.snapshot()).isEqualTo(c.prior());
      assertThat(step.effects()).isEmpty();
      return;
    }
    String from = c.prior().state() == TenantState.UNKNOWN ? "Unknown" : c.prior().state().displayName();
    String to = c.polled().state() == TenantState.UNKNOWN ? c.polled().rawState() : c.polled().state().displayName();
    TenantSnapshot after = step.snapshot();
    assertThat(after.state()).isEqualTo(c.polled().state());
    assertThat(after.rawState()).isEqualTo(c.polled().rawState());
    assertThat(after.lastPolledAt()).isEqualTo(NOW);
    assertThat(after.consecutiveFailures()).isZero();
    assertThat(after.lastError()).isNull();
    assertThat(after.stale()).isFalse();

    if (c.polled().state() == TenantState.DELETED) {
      Command retire = command(CommandType.RETIRE, "Deleted", false, "poll", c.prior().seq() + 1);
      assertThat(step.effects()).containsExactly(
          send(retire), publish(entry(from, to, "poll", retire)), new Effect.StopPolling());
      assertThat(after.retired()).isTrue();
      assertThat(after.open()).isFalse();
      assertThat(after.nextPollAt()).isNull();
      assertThat(after.seq()).isEqualTo(c.prior().seq() + 1);
      assertThat(after.history()).hasSize(1);
      return;
    }

    boolean running = c.polled().isRunning() != null
        ? c.polled().isRunning() : RUNNING_STATES.contains(c.polled().state());
    List<Effect> expected = new ArrayList<>();
    List<Command> commands = new ArrayList<>();
    if (running != c.prior().open()) {
      commands.add(command(running ? CommandType.RESUME : CommandType.PAUSE, to, running, "poll", c.prior().seq() + 1));
    }
    commands.forEach(command -> expected.add(send(command)));
    boolean recorded = !commands.isEmpty() || !from.equals(to);
    if (recorded) {
      expected.add(publish(entry(from, to, "poll", commands.toArray(Command[]::new))));
    }
    boolean transitional = TRANSITIONAL.contains(c.polled().state());
    expected.add(schedulePoll(transitional ? NOW.plus(Duration.ofSeconds(30)) : VALID_UNTIL));

    assertThat(step.effects()).containsExactlyElementsOf(expected);
    assertThat(after.open()).isEqualTo(running);
    assertThat(after.polledRunning()).isEqualTo(running);
    assertThat(after.retired()).isFalse();
    assertThat(after.seq()).isEqualTo(c.prior().seq() + commands.size());
    assertThat(after.history()).hasSize(recorded ? 1 : 0);
  }
}
