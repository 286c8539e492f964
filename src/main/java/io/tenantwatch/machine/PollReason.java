package io.tenantwatch.machine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why a poll is asked for; the limiter serves admin and notification polls ahead of the others (R9). */
public enum PollReason {
  ADMIN(0),
  NOTIFICATION(0),
  START(1),
  TIMER(1);

  private final int priority;

  PollReason(int priority) {
    this.priority = priority;
  }

  /** Lower goes first. */
  public int priority() {
    return priority;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PollReason> byWireName(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
  }
}
