package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The local deadline of a lease, on a ticker moved by hand. */
class LeaseDeadlineTest {
  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration MARGIN = Duration.ofSeconds(2);

  /** A monotonic clock in nanoseconds that only moves when told. */
  private static final class Ticker {
    private long now;

    long read() {
      return now;
    }

    void advance(Duration by) {
      now += by.toNanos();
    }
  }

  @Test
  @DisplayName("the deadline runs from the moment the request was sent, not from the answer: lease minus margin after the send")
  void fromTheSendTime() {
    Ticker ticker = new Ticker();
    ticker.advance(Duration.ofSeconds(100));
    LeaseDeadline deadline = LeaseDeadline.sent(ticker::read, LEASE, MARGIN);
    // The answer comes 3 s later: the deadline does not move with it.
    ticker.advance(Duration.ofSeconds(3));

    assertThat(deadline.mustStopBy()).isEqualTo(Duration.ofSeconds(108).toNanos());
    assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(5));
    assertThat(deadline.expired()).isFalse();
    ticker.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(deadline.expired()).isFalse();
    ticker.advance(Duration.ofNanos(1));
    assertThat(deadline.expired()).isTrue();
    assertThat(deadline.remaining()).isZero();
  }

  @Test
  @DisplayName("a deadline compares readings across the wrap-around of nanoTime")
  void wrapAround() {
    Ticker ticker = new Ticker();
    ticker.now = Long.MAX_VALUE - Duration.ofSeconds(1).toNanos();
    LeaseDeadline deadline = LeaseDeadline.sent(ticker::read, LEASE, MARGIN);

    assertThat(deadline.expired(Long.MAX_VALUE)).isFalse();
    assertThat(deadline.expired(deadline.mustStopBy() - 1)).isFalse();
    assertThat(deadline.expired(deadline.mustStopBy())).isTrue();
    assertThat(deadline.mustStopBy()).isNegative();
  }

  @Test
  @DisplayName("a margin that is negative or not below the lease is refused")
  void badMargin() {
    assertThatThrownBy(() -> LeaseDeadline.sent(System::nanoTime, LEASE, LEASE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("margin");
    assertThatThrownBy(() -> LeaseDeadline.sent(System::nanoTime, LEASE, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
