package io.tenantwatch.machine;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.HistoryEntry;
import java.time.Instant;

/** What the machine asks its verticle to do: data, carried out by the shell. */
public sealed interface Effect {

  /** Send this command to the registered workers. */
  record SendCommand(Command command) implements Effect {
  }

  /** Arm the poll timer for this instant, replacing any earlier arming. */
  record SchedulePoll(Instant at) implements Effect {
  }

  /** Ask the poller for a poll now (disarming the poll timer). */
  record PollNow(PollReason reason) implements Effect {
  }

  /** Disarm the poll timer: the tenant is not polled any more (Deleted). */
  record StopPolling() implements Effect {
  }

  /** Arm the hold timer for this instant, replacing any earlier arming. */
  record ScheduleHoldEnd(Instant at) implements Effect {
  }

  /** A step worth recording happened: publish it on {@code tenantwatch.events}. */
  record Publish(HistoryEntry entry) implements Effect {
  }

  /** Stop the tenant's verticle (after the unwatch commands went out). */
  record Stop() implements Effect {
  }
}
