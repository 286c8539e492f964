package io.tenantwatch.machine;

import java.time.Instant;

/**
 * When the next poll is due, and how the polls since the last success went (R6, R7).
 *
 * @param nextPollAt when the next poll is due, null while none is scheduled (a poll in flight, Deleted)
 * @param consecutiveFailures failed polls since the last successful one
 * @param lastError the last failure's description, null after a success
 * @param stale whether {@code ValidUntil} has passed while polls keep failing (R7)
 */
public record PollSchedule(Instant nextPollAt, int consecutiveFailures, String lastError, boolean stale) {

  /** Nothing scheduled, no failure. */
  public static final PollSchedule NONE = new PollSchedule(null, 0, null, false);

  /** After a successful poll: no failures, the next poll due at {@code next}. */
  public static PollSchedule succeeded(Instant next) {
    return new PollSchedule(next, 0, null, false);
  }

  public PollSchedule withNextPollAt(Instant value) {
    return new PollSchedule(value, consecutiveFailures, lastError, stale);
  }
}
