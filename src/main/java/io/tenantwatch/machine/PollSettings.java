package io.tenantwatch.machine;

import java.time.Duration;

/**
 * The timing rules of R5 to R7, in the machine's own terms (the config's {@code stateApi} section maps
 * onto it).
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

  public static PollSettings defaults() {
    return new PollSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(30), 0.1,
        Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), DEFAULT_HISTORY_LIMIT);
  }
}
