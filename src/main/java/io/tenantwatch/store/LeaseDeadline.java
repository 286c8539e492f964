package io.tenantwatch.store;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a node must have stopped a shard's tenants, by its own monotonic clock, if it shows no renewal of the
 * shard's lease before: the {@code nanoTime} read <b>before</b> the take or renew was sent, plus the lease,
 * minus a safety margin.
 *
 * <p>Why the send time and not the time of the answer: the database sets {@code expires_at = now() + lease}
 * at some moment after the request left (its transaction's start), and that moment is unknown to the node;
 * the answer may come much later (a slow network, a pause). The lease therefore lapses, by the database's
 * clock, no earlier than the send time plus the lease, so a deadline from the send time is never later than
 * the real lapse. One from the answer time could be: after a slow answer the node would go on running
 * tenants that another node already took. The margin covers the rate at which the node's clock and the
 * database's may drift apart over one lease, and the time the node needs to stop its tenants. (Fencing the
 * tenant writes covers what it cannot: a node paused past its deadline, or a database clock stepped
 * forward.)
 *
 * <p>Immutable; a renewal gives a new deadline ({@link #sent}), adopted only when the renewal succeeds.
 */
public final class LeaseDeadline {
  private final LongSupplier nanoTime;
  private final long mustStopBy;

  private LeaseDeadline(LongSupplier nanoTime, long mustStopBy) {
    this.nanoTime = nanoTime;
    this.mustStopBy = mustStopBy;
  }

  /**
   * The deadline of a take or renew sent now: call just before sending it.
   *
   * @param nanoTime the monotonic clock, {@code System::nanoTime} (tests pass a ticker they move by hand)
   * @param lease the lease asked for ({@code cluster.leaseMs})
   * @param margin how much earlier than the lease's earliest lapse to stop; at least 0 and below {@code lease}
   * @throws IllegalArgumentException when the margin is negative or not below the lease
   */
  public static LeaseDeadline sent(LongSupplier nanoTime, Duration lease, Duration margin) {
    if (margin.isNegative() || margin.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("a lease's safety margin must be at least 0 and below the lease ("
          + lease.toMillis() + " ms), was " + margin.toMillis() + " ms");
    }
    return new LeaseDeadline(nanoTime, nanoTime.getAsLong() + lease.minus(margin).toNanos());
  }

  /** The {@code nanoTime} by which the shard's tenants must have stopped. */
  public long mustStopBy() {
    return mustStopBy;
  }

  /** Whether the deadline has come at {@code nowNanos} (a reading of the same clock; wrap-around safe). */
  public boolean expired(long nowNanos) {
    return nowNanos - mustStopBy >= 0;
  }

  /** Whether the deadline has come now. */
  public boolean expired() {
    return expired(nanoTime.getAsLong());
  }

  /** How long is left from now until the deadline; zero once it has come. */
  public Duration remaining() {
    long left = mustStopBy - nanoTime.getAsLong();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }
}
