package io.tenantwatch.machine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a poll is asked for; the limiter serves admin, notification and report polls ahead of the others (R9).
 * A {@code report} poll is one a worker's symptom report brought (contracts.md, "Symptom reports").
 */
public enum PollReason {
  ADMIN(0),
  NOTIFICATION(0),
  REPORT(0),
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
