package io.tenantwatch.machine;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Notification;
import java.time.Instant;

/**
 * R5: notifications are hints, the state API is the truth. The cause of the step, and of the next
 * successful poll's step, is {@code notification:<label>} ({@code notification:7} for a code this engine
 * does not know).
 *
 * <ul>
 *   <li>Upgrade, Suspend, Delete close the gate at once ({@code pause} when it was open) and hold it
 *       closed until {@code now + notificationHold} (an existing longer hold stays). A confirming poll
 *       falls due within {@code transitionalPollInterval}; a poll already due earlier stays as it is.</li>
 *   <li>Resume, Move, BackupRestored and unknown codes ask for a poll now. BackupRestored also asks for one
 *       {@code resync} once the gate is open; a Move keeps its {@code PublicEndpoint} as a hint for
 *       {@code notificationHold}. A Resume does not lift a hold: the hold is a floor.</li>
 * </ul>
 */
final class NotificationRules {
  private final PollSettings settings;
  private final PollPlan plan;

  NotificationRules(PollSettings settings, PollPlan plan) {
    this.settings = settings;
    this.plan = plan;
  }

  TenantMachine.Step apply(TenantSnapshot before, Notification notification, Instant now) {
    ChangeType type = notification.changeType();
    if (type == null) {
      throw new IllegalArgumentException("the notification has no ChangeType");
    }
    return type.closesGate() ? close(before, Cause.notification(type), now) : pollNow(before, notification, now);
  }

  private TenantMachine.Step close(TenantSnapshot before, Cause cause, Instant now) {
    Instant holdUntil = now.plus(settings.notificationHold());
    if (before.holdUntil() != null && before.holdUntil().isAfter(holdUntil)) {
      holdUntil = before.holdUntil();
    }
    Transition step = new Transition(before, cause, now, settings.historyLimit());
    if (before.open()) {
      step.send(CommandType.PAUSE);
    }
    Instant due = plan.confirming(now, before.nextPollAt());
    if (!due.equals(before.nextPollAt())) {
      step.then(new Effect.SchedulePoll(due));
    }
    step.then(new Effect.ScheduleHoldEnd(holdUntil));
    return step.finish(before.withGate(new Gate(false, holdUntil)).withNextPollAt(due)
        .withLifecycle(before.lifecycle().withPendingCause(cause)));
  }

  private TenantMachine.Step pollNow(TenantSnapshot before, Notification notification, Instant now) {
    ChangeType type = notification.changeType();
    Lifecycle lifecycle = before.lifecycle().withPendingCause(Cause.notification(type));
    TenantSnapshot next = before.withLifecycle(type.is(ChangeType.Known.BACKUP_RESTORED)
        ? lifecycle.withResyncPending(true) : lifecycle);
    String host = type.is(ChangeType.Known.MOVE) ? MoveHint.hostOf(notification.publicEndpoint()) : null;
    if (host != null) {
      next = next.withMoveHint(new MoveHint(host, now.plus(settings.notificationHold())));
    }
    return TenantMachine.pollNow(next, PollReason.NOTIFICATION);
  }
}
