package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.LocalObjects;
import io.tenantwatch.bus.Waiters;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.machine.Effect;
import io.tenantwatch.machine.PollReason;
import io.tenantwatch.machine.ReportOutcome;
import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.poll.PollRequest;
import io.tenantwatch.poll.PollResult;
import io.tenantwatch.store.SeenNotification;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One watched tenant: a thin shell around its state machine. It turns event-bus messages into machine
 * events and the machine's effects into sends, publishes and keyed timers. The snapshot lives here, and
 * goes to the {@link TenantDirectory} after every step that changes it (the same immutable object, not a copy).
 *
 * <p>Two things the machine does not see are the shell's own: a <em>poll watchdog</em> asks the poller
 * again when a poll it asked for brought no result in time ({@link PollWatchdog}), and a failure of the
 * machine or of carrying out an effect stops the verticle at once: it reports itself {@code crashed}
 * to the directory, which restarts it from the last snapshot it was handed, and until then it answers
 * every message with 503.
 *
 * <p>Each verticle carries the number the directory gave its deployment (its <em>run</em>) on every
 * report, so the directory can tell a report of the tenant's current verticle from a late one of an
 * earlier.
 */
public final class TenantVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TenantVerticle.class);
  /** The key-value that carries the tenant id on a log line (JSON logs show it as a field). */
  private static final String TENANT_FIELD = "tenant";
  private static final String POLL_TIMER = "poll";
  private static final String HOLD_TIMER = "hold";
  private static final String WATCHDOG_TIMER = "poll-watchdog";

  private final TenantBehaviour behaviour;
  private final Clock clock;
  private final PollWatchdog watchdog;
  /**
   * How it starts, dropped once started: a loaded tenant's start holds the snapshot it was loaded with and
   * its announcement, which would otherwise stay in the heap beside the current snapshot for the verticle's life.
   */
  private TenantStart start;
  /** The directory's number for this deployment of the tenant, on every report it sends the directory. */
  private final long run;
  private final Waiters<JsonObject> pollWaiters = new Waiters<>();
  /** Made on the first notification with a replay id: most tenants never get one, and a node holds many tenants. */
  private RecentNotifications recent;
  private TenantSnapshot snapshot;
  private KeyedTimers timers;
  private MessageConsumer<JsonObject> consumer;
  private boolean crashed;
  private boolean quiesced;
  /** The reason of the poll asked for and not yet answered, null when none is outstanding. */
  private PollReason pollAsked;
  private int pollRequests;

  /**
   * @param start how it starts (fresh, restarted after a failure, or loaded from the store)
   * @param run the directory's number for this deployment, on every report it sends the directory
   */
  TenantVerticle(TenantStart start, TenantBehaviour behaviour, Clock clock, PollWatchdog watchdog, long run) {
    this.start = start;
    this.run = run;
    this.snapshot = start.snapshot();
    this.behaviour = behaviour;
    this.clock = clock;
    this.watchdog = watchdog;
  }

  @Override
  public Future<?> start() {
    timers = new KeyedTimers(vertx, clock);
    SnapshotReport.registerCodec(vertx.eventBus());
    // Its commands and poll requests go to this node's registry and poller as the objects they are.
    LocalObjects.carry(vertx.eventBus(), Command.class, "tenantwatch.command");
    LocalObjects.carry(vertx.eventBus(), PollRequest.class, "tenantwatch.poll-request");
    LocalObjects.carry(vertx.eventBus(), NotificationSeen.class, "tenantwatch.notification-seen");
    consumer = vertx.eventBus().localConsumer(Addresses.tenant(snapshot.tenant()), this::onMessage);
    return consumer.completion().onSuccess(v -> {
      TenantStart how = start;
      start = null;
      if (!how.seen().isEmpty()) {
        Instant now = clock.instant();
        how.seen().forEach(seen -> recent().firstTime(seen.id(), seen.rememberUntil(), now));
      }
      if (how instanceof TenantStart.Fresh) {
        apply(new TenantEvent.Started());
        return;
      }
      if (how instanceof TenantStart.Loaded loaded) {
        announce(loaded);
      }
      resume();
    });
  }

  @Override
  public Future<?> stop() {
    timers.cancelAll();
    if (quiesced) {
      pollWaiters.fail(Failures.UNAVAILABLE, "the engine is shutting down");
    } else {
      pollWaiters.fail(Failures.NOT_WATCHED, "tenant " + snapshot.tenant() + " is no longer watched");
    }
    return consumer.unregister();
  }

  /** Its snapshot needs no report: the directory holds the very one it starts from, and hands it to the store. */
  private void announce(TenantStart.Loaded loaded) {
    HistoryEntry entry = loaded.announcement();
    if (entry != null) {
      entry.commands().forEach(command -> carryOut(new Effect.SendCommand(command)));
      carryOut(new Effect.Publish(entry));
    }
  }

  /** Picks up where the snapshot left off, without a step of the machine (so without commands). */
  private void resume() {
    if (snapshot.retired()) {
      return;
    }
    if (snapshot.holdUntil() != null) {
      timers.arm(HOLD_TIMER, snapshot.holdUntil(), () -> apply(new TenantEvent.HoldExpired()));
    }
    if (snapshot.nextPollAt() != null) {
      timers.arm(POLL_TIMER, snapshot.nextPollAt(), () -> apply(new TenantEvent.PollDue()));
    } else {
      // A poll was asked for and its result never came to this tenant: ask again.
      apply(new TenantEvent.PollDue());
    }
  }

  private void onMessage(Message<JsonObject> message) {
    if (crashed) {
      message.fail(Failures.UNAVAILABLE, "the tenant's verticle failed and is being restarted; try again");
      return;
    }
    JsonObject body = message.body();
    String type = body == null ? null : body.getString("type");
    Runnable handling;
    try {
      handling = read(message, type == null ? "" : type);
    } catch (IllegalArgumentException | NullPointerException | ClassCastException | DateTimeParseException e) {
      // Bad input at the edge: refused, snapshot untouched (the machine never ran on it).
      LOG.atWarn().addKeyValue(TENANT_FIELD, snapshot.tenant())
          .log("{}: refused a malformed '{}' message: {}", snapshot.tenant(), type, e.getMessage());
      message.fail(Failures.MALFORMED, "malformed message: " + e.getMessage());
      return;
    }
    if (handling != null) {
      handling.run();
    }
  }

  /** Reads a message completely before anything is applied; null when it was answered already. */
  private Runnable read(Message<JsonObject> message, String type) {
    JsonObject body = message.body();
    switch (type) {
      case PollResult.TYPE -> {
        PollResult result = PollResult.fromJson(body);
        if (!snapshot.tenant().equals(result.tenant())) {
          throw new IllegalArgumentException("poll-result for another tenant");
        }
        return () -> onPollResult(result);
      }
      case TenantMessages.NOTIFICATION -> {
        Notification notification = Notification.fromJson(body.getJsonObject("notification"));
        if (!snapshot.tenant().equals(notification.contextIdentifier())) {
          throw new IllegalArgumentException("notification for another tenant");
        }
        String replayId = body.getString("replayId");
        Instant rememberUntil = replayId == null ? null : Instant.ofEpochMilli(body.getLong("rememberUntilMs"));
        return () -> onNotification(message, notification, replayId, rememberUntil);
      }
      case TenantMessages.REPORT -> {
        SymptomReport report = SymptomReport.fromBody(body.getValue("report"));
        if (!snapshot.tenant().equals(report.tenant())) {
          throw new IllegalArgumentException("report for another tenant");
        }
        return () -> onReport(message, report);
      }
      case TenantMessages.POLL_NOW -> {
        return () -> onPollNow(message);
      }
      case TenantMessages.REPOLL -> {
        return () -> {
          if (apply(new TenantEvent.PollForced(false))) {
            message.reply(new JsonObject().put("scheduled", !snapshot.retired()));
          } else {
            restarting(message);
          }
        };
      }
      case TenantMessages.VIEW -> {
        message.reply(view(true));
        return null;
      }
      case TenantMessages.QUIESCE -> {
        quiesced = true;
        timers.close();
        message.reply(new JsonObject().put("quiesced", true));
        return null;
      }
      case TenantMessages.UNWATCH -> {
        return () -> {
          if (apply(new TenantEvent.Unwatched())) {
            message.reply(view(false));
          } else {
            restarting(message);
          }
        };
      }
      default -> throw new IllegalArgumentException("unknown tenant message type");
    }
  }

  private void onPollResult(PollResult result) {
    pollAsked = null;
    pollRequests = 0;
    timers.cancel(WATCHDOG_TIMER);
    if (!apply(result.event())) {
      return;
    }
    pollWaiters.answer(TenantMessages.pollAnswer(view(true), result.failure()));
  }

  /**
   * A notification is remembered once it was applied, not before: one whose step failed is answered 503,
   * and SuperOffice's delivery of it again must be applied by the restarted tenant, not refused.
   */
  private void onNotification(Message<JsonObject> message, Notification notification, String replayId,
      Instant rememberUntil) {
    if (replayId != null && recent != null && recent.remembers(replayId, clock.instant())) {
      LOG.atDebug().addKeyValue(TENANT_FIELD, snapshot.tenant())
          .log("{}: notification {} delivered again, not applied", snapshot.tenant(), replayId);
      message.reply(new JsonObject().put("applied", false));
      return;
    }
    if (!apply(new TenantEvent.NotificationReceived(notification))) {
      restarting(message);
      return;
    }
    if (replayId != null) {
      recent().firstTime(replayId, rememberUntil, clock.instant());
      // The directory keeps it for a restart of this verticle, and hands it to the store for an engine's.
      vertx.eventBus().send(Addresses.DIRECTORY_SNAPSHOTS,
          new NotificationSeen(snapshot.tenant(), run, new SeenNotification(replayId, rememberUntil)),
          LocalObjects.ONLY_LOCAL);
    }
    message.reply(new JsonObject().put("applied", true));
  }

  /** Answered with what became of the poll; a report that brings one is worth an operator's line, the rest are not. */
  private void onReport(Message<JsonObject> message, SymptomReport report) {
    TenantSnapshot before = snapshot;
    TenantMachine.Step step = step(new TenantEvent.SymptomReported(report.symptom(), report.api()));
    if (step == null) {
      restarting(message);
      return;
    }
    ReportOutcome outcome = ReportOutcome.of(before, step);
    if (outcome == ReportOutcome.STARTED) {
      LOG.atInfo().addKeyValue(TENANT_FIELD, snapshot.tenant()).log("{}: a worker reported {}{}; polling it now",
          snapshot.tenant(), report.symptom().wireName(), report.status() == 0 ? "" : " (" + report.status() + ")");
    } else {
      LOG.atDebug().addKeyValue(TENANT_FIELD, snapshot.tenant()).log("{}: a worker reported {}: {}",
          snapshot.tenant(), report.symptom().wireName(), outcome.wireName());
    }
    message.reply(TenantMessages.reportAnswer(snapshot.tenant(), outcome));
  }

  private RecentNotifications recent() {
    if (recent == null) {
      recent = new RecentNotifications(RecentNotifications.DEFAULT_CAPACITY);
    }
    return recent;
  }

  private void onPollNow(Message<JsonObject> message) {
    if (snapshot.retired()) {
      message.reply(TenantMessages.pollAnswer(view(true), null));
      return;
    }
    // Answered with the result's view, or failed along with every waiter if the step fails.
    pollWaiters.add(message);
    apply(new TenantEvent.PollForced(true));
  }

  /**
   * Takes one step. The new snapshot is handed to the directory before any effect is carried out, so
   * if an effect fails, the restarted tenant already counts the commands that went out and never sends
   * them again.
   *
   * @return false when the step failed and the verticle has stopped
   */
  private boolean apply(TenantEvent event) {
    return step(event) != null;
  }

  /** As {@link #apply}, answering the step taken; null when it failed and the verticle has stopped. */
  private TenantMachine.Step step(TenantEvent event) {
    if (crashed) {
      return null;
    }
    TenantSnapshot before = snapshot;
    try {
      TenantMachine.Step step = behaviour.apply(before, event, clock.instant());
      snapshot = step.snapshot();
      if (!snapshot.equals(before)) {
        report();
      }
      step.effects().forEach(this::carryOut);
      return step;
    } catch (RuntimeException e) {
      crash(event, e);
      return null;
    }
  }

  /** Hands the directory the tenant's snapshot (the object itself: it is immutable), marked with this deployment's run. */
  private void report() {
    vertx.eventBus().send(Addresses.DIRECTORY_SNAPSHOTS, new SnapshotReport(snapshot, run), LocalObjects.ONLY_LOCAL);
  }

  /** A bug, not bad input: stop at once and let the directory restart the tenant from its snapshot. */
  private void crash(TenantEvent event, RuntimeException failure) {
    crashed = true;
    timers.cancelAll();
    LOG.atWarn().addKeyValue(TENANT_FIELD, snapshot.tenant()).setCause(failure)
        .log("{}: failed on {}; the directory restarts it from its last snapshot (seq {})", snapshot.tenant(),
            event.getClass().getSimpleName(), snapshot.seq());
    pollWaiters.fail(Failures.UNAVAILABLE, "the tenant's verticle failed and is being restarted; try again");
    vertx.eventBus().send(Addresses.DIRECTORY,
        DirectoryMessages.crashed(snapshot.tenant(), run, failure.toString()));
  }

  private void restarting(Message<JsonObject> message) {
    message.fail(Failures.UNAVAILABLE, "the tenant's verticle failed and is being restarted; try again");
  }

  private void carryOut(Effect effect) {
    // Java 17 has no pattern switch; the family is sealed, so the last branch is the only one left.
    if (effect instanceof Effect.SendCommand send) {
      vertx.eventBus().send(Addresses.WORKERS_COMMAND, send.command(), LocalObjects.ONLY_LOCAL);
    } else if (effect instanceof Effect.Publish publish) {
      logStep(publish.entry());
      vertx.eventBus().publish(Addresses.EVENTS, publish.entry().toJson());
    } else if (effect instanceof Effect.SchedulePoll schedule) {
      timers.arm(POLL_TIMER, schedule.at(), () -> apply(new TenantEvent.PollDue()));
    } else if (effect instanceof Effect.PollNow poll) {
      timers.cancel(POLL_TIMER);
      askForPoll(poll.reason());
    } else if (effect instanceof Effect.StopPolling) {
      timers.cancel(POLL_TIMER);
      timers.cancel(WATCHDOG_TIMER);
    } else if (effect instanceof Effect.ScheduleHoldEnd hold) {
      timers.arm(HOLD_TIMER, hold.at(), () -> apply(new TenantEvent.HoldExpired()));
    } else if (effect instanceof Effect.Stop) {
      timers.cancelAll();
    }
  }

  /** Asks the poller for a poll, keeping the most urgent reason of those not yet answered. */
  private void askForPoll(PollReason reason) {
    if (pollAsked == null || reason.priority() < pollAsked.priority()) {
      pollAsked = reason;
    }
    pollRequests = 0;
    sendPollRequest();
  }

  private void sendPollRequest() {
    pollRequests++;
    vertx.eventBus().send(Addresses.POLL, new PollRequest(snapshot.tenant(), pollAsked), LocalObjects.ONLY_LOCAL);
    timers.armAfter(WATCHDOG_TIMER, watchdog.after(pollRequests), this::pollUnanswered);
  }

  private void pollUnanswered() {
    LOG.atDebug().addKeyValue(TENANT_FIELD, snapshot.tenant())
        .log("{}: no result for the {} poll asked {} time(s); asking again", snapshot.tenant(), pollAsked.wireName(),
            pollRequests);
    sendPollRequest();
  }

  /** One INFO line per recorded step (a restart's announcements: DEBUG): what changed, why, what workers were told. */
  private static void logStep(HistoryEntry entry) {
    // A restart's announcements are a million lines at a million tenants: the directory logs their count.
    Level level = TenantRestore.REASON.equals(entry.cause()) ? Level.DEBUG : Level.INFO;
    if (!LOG.isEnabledForLevel(level)) {
      return;
    }
    String commands = entry.commands().stream()
        .map(c -> c.type().wireName() + " seq " + c.seq())
        .collect(Collectors.joining(", "));
    LOG.atLevel(level).addKeyValue(TENANT_FIELD, entry.tenant()).log("{}: {} -> {} ({}){}", entry.tenant(), entry.from(),
        entry.to(), entry.cause(), commands.isEmpty() ? "" : ": " + commands);
  }

  private JsonObject view(boolean withHistory) {
    return TenantView.of(snapshot).toJson(withHistory);
  }
}
