package io.tenantwatch.tenant;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a tenant waits for the result of a poll it asked for before it asks again. A request can be
 * lost on its way (the poller was being replaced) or its poll can end without a result (a poller that
 * failed); the tenant cannot tell that apart from a long queue, so it asks again after {@code first},
 * then after twice as long each time up to {@code max}. Asking again is harmless: the poller joins a
 * request for a tenant already waiting or in flight (R9), so a tenant is never polled twice at once.
 *
 * @param first the wait after the request: longer than one poll may take, so an ordinary poll never
 *     triggers it
 * @param max the longest wait between two requests
 */
public record PollWatchdog(Duration first, Duration max) {

  /** The longest wait between two requests unless {@code first} is longer still. */
  public static final Duration DEFAULT_MAX = Duration.ofMinutes(1);
  /** Room beyond twice the request timeout for the bus hops and a busy event loop. */
  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final int MAX_DOUBLINGS = 16;

  public PollWatchdog {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("the watchdog's first wait must be positive and at most its max");
    }
  }

  /**
   * The watchdog for a poller whose polls end within {@code requestTimeout}: first after twice that plus
   * a second (as long as a forced poll's HTTP answer waits), at most a minute apart after that.
   */
  public static PollWatchdog forRequestTimeout(Duration requestTimeout) {
    Duration first = requestTimeout.multipliedBy(2).plus(MARGIN);
    return new PollWatchdog(first, first.compareTo(DEFAULT_MAX) > 0 ? first : DEFAULT_MAX);
  }

  /** The wait before asking again, once the poll has been asked for {@code requests} times (at least one). */
  public Duration after(int requests) {
    int doublings = Math.min(Math.max(requests, 1) - 1, MAX_DOUBLINGS);
    Duration wait = first.multipliedBy(1L << doublings);
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
