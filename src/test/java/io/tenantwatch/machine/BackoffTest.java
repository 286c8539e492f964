package io.tenantwatch.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

  @ParameterizedTest(name = "after failure {0}: {1} ms")
  @CsvSource({"-3, 500", "0, 500", "1, 500", "2, 1000", "3, 2000", "5, 8000", "6, 10000", "7, 10000",
      "64, 10000", "2147483647, 10000"})
  void doublesUpToItsMaximum(int failures, long millis) {
    assertThat(backoff.after(failures)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void fullJitterSpreadsFromTheFirstPauseToTheCeiling() {
    assertThat(backoff.jittered(3, 0)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.jittered(3, 0.5)).isEqualTo(Duration.ofMillis(1250));
    assertThat(backoff.jittered(3, 1)).isEqualTo(Duration.ofMillis(2000));
    assertThat(backoff.jittered(3, Double.NaN)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.jittered(3, 7)).isEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void hugeBoundsSaturateRatherThanOverflow() {
    Backoff huge = new Backoff(Duration.ofDays(1), Duration.ofSeconds(Long.MAX_VALUE / 2));
    assertThat(huge.after(Integer.MAX_VALUE)).isEqualTo(huge.max());
    assertThat(huge.jittered(Integer.MAX_VALUE, 1)).isPositive();
  }

  @Test
  void zeroMeansNoPause() {
    assertThat(new Backoff(Duration.ZERO, Duration.ofSeconds(1)).after(10)).isZero();
  }

  @Test
  void refusesAMaximumBelowTheFirstPause() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first <= max");
  }
}
