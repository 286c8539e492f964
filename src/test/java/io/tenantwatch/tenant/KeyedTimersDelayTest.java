package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyedTimersDelayTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  @DisplayName("a timer delay is at least 1 ms and saturates for instants centuries away or far past")
  void delaySaturates() {
    assertThat(KeyedTimers.delayMillis(NOW, NOW)).isEqualTo(1);
    assertThat(KeyedTimers.delayMillis(NOW, Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo(1);
    assertThat(KeyedTimers.delayMillis(NOW, NOW.plusMillis(2_500))).isEqualTo(2_500);
    assertThat(KeyedTimers.delayMillis(NOW, Instant.MAX)).isPositive().isLessThan(Long.MAX_VALUE / 1_000_000);
    assertThat(KeyedTimers.delayMillis(Instant.MIN, Instant.MAX)).isPositive().isLessThan(Long.MAX_VALUE / 1_000_000);
  }
}
