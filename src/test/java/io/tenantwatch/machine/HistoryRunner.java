package io.tenantwatch.machine;

import io.tenantwatch.domain.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Plays a generated history through a machine the way its verticle would: one {@code Started} first, then
 * each move at its moment, with the shell's keyed timers (a poll timer and a hold timer, armed and
 * disarmed by the effects, gone once fired) so that timers can fire on time, late, early or twice.
 * After every step {@link MachineInvariants} checks the rules.
 */
final class HistoryRunner {
  static final Instant START = MachineFixtures.NOW;

  /** The machine under test: the real one, or a deliberately broken one to prove the checks bite. */
  @FunctionalInterface
  interface MachineUnderTest {
    TenantMachine.Step apply(TenantSnapshot snapshot, TenantEvent event, Instant now);
  }

  /** Makes the machine for a history's settings; {@code random} answers the current move's draw. */
  @FunctionalInterface
  interface MachineFactory {
    MachineUnderTest create(PollSettings settings, DoubleSupplier random);
  }

  static final MachineFactory REAL = (settings, random) -> new TenantMachine(settings, random)::apply;

  /**
   * A generated history: the settings it runs with, the lease epoch its tenant's snapshot starts at (0 for
   * a single node, above 0 for a tenant a cluster node took over), and its moves.
   */
  record History(PollSettings settings, long epoch, List<HistoryMove> moves) {
    History withMoves(List<HistoryMove> fewer) {
      return new History(settings, epoch, List.copyOf(fewer));
    }
  }

  /**
   * What a run came to. {@code violation} is null when every rule held; otherwise {@code failedAt} is the
   * index of the move whose step broke it (-1: the initial {@code Started}).
   */
  record Outcome(History history, List<String> trace, MachineInvariants.Violation violation, int failedAt) {
    boolean failed() {
      return violation != null;
    }
  }

  private final MachineFactory factory;

  HistoryRunner(MachineFactory factory) {
    this.factory = factory;
  }

  /** Runs one history, as fast as it goes: no trace. */
  Outcome run(History history) {
    return run(history, null, false);
  }

  /** Runs one history keeping a readable line per move, for the report of a failure. */
  Outcome traced(History history) {
    return run(history, null, true);
  }

  /**
   * Runs one history.
   *
   * @param labels when not null, receives a label for each kind of step taken (coverage)
   * @param traced whether to keep a readable line per move (costly: only for reports)
   */
  Outcome run(History history, Set<String> labels, boolean traced) {
    double[] draw = {0.5};
    MachineUnderTest machine = factory.create(history.settings(), () -> draw[0]);
    MachineInvariants invariants = new MachineInvariants(history.settings(), history.epoch());
    List<String> trace = traced ? new ArrayList<>() : null;
    TenantSnapshot snapshot = TenantSnapshot.initial(MachineFixtures.TENANT).withEpoch(history.epoch());
    note(labels, history.epoch() == 0 ? "epoch:single-node" : "epoch:taken-over");
    ShellTimers timers = new ShellTimers();
    Instant now = START;
    for (int i = -1; i < history.moves().size(); i++) {
      HistoryMove move = i < 0 ? new HistoryMove.Start() : history.moves().get(i);
      Moment moment = moment(move, now, timers, snapshot);
      now = moment.now();
      note(labels, moment.label());
      if (moment.event() == null) {
        addLine(trace, i, now, move, null);
        continue;
      }
      draw[0] = move instanceof HistoryMove.PollOk ok ? ok.draw()
          : move instanceof HistoryMove.PollError error ? error.draw() : 0.5;
      TenantMachine.Step step;
      try {
        step = machine.apply(snapshot, moment.event(), now);
      } catch (RuntimeException e) {
        addLine(trace, i, now, move, null);
        return new Outcome(history, trace, new MachineInvariants.Violation("no-throw", "the machine threw " + e), i);
      }
      addLine(trace, i, now, move, step);
      try {
        invariants.check(snapshot, moment.event(), now, step);
      } catch (MachineInvariants.Violation v) {
        return new Outcome(history, trace, v, i);
      }
      snapshot = step.snapshot();
      timers.observe(moment.event(), step.effects());
    }
    return new Outcome(history, trace, null, history.moves().size());
  }

  /** A move made concrete: when it happens, the event it is (null for a clock jump), a coverage label. */
  private record Moment(Instant now, TenantEvent event, String label) {
  }

  private static Moment moment(HistoryMove move, Instant now, ShellTimers timers, TenantSnapshot snapshot) {
    if (move instanceof HistoryMove.Start) {
      return new Moment(now, new TenantEvent.Started(), "start");
    }
    if (move instanceof HistoryMove.Advance advance) {
      return new Moment(now.plusMillis(advance.millis()), null, "clock:" + HistoryTrace.magnitude(advance.millis()));
    }
    if (move instanceof HistoryMove.PollOk ok) {
      return new Moment(now, new TenantEvent.PollSucceeded(ok.status(now)),
          "poll-ok:" + HistoryGenerator.stateLabel(ok) + ":IsRunning=" + ok.isRunning());
    }
    if (move instanceof HistoryMove.PollError error) {
      return new Moment(now, new TenantEvent.PollFailed(error.failure()),
          "poll-failed:" + error.kind().wireName() + (error.retryAfterMillis() == null ? "" : "+retry-after"));
    }
    if (move instanceof HistoryMove.Notify notify) {
      Notification notification = new Notification(MachineFixtures.TENANT, notify.type(), "Release_11.10", "",
          notify.publicEndpoint());
      return new Moment(now, new TenantEvent.NotificationReceived(notification),
          "notification:" + (notify.type().known().isPresent() ? notify.type().label() : "unknown"));
    }
    if (move instanceof HistoryMove.Report report) {
      return new Moment(now, new TenantEvent.SymptomReported(report.symptom(), report.apiFor(snapshot.api())),
          "report:" + report.symptom().wireName() + ":" + report.api().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (move instanceof HistoryMove.Force force) {
      return new Moment(now, new TenantEvent.PollForced(force.single()),
          force.single() ? "forced:single" : "forced:bulk");
    }
    if (move instanceof HistoryMove.FirePollTimer fire) {
      if (timers.poll() == null) {
        return new Moment(now, new TenantEvent.PollDue(), "poll-timer:stale");
      }
      Instant due = timers.poll().plusMillis(fire.lateMillis());
      String label = !now.isBefore(due) ? "poll-timer:overdue" : fire.lateMillis() == 0 ? "poll-timer:on-time"
          : "poll-timer:late";
      return new Moment(now.isBefore(due) ? due : now, new TenantEvent.PollDue(), label);
    }
    if (move instanceof HistoryMove.FireHoldTimer fire) {
      if (timers.hold() == null) {
        return new Moment(now, new TenantEvent.HoldExpired(), "hold-timer:stale");
      }
      Instant due = timers.hold().plusMillis(fire.offsetMillis());
      Instant at = now.isBefore(due) ? due : now;
      String label = at.isBefore(timers.hold()) ? "hold-timer:early" : at.equals(timers.hold()) ? "hold-timer:on-time"
          : "hold-timer:late";
      return new Moment(at, new TenantEvent.HoldExpired(), label);
    }
    return new Moment(now, new TenantEvent.Unwatched(), "unwatch");
  }

  private static void addLine(List<String> trace, int index, Instant now, HistoryMove move, TenantMachine.Step step) {
    if (trace != null) {
      trace.add(HistoryTrace.line(index, now, move, step));
    }
  }

  private static void note(Set<String> labels, String label) {
    if (labels != null) {
      labels.add(label);
    }
  }
}
