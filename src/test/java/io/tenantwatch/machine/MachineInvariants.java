package io.tenantwatch.machine;

import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rules a tenant's machine keeps after every step, whatever came before, checked against a model of
 * the tenant kept from the events alone (not from the machine's snapshot): the last successful poll's
 * running flag, the hold, retirement, and what a worker that applied every command believes. One
 * instance follows one history; {@link #check} throws a {@link Violation} naming the rule broken.
 *
 * <p>The rules, by name:
 * <ul>
 *   <li>{@code terminal}: once retired (a poll confirmed Deleted, or unwatched) nothing changes and
 *       nothing is done, except that an unwatch sends its {@code retire} (R4).</li>
 *   <li>{@code failure}: a failed poll changes nothing but the failure counters, {@code lastError},
 *       {@code stale} and the schedule, and sends nothing (R7).</li>
 *   <li>{@code seq}: every command's {@code seq} is one above the previous command's; the snapshot's
 *       {@code seq} is the last one sent.</li>
 *   <li>{@code epoch}: every command carries the epoch the tenant's snapshot was given (0 on a single node,
 *       the owner's lease epoch in a cluster), the machine never changes it, and the {@code (epoch, seq)} pairs
 *       a worker sees rise strictly across the history.</li>
 *   <li>{@code alternation}: as a worker sees them, {@code resume} only follows a closed gate and
 *       {@code pause} an open one (never two of either without the other, or a retire, between);
 *       {@code endpoint} and {@code resync} only while open; after a {@code retire} only an unwatch's
 *       {@code retire}; every command's {@code running} is the gate after it (R2).</li>
 *   <li>{@code gate}: the gate is closed once retired, closed while a hold is on, and otherwise equals
 *       the last successful poll's running flag ({@code IsRunning}, or Running/OnlineMaintenance when it
 *       is absent), closed before the first (R1, R5). A hold is on from a closing notification until the
 *       first successful poll or hold timer at or after its end (the hold is a floor).</li>
 *   <li>{@code commands}: the step sends exactly what R2 to R5 ask: an edge's {@code resume}/{@code pause},
 *       an {@code endpoint} when an open tenant moved, one {@code resync} once open after BackupRestored,
 *       {@code retire} on Deleted or unwatch; with the state, endpoint, api and reason of the step.</li>
 *   <li>{@code schedule}: after a success the next poll is at or after {@code ValidUntil} (within the
 *       jitter) and {@code nextPollAt - now} lies in {@code [minPollInterval, cap]}, the cap in force
 *       being {@code transitionalPollInterval} when the polled state is transitional, a hold is on or a
 *       Move hint is pending, else {@code maxPollInterval} (R6); after a failure it lies in
 *       {@code [retryMin, retryMax]}, below the backoff ceiling, and not before {@code Retry-After} (R7);
 *       after a closing notification the confirming poll is due within {@code transitionalPollInterval}
 *       (R5); a requested poll leaves none scheduled; the snapshot's {@code nextPollAt} is the armed one;
 *       a live tenant always has a poll scheduled or in flight.</li>
 *   <li>{@code report}: a symptom report changes nothing but the schedule and the reports' bookkeeping, and does
 *       nothing but ask for a poll now (only when none is asked for, and at least {@code minPollInterval} after
 *       the last poll for reports) or bring the next poll forward (to a poll for reports at least
 *       {@code minPollInterval} after the last one, or back to the one reserved); after it a poll is asked for or
 *       due within {@code minPollInterval}, so no report goes unanswered. The endpoint is suspect from a
 *       {@code wrong-host} report about the current api (or none) until a successful poll.</li>
 *   <li>{@code view}: the snapshot shows the polled facts, the hold's end, {@code stale}; a step is
 *       published exactly when it sends a command or renames the state; the history stays bounded;
 *       effects come in their fixed order.</li>
 * </ul>
 */
final class MachineInvariants {

  /** A broken rule: which one, and what was seen. */
  static final class Violation extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String rule;

    Violation(String rule, String detail) {
      super(rule + ": " + detail, null, false, false);
      this.rule = rule;
    }

    String rule() {
      return rule;
    }
  }

  private final PollSettings settings;
  /** The lease epoch the history's tenant was given; the machine stamps it on every command. */
  private final long epoch;

  // The model, kept from the events alone.
  private Boolean lastRunning;
  private String lastEndpoint;
  private String lastApi;
  private Instant lastValidUntil;
  private Instant holdEnd;
  private String hint;
  private Instant hintUntil;
  private boolean resyncPending;
  private String pendingCause;
  private String stepCause;
  private boolean retired;
  private boolean pollInFlight;
  private int failures;
  private boolean suspect;
  /** When the last poll for reports was asked for, or is due when a report brought the next poll forward. */
  private Instant reportPollAt;
  // The verticle's timers as the effects left them.
  private final ShellTimers timers = new ShellTimers();

  // What a worker that applied every command in order believes.
  private boolean workerOpen;
  private boolean workerRetired;
  private long workerSeq;
  private Fence workerFence = Fence.NONE;

  MachineInvariants(PollSettings settings, long epoch) {
    this.settings = settings;
    this.epoch = epoch;
  }

  /** Checks one step of the machine against the rules, then moves the model past it. */
  void check(TenantSnapshot before, TenantEvent event, Instant now, TenantMachine.Step step) {
    TenantSnapshot after = step.snapshot();
    List<Command> commands = commandsOf(step);
    checkEffectOrder(step.effects());
    timers.observe(event, step.effects());
    if (event instanceof TenantEvent.Unwatched) {
      checkUnwatch(step, commands);
    } else if (retired) {
      rule("terminal", after.equals(before) && step.effects().isEmpty(),
          "a retired tenant changed or acted on %s: %s", event, step.effects());
      return;
    }
    boolean wasOpen = gateOpen();
    List<CommandType> expected = advanceModel(event, now, wasOpen);
    if (event instanceof TenantEvent.SymptomReported reported) {
      checkReport(before, reported, now, step);
    }
    checkAsWorkersSeeIt(commands, after);
    if (event instanceof TenantEvent.PollFailed failed) {
      checkFailure(before, failed.failure(), now, step);
    }
    rule("gate", after.open() == gateOpen(), "the gate is %s, the rules say %s (last poll running=%s, hold %s, "
        + "retired %s)", after.open() ? "open" : "closed", gateOpen() ? "open" : "closed", lastRunning,
        holdEnd == null ? "off" : "on until " + holdEnd, retired);
    checkCommands(commands, expected, after, now);
    checkSchedule(before, event, now, step);
    checkView(before, event, now, step, commands);
  }

  private void checkUnwatch(TenantMachine.Step step, List<Command> commands) {
    rule("terminal", commands.size() == 1 && commands.get(0).type() == CommandType.RETIRE
        && Cause.UNWATCHED.text().equals(commands.get(0).reason()),
        "an unwatch sends one retire (reason unwatched), sent %s", commands);
    rule("terminal", step.effects().stream().anyMatch(Effect.StopPolling.class::isInstance)
        && step.effects().stream().anyMatch(Effect.Stop.class::isInstance)
        && step.effects().stream().noneMatch(e -> e instanceof Effect.SchedulePoll || e instanceof Effect.PollNow),
        "an unwatch stops polling and the verticle: %s", step.effects());
  }

  /** Moves the model past the event; answers the command types R2 to R5 ask this step to send. */
  private List<CommandType> advanceModel(TenantEvent event, Instant now, boolean wasOpen) {
    List<CommandType> expected = new ArrayList<>();
    stepCause = Cause.POLL.text();
    if (event instanceof TenantEvent.Unwatched) {
      stepCause = Cause.UNWATCHED.text();
      retired = true;
      expected.add(CommandType.RETIRE);
    } else if (event instanceof TenantEvent.PollSucceeded succeeded) {
      TenantStatus status = succeeded.status();
      pollInFlight = false;
      failures = 0;
      suspect = false;
      boolean moved = !Objects.equals(lastEndpoint, status.endpoint()) || !Objects.equals(lastApi, status.api());
      lastRunning = status.isRunning() != null ? status.isRunning() : status.state().running();
      lastEndpoint = status.endpoint();
      lastApi = status.api();
      lastValidUntil = status.validUntil();
      stepCause = pendingCause != null ? pendingCause : Cause.POLL.text();
      pendingCause = null;
      if (status.state() == TenantState.DELETED) {
        retired = true;
        expected.add(CommandType.RETIRE);
        return expected;
      }
      if (holdEnd != null && !now.isBefore(holdEnd)) {
        holdEnd = null;
      }
      if (hint != null && (!now.isBefore(hintUntil) || MoveHint.confirmedBy(hint, status.endpoint(), status.api()))) {
        hint = null;
        hintUntil = null;
      }
      gateSteps(wasOpen, moved, expected);
    } else if (event instanceof TenantEvent.PollFailed) {
      pollInFlight = false;
      failures = failures == Integer.MAX_VALUE ? failures : failures + 1;
    } else if (event instanceof TenantEvent.NotificationReceived received) {
      ChangeType type = received.notification().changeType();
      pendingCause = Cause.notification(type).text();
      stepCause = pendingCause;
      if (type.closesGate()) {
        Instant end = now.plus(settings.notificationHold());
        holdEnd = holdEnd != null && holdEnd.isAfter(end) ? holdEnd : end;
        if (wasOpen) {
          expected.add(CommandType.PAUSE);
        }
      } else {
        pollInFlight = true;
        resyncPending |= type.is(ChangeType.Known.BACKUP_RESTORED);
        String host = type.is(ChangeType.Known.MOVE) ? MoveHint.hostOf(received.notification().publicEndpoint()) : null;
        if (host != null) {
          hint = host;
          hintUntil = now.plus(settings.notificationHold());
        }
      }
    } else if (event instanceof TenantEvent.HoldExpired) {
      if (holdEnd != null && !now.isBefore(holdEnd)) {
        holdEnd = null;
        gateSteps(wasOpen, false, expected);
      }
    } else if (event instanceof TenantEvent.SymptomReported) {
      return expected; // checkReport moves the model: what it does depends on the step
    } else if (event instanceof TenantEvent.PollForced) {
      pendingCause = Cause.ADMIN.text();
      pollInFlight = true;
    } else {
      pollInFlight = true; // Started, PollDue
    }
    return expected;
  }

  /** Symptom reports: a poll, at most one per minPollInterval, and nothing else; the suspect endpoint. */
  private void checkReport(TenantSnapshot before, TenantEvent.SymptomReported report, Instant now,
      TenantMachine.Step step) {
    TenantSnapshot after = step.snapshot();
    rule("report", after.equals(before.withNextPollAt(after.nextPollAt()).withReports(after.reports())),
        "a report changed more than the schedule and the reports' bookkeeping: %s -> %s", before, after);
    if (report.symptom() == Symptom.WRONG_HOST && (report.api() == null || report.api().equals(lastApi))) {
      suspect = true;
    }
    Duration min = settings.minPollInterval();
    List<Effect> effects = step.effects();
    if (effects.equals(List.of(new Effect.PollNow(PollReason.REPORT)))) {
      rule("report", before.nextPollAt() != null, "a report asked for a poll while one was asked for already");
      rule("report", reportPollAt == null || !now.isBefore(reportPollAt.plus(min)),
          "a report asked for a poll at %s, the last poll for reports was at %s", now, reportPollAt);
      reportPollAt = now;
      pollInFlight = true;
    } else if (effects.size() == 1 && effects.get(0) instanceof Effect.SchedulePoll poll) {
      rule("report", poll.at().isBefore(before.nextPollAt()), "a report moved the next poll from %s to %s",
          before.nextPollAt(), poll.at());
      rule("report", poll.at().equals(reportPollAt) || (reportPollAt != null && !poll.at().isBefore(reportPollAt.plus(min))),
          "a report brought the next poll to %s, within minPollInterval of the last poll for reports at %s", poll.at(),
          reportPollAt);
      reportPollAt = poll.at();
    } else {
      rule("report", effects.isEmpty(), "a report did %s", effects);
    }
    rule("report", after.nextPollAt() == null || !after.nextPollAt().isAfter(now.plus(min)),
        "a report at %s is left unanswered until the poll at %s", now, after.nextPollAt());
  }

  /** R2, R3 and the resync: what the gate settling after a poll or a hold's end sends. */
  private void gateSteps(boolean wasOpen, boolean moved, List<CommandType> expected) {
    boolean open = gateOpen();
    if (wasOpen != open) {
      expected.add(open ? CommandType.RESUME : CommandType.PAUSE);
    } else if (open && moved) {
      expected.add(CommandType.ENDPOINT);
    }
    if (open && resyncPending) {
      expected.add(CommandType.RESYNC);
      resyncPending = false;
    }
  }

  private boolean gateOpen() {
    return !retired && holdEnd == null && Boolean.TRUE.equals(lastRunning);
  }

  /** R2 from the worker's side: {@code seq} and the alternation of gate commands. */
  private void checkAsWorkersSeeIt(List<Command> commands, TenantSnapshot after) {
    for (Command c : commands) {
      rule("seq", c.seq() == workerSeq + 1, "%s carries seq %d after seq %d", c.type(), c.seq(), workerSeq);
      workerSeq = c.seq();
      rule("epoch", c.epoch() == epoch, "%s carries epoch %d, the tenant's is %d", c.type(), c.epoch(), epoch);
      rule("epoch", c.fence().isAbove(workerFence), "%s at %s is not above %s, the last a worker applied", c.type(),
          c.fence(), workerFence);
      workerFence = c.fence();
      switch (c.type()) {
        case RESUME -> rule("alternation", !workerOpen && !workerRetired, "resume while workers already %s",
            workerRetired ? "retired" : "have it open");
        case PAUSE -> rule("alternation", workerOpen && !workerRetired, "pause while workers already %s",
            workerRetired ? "retired" : "have it closed");
        case ENDPOINT, RESYNC -> rule("alternation", workerOpen && !workerRetired, "%s while workers have it closed",
            c.type());
        case RETIRE -> rule("alternation", !workerRetired || Cause.UNWATCHED.text().equals(c.reason()),
            "a second retire not from an unwatch");
      }
      workerOpen = c.type().opensGate().orElse(workerOpen);
      workerRetired |= c.type() == CommandType.RETIRE;
      rule("alternation", c.running() == workerOpen, "%s says running=%s, leaving workers %s", c.type(), c.running(),
          workerOpen ? "open" : "closed");
    }
    rule("seq", after.seq() == workerSeq, "the snapshot says seq %d, the last command sent was %d", after.seq(),
        workerSeq);
    rule("epoch", after.epoch() == epoch, "the snapshot's epoch became %d, the tenant's is %d", after.epoch(), epoch);
    rule("alternation", after.open() == workerOpen, "the machine's gate is %s, its workers were told %s",
        after.open() ? "open" : "closed", workerOpen ? "open" : "closed");
  }

  /** R2 to R5 from the rules' side: exactly the commands asked for, carrying the step's facts. */
  private void checkCommands(List<Command> commands, List<CommandType> expected, TenantSnapshot after, Instant now) {
    List<CommandType> sent = commands.stream().map(Command::type).toList();
    rule("commands", sent.equals(expected), "sent %s, the rules ask for %s", sent, expected);
    for (Command c : commands) {
      rule("commands", c.tenant().equals(after.tenant()) && c.state().equals(after.stateName())
          && Objects.equals(c.endpoint(), after.endpoint()) && Objects.equals(c.api(), after.api())
          && c.at().equals(now), "%s does not carry the tenant's state, endpoint and api after the step", c);
    }
  }

  private void checkFailure(TenantSnapshot before, PollFailure failure, Instant now, TenantMachine.Step step) {
    TenantSnapshot after = step.snapshot();
    TenantSnapshot onlyBookkeeping = before.withSchedule(new PollSchedule(after.nextPollAt(),
        after.consecutiveFailures(), after.lastError(), after.stale()));
    rule("failure", after.equals(onlyBookkeeping), "a %s failure changed more than counters and schedule: %s -> %s",
        failure.kind().wireName(), before, after);
    rule("failure", step.effects().size() == 1 && step.effects().get(0) instanceof Effect.SchedulePoll,
        "a failure does only schedule a retry, did %s", step.effects());
    rule("failure", after.consecutiveFailures() == failures, "%d failures in a row, the snapshot says %d", failures,
        after.consecutiveFailures());
    rule("view", after.stale() == (lastValidUntil == null || !now.isBefore(lastValidUntil)),
        "stale=%s with ValidUntil %s at %s", after.stale(), lastValidUntil, now);
    long delay = Duration.between(now, after.nextPollAt()).toMillis();
    long min = settings.retryMin().toMillis();
    long max = settings.retryMax().toMillis();
    long ceiling = backoffCeiling(failures);
    long floor = min;
    if (failure.retryAfter() != null) {
      floor = Math.max(min, Math.min(failure.retryAfter().toMillis(), max));
      ceiling = Math.max(ceiling, floor);
    }
    rule("schedule", delay >= floor && delay <= ceiling && delay <= max,
        "retry %d ms after failure %d (Retry-After %s) is outside [%d, %d], retryMax %d", delay, failures,
        failure.retryAfter(), floor, ceiling, max);
  }

  /** {@code min(retryMax, retryMin x 2^(n-1))}, saturating. */
  private long backoffCeiling(int n) {
    long min = settings.retryMin().toMillis();
    long max = settings.retryMax().toMillis();
    long ceiling = min;
    for (int i = 1; i < n && ceiling < max; i++) {
      ceiling *= 2;
    }
    return Math.min(ceiling, max);
  }

  private void checkSchedule(TenantSnapshot before, TenantEvent event, Instant now, TenantMachine.Step step) {
    TenantSnapshot after = step.snapshot();
    for (Effect effect : step.effects()) {
      if (effect instanceof Effect.SchedulePoll poll) {
        rule("schedule", poll.at().equals(after.nextPollAt()), "armed %s, the snapshot says %s", poll.at(),
            after.nextPollAt());
      } else if (effect instanceof Effect.PollNow) {
        rule("schedule", after.nextPollAt() == null, "a poll is asked for now but one is still due at %s",
            after.nextPollAt());
      }
    }
    if (retired) {
      rule("schedule", after.nextPollAt() == null && step.effects().stream()
          .noneMatch(e -> e instanceof Effect.SchedulePoll || e instanceof Effect.PollNow),
          "a retired tenant is polled again: %s", step.effects());
      return;
    }
    rule("schedule", Objects.equals(after.nextPollAt(), timers.poll()), "the snapshot says the next poll is at %s, "
        + "the poll timer is armed for %s", after.nextPollAt(), timers.poll());
    rule("schedule", timers.poll() != null || pollInFlight, "a live tenant has no poll timer armed and none in flight");
    rule("schedule", holdEnd == null || holdEnd.equals(timers.hold()), "the hold ends %s, its timer is armed for %s",
        holdEnd, timers.hold());
    if (event instanceof TenantEvent.PollSucceeded succeeded) {
      checkPlannedAfterSuccess(succeeded.status(), now, after.nextPollAt());
    } else if (event instanceof TenantEvent.NotificationReceived received
        && received.notification().changeType().closesGate()) {
      Duration wait = Duration.between(now, after.nextPollAt());
      rule("schedule", wait.compareTo(settings.transitionalPollInterval()) <= 0,
          "the confirming poll is due %s after a closing notification", wait);
    }
  }

  /** R6: {@code ValidUntil} plus jitter, clamped to {@code [now + minPollInterval, now + cap]}. */
  private void checkPlannedAfterSuccess(TenantStatus status, Instant now, Instant next) {
    boolean transitional = status.state().transitional() || holdEnd != null || hint != null;
    long cap = (transitional ? settings.transitionalPollInterval() : settings.maxPollInterval()).toNanos();
    long min = settings.minPollInterval().toNanos();
    long target = Math.min(Duration.between(now, status.validUntil()).toNanos(), Long.MAX_VALUE / 4);
    double jittered = target + settings.jitterRatio() * Math.max(0, target);
    double lower = Math.min(Math.max(target, min), cap);
    double upper = Math.min(Math.max(jittered, min), cap);
    long delay = Duration.between(now, next).toNanos();
    rule("schedule", delay <= cap, "the next poll is %s away, past the %s cap of %s", Duration.ofNanos(delay),
        transitional ? "transitional" : "maximum", Duration.ofNanos(cap));
    rule("schedule", delay >= lower && delay <= upper + 1_000,
        "the next poll is %s away, not within [%s, %s] for ValidUntil %s", Duration.ofNanos(delay),
        Duration.ofNanos((long) lower), Duration.ofNanos((long) upper), status.validUntil());
  }

  private void checkView(TenantSnapshot before, TenantEvent event, Instant now, TenantMachine.Step step,
      List<Command> commands) {
    TenantSnapshot after = step.snapshot();
    if (event instanceof TenantEvent.PollSucceeded succeeded) {
      TenantStatus s = succeeded.status();
      rule("view", after.state() == s.state() && Objects.equals(after.rawState(), s.rawState())
          && Objects.equals(after.endpoint(), s.endpoint()) && Objects.equals(after.api(), s.api())
          && Objects.equals(after.validUntil(), s.validUntil()) && now.equals(after.lastPolledAt())
          && after.consecutiveFailures() == 0 && after.lastError() == null && !after.stale(),
          "the snapshot does not show the polled facts: %s", after);
    }
    if (!retired) {
      rule("view", Objects.equals(after.holdUntil(), holdEnd), "holdUntil %s, the hold ends %s", after.holdUntil(),
          holdEnd);
      rule("report", after.endpointSuspect() == suspect, "the endpoint is%s suspect, the reports say it is%s",
          after.endpointSuspect() ? "" : " not", suspect ? "" : " not");
    }
    boolean published = step.effects().stream().anyMatch(Effect.Publish.class::isInstance);
    boolean renamed = !before.stateName().equals(after.stateName());
    rule("view", published == (!commands.isEmpty() || renamed), "published=%s, sent %s, renamed %s -> %s",
        published, commands, before.stateName(), after.stateName());
    rule("view", after.history().size() <= settings.historyLimit(), "%d history entries, limit %d",
        after.history().size(), settings.historyLimit());
    if (!commands.isEmpty()) {
      String cause = commands.get(0).reason();
      rule("commands", commands.stream().allMatch(c -> c.reason().equals(cause)) && cause.equals(stepCause),
          "reason %s, expected %s", cause, stepCause);
    }
  }

  private static void checkEffectOrder(List<Effect> effects) {
    int phase = 0;
    for (Effect effect : effects) {
      int p = effect instanceof Effect.SendCommand ? 0 : effect instanceof Effect.Publish ? 1
          : effect instanceof Effect.Stop ? 3 : 2;
      rule("view", p >= phase, "effects out of order (commands, publish, scheduling, stop): %s", effects);
      phase = p;
    }
  }

  private static List<Command> commandsOf(TenantMachine.Step step) {
    List<Command> commands = new ArrayList<>(2);
    for (Effect effect : step.effects()) {
      if (effect instanceof Effect.SendCommand send) {
        commands.add(send.command());
      }
    }
    return commands;
  }

  private static void rule(String name, boolean holds, String format, Object... args) {
    if (!holds) {
      throw new Violation(name, String.format(format, args));
    }
  }
}
