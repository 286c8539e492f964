package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.machine.Effect;
import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.poll.PollRequest;
import io.tenantwatch.poll.PollResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched tenant: a thin shell around {@link TenantMachine}. It turns event-bus messages into machine
 * events and the machine's effects into sends, publishes and keyed timers. The snapshot lives here only.
 */
public final class TenantVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TenantVerticle.class);
  private static final String POLL_TIMER = "poll";
  private static final String HOLD_TIMER = "hold";

  private final TenantMachine machine;
  private final Clock clock;
  private final List<Message<JsonObject>> pollWaiters = new ArrayList<>();
  /** Made on the first notification with a replay id: most tenants never get one, and a node holds many tenants. */
  private RecentNotifications recent;
  private TenantSnapshot snapshot;
  private KeyedTimers timers;
  private MessageConsumer<JsonObject> consumer;

  public TenantVerticle(TenantSnapshot initial, TenantMachine machine, Clock clock) {
    this.snapshot = initial;
    this.machine = machine;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    timers = new KeyedTimers(vertx, clock);
    consumer = vertx.eventBus().consumer(Addresses.tenant(snapshot.tenant()), this::onMessage);
    return consumer.completion().onSuccess(v -> apply(new TenantEvent.Started()));
  }

  @Override
  public Future<?> stop() {
    timers.cancelAll();
    pollWaiters.forEach(w -> w.fail(404, "tenant " + snapshot.tenant() + " is no longer watched"));
    pollWaiters.clear();
    return consumer.unregister();
  }

  private void onMessage(Message<JsonObject> message) {
    JsonObject body = message.body();
    String type = body == null ? null : body.getString("type");
    try {
      switch (type == null ? "" : type) {
        case PollResult.TYPE -> onPollResult(PollResult.fromJson(body));
        case TenantMessages.NOTIFICATION -> onNotification(message);
        case TenantMessages.POLL_NOW -> onPollNow(message);
        case TenantMessages.REPOLL -> {
          apply(new TenantEvent.PollForced(false));
          message.reply(new JsonObject().put("scheduled", !snapshot.retired()));
        }
        case TenantMessages.VIEW -> message.reply(view(true));
        case TenantMessages.UNWATCH -> {
          apply(new TenantEvent.Unwatched());
          message.reply(view(false));
        }
        default -> message.fail(400, "unknown tenant message type");
      }
    } catch (IllegalArgumentException | NullPointerException | ClassCastException
        | java.time.format.DateTimeParseException e) {
      // Bad input at the edge: refused, snapshot untouched (the machine never ran on it).
      LOG.warn("{}: refused a malformed '{}' message: {}", snapshot.tenant(), type, e.getMessage());
      message.fail(400, "malformed message: " + e.getMessage());
    }
  }

  private void onPollResult(PollResult result) {
    if (!snapshot.tenant().equals(result.tenant())) {
      throw new IllegalArgumentException("poll-result for another tenant");
    }
    apply(result.event());
    List<Message<JsonObject>> waiting = List.copyOf(pollWaiters);
    pollWaiters.clear();
    JsonObject answer = TenantMessages.pollAnswer(view(true), result.failure());
    waiting.forEach(w -> w.reply(answer));
  }

  private void onNotification(Message<JsonObject> message) {
    JsonObject body = message.body();
    Notification notification = Notification.fromJson(body.getJsonObject("notification"));
    if (!snapshot.tenant().equals(notification.contextIdentifier())) {
      throw new IllegalArgumentException("notification for another tenant");
    }
    String replayId = body.getString("replayId");
    boolean apply = replayId == null
        || recent().firstTime(replayId, Instant.parse(body.getString("rememberUntil")), clock.instant());
    if (apply) {
      apply(new TenantEvent.NotificationReceived(notification));
    } else {
      LOG.debug("{}: notification {} delivered again, not applied", snapshot.tenant(), replayId);
    }
    message.reply(new JsonObject().put("applied", apply));
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
    pollWaiters.add(message);
    apply(new TenantEvent.PollForced(true));
  }

  private void apply(TenantEvent event) {
    Instant now = clock.instant();
    TenantSnapshot before = snapshot;
    TenantMachine.Step step = machine.apply(before, event, now);
    snapshot = step.snapshot();
    step.effects().forEach(this::carryOut);
    if (!snapshot.equals(before)) {
      vertx.eventBus().send(Addresses.DIRECTORY_VIEWS, view(false));
    }
  }

  private void carryOut(Effect effect) {
    // Java 17 has no pattern switch; the family is sealed, so the last branch is the only one left.
    if (effect instanceof Effect.SendCommand send) {
      vertx.eventBus().send(Addresses.WORKERS_COMMAND, send.command().toJson());
    } else if (effect instanceof Effect.Publish publish) {
      logStep(publish.entry());
      vertx.eventBus().publish(Addresses.EVENTS, publish.entry().toJson());
    } else if (effect instanceof Effect.SchedulePoll schedule) {
      timers.arm(POLL_TIMER, schedule.at(), () -> apply(new TenantEvent.PollDue()));
    } else if (effect instanceof Effect.PollNow poll) {
      timers.cancel(POLL_TIMER);
      vertx.eventBus().send(Addresses.POLL, new PollRequest(snapshot.tenant(), poll.reason()).toJson());
    } else if (effect instanceof Effect.StopPolling) {
      timers.cancel(POLL_TIMER);
    } else if (effect instanceof Effect.ScheduleHoldEnd hold) {
      timers.arm(HOLD_TIMER, hold.at(), () -> apply(new TenantEvent.HoldExpired()));
    } else if (effect instanceof Effect.Stop) {
      timers.cancelAll();
    }
  }

  /** One INFO line per recorded step: what changed, why, and what the workers were told. */
  private static void logStep(HistoryEntry entry) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    String commands = entry.commands().stream()
        .map(c -> c.type().wireName() + " seq " + c.seq())
        .collect(Collectors.joining(", "));
    LOG.info("{}: {} -> {} ({}){}", entry.tenant(), entry.from(), entry.to(), entry.cause(),
        commands.isEmpty() ? "" : ": " + commands);
  }

  private JsonObject view(boolean withHistory) {
    return TenantView.of(snapshot, clock.instant()).toJson(withHistory);
  }
}
