package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * R6 and R7 arithmetic with the default settings: min 5 s, max 1 h, transitional 30 s, jitter ratio 0.1,
 * retry 1 s to 5 min.
 */
class PollPlanTest {
  private final PollPlan plan = new PollPlan(PollSettings.defaults());

  private static Instant in(Duration d) {
    return NOW.plus(d);
  }

  @Test
  @DisplayName("With no jitter drawn the next poll is due exactly at ValidUntil")
  void dueAtValidUntil() {
    assertThat(plan.afterSuccess(NOW, in(Duration.ofMinutes(10)), false, 0.0)).isEqualTo(in(Duration.ofMinutes(10)));
  }

  @Test
  @DisplayName("The jitter is the drawn share of jitterRatio times the time left to ValidUntil")
  void jitterIsShareOfHorizon() {
    Instant validUntil = in(Duration.ofMinutes(10));

    assertThat(plan.afterSuccess(NOW, validUntil, false, 0.5)).isEqualTo(validUntil.plusSeconds(30));
    assertThat(plan.afterSuccess(NOW, validUntil, false, 0.999))
        .isEqualTo(validUntil.plusMillis(59_940))
        .isBefore(validUntil.plusSeconds(60));
    assertThat(plan.afterSuccess(NOW, validUntil, false, 1.0)).isEqualTo(validUntil.plusSeconds(60));
  }

  @Test
  @DisplayName("A ValidUntil closer than the minimum interval is pushed out to the minimum")
  void clampsToMinimum() {
    assertThat(plan.afterSuccess(NOW, in(Duration.ofSeconds(1)), false, 0.999)).isEqualTo(in(Duration.ofSeconds(5)));
  }

  @Test
  @DisplayName("A ValidUntil in the past, or none, gives the minimum interval")
  void validUntilInThePast() {
    assertThat(plan.afterSuccess(NOW, NOW.minusSeconds(600), false, 0.999)).isEqualTo(in(Duration.ofSeconds(5)));
    assertThat(plan.afterSuccess(NOW, NOW, true, 0.5)).isEqualTo(in(Duration.ofSeconds(5)));
    assertThat(plan.afterSuccess(NOW, null, false, 0.5)).isEqualTo(in(Duration.ofSeconds(5)));
  }

  @Test
  @DisplayName("A ValidUntil beyond the maximum interval, or jitter that would pass it, is cut to the maximum")
  void clampsToMaximum() {
    assertThat(plan.afterSuccess(NOW, in(Duration.ofHours(2)), false, 0.0)).isEqualTo(in(Duration.ofHours(1)));
    assertThat(plan.afterSuccess(NOW, in(Duration.ofMinutes(59)), false, 0.999)).isEqualTo(in(Duration.ofHours(1)));
    assertThat(plan.afterSuccess(NOW, Instant.MAX, false, 0.999)).isEqualTo(in(Duration.ofHours(1)));
  }

  @Test
  @DisplayName("While transitional the cap is the transitional interval")
  void transitionalCap() {
    assertThat(plan.afterSuccess(NOW, in(Duration.ofMinutes(10)), true, 0.0)).isEqualTo(in(Duration.ofSeconds(30)));
    assertThat(plan.afterSuccess(NOW, in(Duration.ofSeconds(20)), true, 0.0)).isEqualTo(in(Duration.ofSeconds(20)));
    assertThat(plan.afterSuccess(NOW, in(Duration.ofSeconds(29)), true, 0.999)).isEqualTo(in(Duration.ofSeconds(30)));
  }

  private static final Instant YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z");

  @Test
  @DisplayName("A ValidUntil in year 9999 or far past under the config's largest values is scheduled within the cap")
  void extremeValidUntilWithLargestConfig() {
    Duration week = Duration.ofMillis(io.tenantwatch.config.StateApiOptions.MAX_INTERVAL_MS);
    Duration day = Duration.ofMillis(io.tenantwatch.config.StateApiOptions.MAX_DELAY_MS);
    PollPlan largest = new PollPlan(new PollSettings(week, week, week, 1.0, day, day, day, 50));

    assertThat(largest.afterSuccess(NOW, YEAR_9999, false, 0.999)).isEqualTo(in(week));
    assertThat(largest.afterSuccess(NOW, Instant.parse("0001-01-01T00:00:00Z"), false, 0.999)).isEqualTo(in(week));
    assertThat(largest.afterFailure(NOW, Integer.MAX_VALUE, day, 0.999)).isEqualTo(in(day));
  }

  @Test
  @DisplayName("Settings past any config bound (a cap of Long.MAX_VALUE ms) saturate instead of overflowing")
  void saturatesBeyondConfigBounds() {
    Duration huge = Duration.ofMillis(Long.MAX_VALUE);
    PollPlan unbounded = new PollPlan(new PollSettings(Duration.ofSeconds(5), huge, huge, 1.0,
        Duration.ofSeconds(1), huge, huge, 50));

    assertThat(unbounded.afterSuccess(NOW, YEAR_9999, false, 0.999)).isAfterOrEqualTo(YEAR_9999);
    assertThat(unbounded.afterFailure(NOW, Integer.MAX_VALUE, null, 0.999)).isAfter(NOW);
  }

  @Test
  @DisplayName("Should the minimum exceed the cap, the cap wins")
  void capBeatsMinimum() {
    PollSettings odd = new PollSettings(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(30), 0.1,
        Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 50);

    assertThat(new PollPlan(odd).afterSuccess(NOW, NOW, true, 0.0)).isEqualTo(in(Duration.ofSeconds(30)));
  }

  @ParameterizedTest(name = "failure {0}: ceiling {1} s")
  @CsvSource({"1, 1", "2, 2", "3, 4", "4, 8", "5, 16", "9, 256", "10, 300", "11, 300", "64, 300", "2147483647, 300"})
  @DisplayName("The backoff ceiling doubles from retryMin per failure and stops at retryMax")
  void backoffCeiling(int failures, long seconds) {
    assertThat(plan.backoffCeiling(failures)).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(plan.afterFailure(NOW, failures, null, 1.0)).isEqualTo(in(Duration.ofSeconds(seconds)));
  }

  @Test
  @DisplayName("Full jitter spreads the delay between retryMin and the ceiling")
  void fullJitter() {
    assertThat(plan.afterFailure(NOW, 3, null, 0.0)).isEqualTo(in(Duration.ofSeconds(1)));
    assertThat(plan.afterFailure(NOW, 3, null, 0.5)).isEqualTo(in(Duration.ofMillis(2500)));
    assertThat(plan.afterFailure(NOW, 3, null, 0.999))
        .isAfterOrEqualTo(in(Duration.ofSeconds(1))).isBefore(in(Duration.ofSeconds(4)));
    assertThat(plan.afterFailure(NOW, 20, null, 0.999))
        .isAfterOrEqualTo(in(Duration.ofSeconds(1))).isBefore(in(Duration.ofMinutes(5)));
  }

  @Test
  @DisplayName("Retry-After lengthens the delay, up to retryMax and no further")
  void retryAfter() {
    assertThat(plan.afterFailure(NOW, 1, Duration.ofSeconds(60), 0.0)).isEqualTo(in(Duration.ofSeconds(60)));
    assertThat(plan.afterFailure(NOW, 1, Duration.ofHours(1), 0.0)).isEqualTo(in(Duration.ofMinutes(5)));
    assertThat(plan.afterFailure(NOW, 5, Duration.ofSeconds(2), 1.0)).isEqualTo(in(Duration.ofSeconds(16)));
    assertThat(plan.afterFailure(NOW, 1, Duration.ofSeconds(-5), 0.0)).isEqualTo(in(Duration.ofSeconds(1)));
  }

  @Test
  @DisplayName("The confirming poll falls due within the transitional interval but never later than one already due")
  void confirming() {
    assertThat(plan.confirming(NOW, null)).isEqualTo(in(Duration.ofSeconds(30)));
    assertThat(plan.confirming(NOW, in(Duration.ofMinutes(10)))).isEqualTo(in(Duration.ofSeconds(30)));
    assertThat(plan.confirming(NOW, in(Duration.ofSeconds(10)))).isEqualTo(in(Duration.ofSeconds(10)));
  }

  @Test
  @DisplayName("A draw outside [0, 1] is held to it rather than scheduling outside the window")
  void drawOutOfRange() {
    assertThat(plan.afterFailure(NOW, 3, null, -1.0)).isEqualTo(in(Duration.ofSeconds(1)));
    assertThat(plan.afterFailure(NOW, 3, null, 7.0)).isEqualTo(in(Duration.ofSeconds(4)));
    assertThat(plan.afterFailure(NOW, 3, null, Double.NaN)).isEqualTo(in(Duration.ofSeconds(1)));
  }
}
