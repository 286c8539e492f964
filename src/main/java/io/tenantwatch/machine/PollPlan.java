package io.tenantwatch.machine;

import java.time.Duration;
import java.time.Instant;

/**
 * The schedule arithmetic of R5 to R7: when the next poll falls due. Pure: the random draw comes in as a
 * number in [0, 1), so every result can be checked by hand.
 */
public final class PollPlan {
  private final PollSettings settings;
  private final Backoff retry;

  public PollPlan(PollSettings settings) {
    this.settings = settings;
    // Settings with retryMin above retryMax (the config refuses them) back off at retryMax, as the cap says.
    Duration min = settings.retryMin();
    this.retry = new Backoff(min, settings.retryMax().compareTo(min) < 0 ? min : settings.retryMax());
  }

  /**
   * R6: after a successful poll, {@code validUntil} plus a jitter of {@code random x jitterRatio x
   * max(0, validUntil - now)}, then clamped to {@code [now + minPollInterval, now + cap]}. The cap is
   * {@code transitionalPollInterval} when {@code transitional} (a transitional state, a hold or a Move
   * hint), else {@code maxPollInterval}. Should the minimum exceed the cap, the cap wins: a tenant is
   * never left longer than its cap (the config refuses such settings anyway).
   *
   * @param validUntil the polled {@code ValidUntil}; null is read as "now"
   */
  public Instant afterSuccess(Instant now, Instant validUntil, boolean transitional, double random) {
    Duration cap = transitional ? settings.transitionalPollInterval() : settings.maxPollInterval();
    Instant latest = now.plus(cap);
    Instant earliest = now.plus(settings.minPollInterval());
    Instant target = validUntil == null ? now : validUntil;
    if (target.isAfter(latest)) {
      // Jitter only adds, so the cap is the answer; returning early also keeps far-future values
      // out of the arithmetic below.
      return latest;
    }
    Duration horizon = target.isAfter(now) ? Duration.between(now, target) : Duration.ZERO;
    // In millis, saturating: a horizon of centuries (a ValidUntil in year 9999 under a huge cap) must not
    // overflow a long of nanoseconds and throw.
    long jitterMs = (long) (clampUnit(random) * settings.jitterRatio() * saturatedMillis(horizon));
    Instant due = target.plusMillis(jitterMs);
    return earliest.isAfter(due) ? min(earliest, latest) : min(due, latest);
  }

  /**
   * R7: exponential backoff with full jitter after the {@code failures}-th failure in a row: the ceiling is
   * {@code min(retryMax, retryMin x 2^(failures-1))}, the delay {@code retryMin + random x (ceiling -
   * retryMin)}. A {@code Retry-After} lengthens the delay up to {@code retryMax}, never beyond it.
   *
   * @param failures the consecutive failures including this one (1 for the first)
   * @param retryAfter the server's {@code Retry-After}, null when none was sent
   */
  public Instant afterFailure(Instant now, int failures, Duration retryAfter, double random) {
    Duration max = settings.retryMax();
    Duration delay = retry.jittered(failures, random);
    if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
      delay = retryAfter.compareTo(max) < 0 ? retryAfter : max;
    }
    return now.plus(delay.compareTo(max) < 0 ? delay : max);
  }

  /**
   * R5: the confirming poll after a closing notification falls due within
   * {@code transitionalPollInterval}; an earlier scheduled poll stays as it is (a poll is never pushed
   * later).
   *
   * @param scheduled the poll already scheduled, null when none
   */
  public Instant confirming(Instant now, Instant scheduled) {
    Instant due = now.plus(settings.transitionalPollInterval());
    return scheduled != null && scheduled.isBefore(due) ? scheduled : due;
  }

  /** {@code min(retryMax, retryMin x 2^(failures-1))}, without overflowing for long failure runs. */
  Duration backoffCeiling(int failures) {
    Duration ceiling = retry.after(failures);
    return ceiling.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : ceiling;
  }

  private static long saturatedMillis(Duration duration) {
    return duration.getSeconds() >= Long.MAX_VALUE / 1_000 ? Long.MAX_VALUE : duration.toMillis();
  }

  private static double clampUnit(double random) {
    return Double.isNaN(random) ? 0 : Math.max(0, Math.min(1, random));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
