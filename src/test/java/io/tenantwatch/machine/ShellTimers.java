package io.tenantwatch.machine;

import java.time.Instant;
import java.util.List;

/**
 * The tenant verticle's two keyed timers as the effects leave them: arming replaces, a poll asked for now
 * or stopped disarms the poll timer, {@code Stop} disarms both, and a timer that fired is gone (its event
 * is what fired it).
 */
final class ShellTimers {
  private Instant poll;
  private Instant hold;

  /** When the poll timer is armed for, null when it is not. */
  Instant poll() {
    return poll;
  }

  /** When the hold timer is armed for, null when it is not. */
  Instant hold() {
    return hold;
  }

  /** Follows one step: the event (a timer's own firing disarms it), then the effects in order. */
  void observe(TenantEvent event, List<Effect> effects) {
    if (event instanceof TenantEvent.PollDue) {
      poll = null;
    } else if (event instanceof TenantEvent.HoldExpired) {
      hold = null;
    }
    for (Effect effect : effects) {
      if (effect instanceof Effect.SchedulePoll schedule) {
        poll = schedule.at();
      } else if (effect instanceof Effect.PollNow || effect instanceof Effect.StopPolling) {
        poll = null;
      } else if (effect instanceof Effect.ScheduleHoldEnd end) {
        hold = end.at();
      } else if (effect instanceof Effect.Stop) {
        poll = null;
        hold = null;
      }
    }
  }
}
