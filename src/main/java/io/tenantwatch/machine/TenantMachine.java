package io.tenantwatch.machine;

import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The pure state machine of one tenant: {@code (snapshot, event, now) -> (snapshot, effects)}. It reads
 * no clock and touches no I/O; the tenant's verticle feeds it events and carries out the effects in the
 * order given: {@link Effect.SendCommand}s, then {@link Effect.Publish}, then the scheduling effects,
 * then {@link Effect.Stop}.
 *
 * <p>What each event does:
 * <ul>
 *   <li>{@code Started}, {@code PollDue}: ask for a poll now (reason {@code start} / {@code timer}).</li>
 *   <li>{@code PollForced}: ask for a poll now, {@code admin} priority when single, {@code timer} for a
 *       re-poll of all tenants; the next successful poll's step has cause {@code admin}.</li>
 *   <li>{@code PollSucceeded}: take the polled state, endpoint and api as the truth (R1). The gate follows
 *       the polled running flag unless a notification hold is on (the hold only ever keeps it closed, R5);
 *       only edges send {@code resume}/{@code pause} (R2); a move while open sends {@code endpoint} (R3),
 *       while closed it rides on the next {@code resume}; a pending BackupRestored sends one {@code resync}
 *       once open; Deleted sends {@code retire} and stops polling for good (R4). The next poll is planned
 *       by {@link PollPlan#afterSuccess} (R6).</li>
 *   <li>{@code PollFailed}: change nothing but counters, {@code stale} and the retry (R7); no command.</li>
 *   <li>{@code NotificationReceived}: see {@link NotificationRules} (R5).</li>
 *   <li>{@code SymptomReported}: see {@link ReportRules}; never a command, the gate stays as it is. A successful
 *       poll clears the suspect endpoint a {@code wrong-host} report marked.</li>
 *   <li>{@code HoldExpired}: the gate follows the last polled running flag again; an early or stale timer
 *       changes nothing.</li>
 *   <li>{@code Unwatched}: {@code retire} (reason {@code unwatched}), stop polling, stop the verticle; from
 *       any state, even a retired one.</li>
 * </ul>
 * A retired tenant (Deleted) ignores every event but {@code Unwatched}.
 *
 * <p>Every step that changes the state's name or sends a command is recorded in the bounded history and
 * published; commands carry {@code seq} one above the previous command's.
 */
public final class TenantMachine {

  /** The next snapshot and what the verticle must do, in order. */
  public record Step(TenantSnapshot snapshot, List<Effect> effects) {
    public Step {
      effects = List.copyOf(effects);
    }
  }

  private final PollSettings settings;
  private final DoubleSupplier random;
  private final PollPlan plan;
  private final NotificationRules notifications;
  private final ReportRules reports;

  /**
   * @param settings the timing rules
   * @param random uniform values in [0, 1) for jitter; tests pass a fixed one
   */
  public TenantMachine(PollSettings settings, DoubleSupplier random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
    this.plan = new PollPlan(settings);
    this.notifications = new NotificationRules(settings, plan);
    this.reports = new ReportRules(settings);
  }

  /**
   * Applies one event.
   *
   * @throws IllegalArgumentException when an argument or the event's payload is missing
   */
  public Step apply(TenantSnapshot snapshot, TenantEvent event, Instant now) {
    require(snapshot, "snapshot");
    require(event, "event");
    require(now, "time");
    if (event instanceof TenantEvent.Unwatched) {
      return unwatched(snapshot, now);
    }
    if (snapshot.retired()) {
      return unchanged(snapshot);
    }
    if (event instanceof TenantEvent.Started) {
      return pollNow(snapshot, PollReason.START);
    }
    if (event instanceof TenantEvent.PollDue) {
      return pollNow(snapshot, PollReason.TIMER);
    }
    if (event instanceof TenantEvent.PollForced forced) {
      PollReason reason = forced.single() ? PollReason.ADMIN : PollReason.TIMER;
      return pollNow(snapshot.withLifecycle(snapshot.lifecycle().withPendingCause(Cause.ADMIN)), reason);
    }
    if (event instanceof TenantEvent.PollSucceeded succeeded) {
      return succeeded(snapshot, require(succeeded.status(), "status"), now);
    }
    if (event instanceof TenantEvent.PollFailed failed) {
      return failed(snapshot, require(failed.failure(), "failure"), now);
    }
    if (event instanceof TenantEvent.NotificationReceived received) {
      return notifications.apply(snapshot, require(received.notification(), "notification"), now);
    }
    if (event instanceof TenantEvent.SymptomReported reported) {
      require(reported.symptom(), "symptom");
      return reports.apply(snapshot, reported, now);
    }
    if (event instanceof TenantEvent.HoldExpired) {
      return holdExpired(snapshot, now);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getSimpleName());
  }

  static Step unchanged(TenantSnapshot snapshot) {
    return new Step(snapshot, List.of());
  }

  /** A poll is requested, so none is scheduled until its result reschedules one. */
  static Step pollNow(TenantSnapshot next, PollReason reason) {
    return new Step(next.withNextPollAt(null), List.of(new Effect.PollNow(reason)));
  }

  private Step succeeded(TenantSnapshot before, TenantStatus status, Instant now) {
    Cause cause = before.pendingCause() != null ? before.pendingCause() : Cause.POLL;
    Transition step = new Transition(before, cause, now, settings.historyLimit());
    // A hold past its end is cleared here even if its timer has not fired yet (lazy expiry).
    Instant holdUntil = before.holdActive(now) ? before.holdUntil() : null;
    TenantSnapshot polled = before.withLastPoll(LastPoll.after(before.lastPoll(), status, now))
        .withLifecycle(before.lifecycle().withPendingCause(null))
        .withReports(before.reports().withEndpointSuspect(false));
    if (status.state() == TenantState.DELETED) {
      TenantSnapshot retired = polled.withGate(Gate.CLOSED).withSchedule(PollSchedule.succeeded(null))
          .withMoveHint(null).withLifecycle(polled.lifecycle().withResyncPending(false).retire());
      return step.send(CommandType.RETIRE).then(new Effect.StopPolling()).finish(retired);
    }
    boolean moved = !Objects.equals(before.endpoint(), status.endpoint())
        || !Objects.equals(before.api(), status.api());
    TenantSnapshot next = settleGate(step, polled.withGate(new Gate(before.open(), holdUntil)),
        holdUntil == null && status.running(), moved);
    MoveHint hint = before.moveHint();
    boolean hintPending = hint != null && hint.pendingAfter(now, status.endpoint(), status.api());
    boolean shortCap = status.state().transitional() || holdUntil != null || hintPending;
    Instant due = plan.afterSuccess(now, status.validUntil(), shortCap, random.getAsDouble());
    return step.then(new Effect.SchedulePoll(due))
        .finish(next.withSchedule(PollSchedule.succeeded(due)).withMoveHint(hintPending ? hint : null));
  }

  /**
   * R2, R3 and the BackupRestored resync: a gate edge sends {@code resume} or {@code pause}; an open gate
   * that stays open sends {@code endpoint} when the tenant moved; an open gate then sends the pending
   * {@code resync}. Answers {@code next} with the gate set and the resync settled.
   */
  private static TenantSnapshot settleGate(Transition step, TenantSnapshot next, boolean open, boolean moved) {
    if (next.open() != open) {
      step.send(open ? CommandType.RESUME : CommandType.PAUSE);
    } else if (open && moved) {
      step.send(CommandType.ENDPOINT);
    }
    boolean resync = open && next.resyncPending();
    if (resync) {
      step.send(CommandType.RESYNC);
    }
    return next.withOpen(open).withLifecycle(next.lifecycle().withResyncPending(next.resyncPending() && !resync));
  }

  private Step failed(TenantSnapshot before, PollFailure failure, Instant now) {
    int failures = before.consecutiveFailures() == Integer.MAX_VALUE
        ? Integer.MAX_VALUE : before.consecutiveFailures() + 1;
    boolean stale = before.validUntil() == null || !now.isBefore(before.validUntil());
    Instant due = plan.afterFailure(now, failures, failure.retryAfter(), random.getAsDouble());
    TenantSnapshot next = before.withSchedule(new PollSchedule(due, failures, failure.describe(), stale));
    return new Step(next, List.of(new Effect.SchedulePoll(due)));
  }

  private Step holdExpired(TenantSnapshot before, Instant now) {
    if (before.holdUntil() == null) {
      return unchanged(before);
    }
    if (before.holdActive(now)) {
      // An early or stale timer: re-arm the real end rather than lift the hold.
      return new Step(before, List.of(new Effect.ScheduleHoldEnd(before.holdUntil())));
    }
    Transition step = new Transition(before, Cause.POLL, now, settings.historyLimit());
    TenantSnapshot unheld = before.withGate(before.gate().withHoldUntil(null));
    return step.finish(settleGate(step, unheld, Boolean.TRUE.equals(before.polledRunning()), false));
  }

  private Step unwatched(TenantSnapshot before, Instant now) {
    TenantSnapshot next = before.withOpen(false).withNextPollAt(null).withLifecycle(before.lifecycle().retire());
    return new Transition(before, Cause.UNWATCHED, now, settings.historyLimit())
        .send(CommandType.RETIRE)
        .then(new Effect.StopPolling())
        .then(new Effect.Stop())
        .finish(next);
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("the " + name + " is missing");
    }
    return value;
  }
}
