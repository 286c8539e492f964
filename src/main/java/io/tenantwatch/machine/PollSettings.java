package io.tenantwatch.machine;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing rules of R5 to R7, in the machine's own terms (the config's {@code stateApi} section maps
 * onto it). The config layer checks the finer rules with the config's key names (for example that
 * {@code minPollIntervalMs} does not exceed {@code transitionalPollIntervalMs}); this record only refuses
 * values no schedule can be made from.
 *
 * @param minPollInterval the least time between a successful poll and the next timer poll
 * @param maxPollInterval the longest time between a successful poll and the next one
 * @param transitionalPollInterval the cap while the state is transitional, a hold is on or a Move hint
 *     is pending
 * @param jitterRatio the share of the {@code ValidUntil} horizon added as random jitter
 * @param retryMin the first retry delay after a failed poll
 * @param retryMax the longest retry delay
 * @param notificationHold how long a closing notification keeps the gate closed
 * @param historyLimit how many history entries a tenant keeps
 *
 * <p>The constructor throws {@link IllegalArgumentException} when a duration is missing or negative, the
 * ratio is not a finite non-negative number, or the history limit is negative.
 */
public record PollSettings(
    Duration minPollInterval,
    Duration maxPollInterval,
    Duration transitionalPollInterval,
    double jitterRatio,
    Duration retryMin,
    Duration retryMax,
    Duration notificationHold,
    int historyLimit) {

  public static final int DEFAULT_HISTORY_LIMIT = 50;

  public PollSettings {
    requireNonNegative("minPollInterval", minPollInterval);
    requireNonNegative("maxPollInterval", maxPollInterval);
    requireNonNegative("transitionalPollInterval", transitionalPollInterval);
    requireNonNegative("retryMin", retryMin);
    requireNonNegative("retryMax", retryMax);
    requireNonNegative("notificationHold", notificationHold);
    if (!Double.isFinite(jitterRatio) || jitterRatio < 0) {
      throw new IllegalArgumentException("jitterRatio must be a finite number >= 0, was " + jitterRatio);
    }
    if (historyLimit < 0) {
      throw new IllegalArgumentException("historyLimit must be >= 0, was " + historyLimit);
    }
  }

  public static PollSettings defaults() {
    return new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30), 0.1,
        Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), DEFAULT_HISTORY_LIMIT);
  }

  private static void requireNonNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
