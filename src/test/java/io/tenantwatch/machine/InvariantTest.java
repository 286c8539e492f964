package io.tenantwatch.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long seeded walks of random events (deterministic per seed) checking the rules that must hold after
 * every step, whatever came before: the gate follows the last poll unless held or retired, gate commands
 * alternate as a worker sees them, {@code seq} rises by one per command, failures change nothing but the
 * schedule, and retirement is terminal.
 */
class InvariantTest {
  private static final int STEPS = 400;
  private static final int[] CHANGE_TYPES = {0, 1, 2, 3, 4, 5, 42};
  private static final String[] HOSTS = {"sod2.superoffice.com", "sod3.superoffice.com"};

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 25);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  @DisplayName("Every step keeps the gate, sequence, failure and retirement rules")
  void walk(long seed) {
    Random rnd = new Random(seed);
    TenantMachine machine = new TenantMachine(MachineFixtures.SETTINGS, rnd::nextDouble);
    TenantSnapshot snapshot = MachineFixtures.fresh();
    Instant now = MachineFixtures.NOW;
    WorkerView worker = new WorkerView();
    for (int i = 0; i < STEPS; i++) {
      now = now.plusMillis(rnd.nextInt(90_000));
      TenantEvent event = randomEvent(rnd, now);
      TenantMachine.Step step = machine.apply(snapshot, event, now);
      String where = "seed " + seed + " step " + i + " " + event;

      checkEffectOrder(step.effects(), where);
      worker.apply(step.effects(), where);
      checkStep(snapshot, event, step, now, where);
      assertThat(step.snapshot().open()).as(where + ": workers see the machine's gate").isEqualTo(worker.open);
      checkGateRule(step.snapshot(), where);
      snapshot = step.snapshot();
      if (event instanceof TenantEvent.Unwatched) {
        return;
      }
    }
  }

  /** What a worker that applied every command in order believes. */
  private static final class WorkerView {
    boolean open;
    long seq;

    void apply(List<Effect> effects, String where) {
      for (Effect effect : effects) {
        if (!(effect instanceof Effect.SendCommand send)) {
          continue;
        }
        Command c = send.command();
        assertThat(c.seq()).as(where + ": seq rises by one").isEqualTo(seq + 1);
        seq = c.seq();
        switch (c.type()) {
          case RESUME -> assertThat(open).as(where + ": resume only from closed").isFalse();
          case PAUSE -> assertThat(open).as(where + ": pause only from open").isTrue();
          case ENDPOINT, RESYNC -> assertThat(open).as(where + ": endpoint/resync only while open").isTrue();
          case RETIRE -> { }
        }
        open = c.type().opensGate().orElse(open);
        assertThat(c.running()).as(where + ": a command says the gate after it").isEqualTo(open);
      }
    }
  }

  private static void checkStep(TenantSnapshot before, TenantEvent event, TenantMachine.Step step, Instant now,
      String where) {
    TenantSnapshot after = step.snapshot();
    if (before.retired() && !(event instanceof TenantEvent.Unwatched)) {
      assertThat(after).as(where + ": retired is terminal").isEqualTo(before);
      assertThat(step.effects()).as(where + ": retired is terminal").isEmpty();
      return;
    }
    if (event instanceof TenantEvent.PollFailed) {
      assertThat(after).as(where + ": a failure changes only counters and schedule").isEqualTo(before.toBuilder()
          .consecutiveFailures(after.consecutiveFailures()).lastError(after.lastError()).stale(after.stale())
          .nextPollAt(after.nextPollAt()).build());
      assertThat(step.effects()).as(where).hasSize(1).first().isInstanceOf(Effect.SchedulePoll.class);
    }
    boolean published = step.effects().stream().anyMatch(Effect.Publish.class::isInstance);
    boolean sent = step.effects().stream().anyMatch(Effect.SendCommand.class::isInstance);
    boolean renamed = !before.stateName().equals(after.stateName());
    assertThat(published).as(where + ": published exactly when renamed or sent").isEqualTo(sent || renamed);
    assertThat(after.history().size()).as(where).isLessThanOrEqualTo(MachineFixtures.SETTINGS.historyLimit());
    for (Effect effect : step.effects()) {
      if (effect instanceof Effect.SchedulePoll poll) {
        assertThat(poll.at()).as(where + ": never scheduled in the past").isAfterOrEqualTo(now);
        assertThat(poll.at()).as(where + ": never beyond the longest interval")
            .isBeforeOrEqualTo(now.plus(MachineFixtures.SETTINGS.maxPollInterval()));
        assertThat(after.nextPollAt()).as(where + ": the snapshot knows the schedule").isEqualTo(poll.at());
      }
    }
  }

  private static void checkGateRule(TenantSnapshot s, String where) {
    if (s.retired() || s.holdUntil() != null) {
      assertThat(s.open()).as(where + ": held or retired means closed").isFalse();
    } else {
      assertThat(s.open()).as(where + ": the gate follows the last poll").isEqualTo(Boolean.TRUE.equals(s.polledRunning()));
    }
  }

  private static void checkEffectOrder(List<Effect> effects, String where) {
    int phase = 0;
    for (Effect effect : effects) {
      int p = effect instanceof Effect.SendCommand ? 0 : effect instanceof Effect.Publish ? 1
          : effect instanceof Effect.Stop ? 3 : 2;
      assertThat(p).as(where + ": commands, publish, scheduling, stop").isGreaterThanOrEqualTo(phase);
      phase = p;
    }
  }

  private static TenantEvent randomEvent(Random rnd, Instant now) {
    int pick = rnd.nextInt(100);
    if (pick < 35) {
      return new TenantEvent.PollSucceeded(randomStatus(rnd, now));
    }
    if (pick < 50) {
      FailureKind kind = FailureKind.values()[rnd.nextInt(FailureKind.values().length)];
      Duration retryAfter = rnd.nextBoolean() ? null : Duration.ofSeconds(rnd.nextInt(900));
      return new TenantEvent.PollFailed(new PollFailure(kind, "random", 0, retryAfter));
    }
    if (pick < 70) {
      int code = CHANGE_TYPES[rnd.nextInt(CHANGE_TYPES.length)];
      String host = code == 5 && rnd.nextBoolean() ? HOSTS[rnd.nextInt(HOSTS.length)] : null;
      return new TenantEvent.NotificationReceived(
          new Notification(MachineFixtures.TENANT, ChangeType.of(code), null, null, host));
    }
    if (pick < 78) {
      return new TenantEvent.HoldExpired();
    }
    if (pick < 86) {
      return new TenantEvent.PollDue();
    }
    if (pick < 93) {
      return new TenantEvent.PollForced(rnd.nextBoolean());
    }
    // Unwatching ends the walk, so it is rare enough that most walks run long.
    return pick == 99 && rnd.nextInt(4) == 0 ? new TenantEvent.Unwatched() : new TenantEvent.Started();
  }

  private static TenantStatus randomStatus(Random rnd, Instant now) {
    // Deleted is rare so that most walks spend their length alive; a few still reach it.
    TenantState[] states = TenantState.values();
    TenantState state = states[rnd.nextInt(states.length)];
    if (state == TenantState.DELETED && rnd.nextInt(10) != 0) {
      state = TenantState.RUNNING;
    }
    String raw = state == TenantState.UNKNOWN && rnd.nextBoolean() ? "Frozen" : state.displayName();
    Boolean isRunning = switch (rnd.nextInt(3)) {
      case 0 -> Boolean.TRUE;
      case 1 -> Boolean.FALSE;
      default -> null;
    };
    String host = HOSTS[rnd.nextInt(HOSTS.length)];
    String endpoint = "https://" + host + ":443/" + MachineFixtures.TENANT;
    Instant validUntil = now.plusSeconds(rnd.nextInt(7200) - 600);
    return new TenantStatus(MachineFixtures.TENANT, endpoint, state, raw, isRunning, validUntil, endpoint + "/api",
        null);
  }
}
