package io.tenantwatch.tenant;

import io.tenantwatch.machine.Backoff;
import java.time.Duration;

/**
 * How soon the directory restarts a tenant whose verticle failed: at once the first time, then after a
 * pause that doubles from one second up to {@link #MAX_DELAY}, so a bug that strikes on every step cannot
 * flood the log. A failure {@link #CALM_AFTER} the last restart counts as a first one again.
 */
public final class RestartPolicy {
  /** The longest pause before restarting a tenant that failed again soon after its last restart. */
  public static final Duration MAX_DELAY = Duration.ofMinutes(1);
  /** A failure this long after the last restart counts as a first one again, restarted at once. */
  static final Duration CALM_AFTER = Duration.ofMinutes(10);

  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), MAX_DELAY);

  private RestartPolicy() {
  }

  /** The pause before the restart after {@code restarts} failures in a row. */
  static Duration delay(int restarts) {
    if (restarts <= 1) {
      return Duration.ZERO;
    }
    return BACKOFF.after(restarts - 1);
  }
}
