package io.tenantwatch.machine;

import java.time.Duration;

/**
 * Exponential backoff: the pause after the n-th failure in a row is {@code first x 2^(n-1)}, never more
 * than {@code max}, without overflowing however long the run of failures. The engine backs off this way
 * wherever it tries again: failed polls (R7, with full jitter), command deliveries, tenant restarts and
 * store writes.
 *
 * @param first the pause after the first failure (zero for none)
 * @param max the longest pause, at least {@code first}
 */
public record Backoff(Duration first, Duration max) {

  public Backoff {
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("a backoff needs 0 <= first <= max, got " + first + " and " + max);
    }
  }

  /** The pause after the {@code failures}-th failure in a row (1 for the first; less reads as 1). */
  public Duration after(int failures) {
    if (first.isZero()) {
      return first;
    }
    // Past the point where first x 2^n exceeds max, the answer is max whatever n is.
    int doublings = Math.max(0, failures - 1);
    for (Duration pause = first; ; pause = pause.multipliedBy(2), doublings--) {
      if (pause.compareTo(max) >= 0) {
        return max;
      }
      if (doublings == 0) {
        return pause;
      }
    }
  }

  /**
   * Full jitter over the same ceiling: {@code first + random x (after(failures) - first)}, so tenants
   * failing together do not retry together.
   *
   * @param random a uniform draw in [0, 1]; NaN reads as 0, values outside are clamped
   */
  public Duration jittered(int failures, double random) {
    Duration spread = after(failures).minus(first);
    double unit = Double.isNaN(random) ? 0 : Math.max(0, Math.min(1, random));
    return first.plusMillis((long) (unit * saturatedMillis(spread)));
  }

  private static long saturatedMillis(Duration duration) {
    return duration.getSeconds() >= Long.MAX_VALUE / 1_000 ? Long.MAX_VALUE : duration.toMillis();
  }
}
