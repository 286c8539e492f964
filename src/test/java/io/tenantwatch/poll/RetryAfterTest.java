package io.tenantwatch.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("1994-11-06T08:48:37Z");

  @ParameterizedTest(name = "\"{0}\" asks for {1} s")
  @DisplayName("delta-seconds and all three HTTP-date forms are read relative to now")
  @CsvSource(delimiter = '|', value = {
      "120 | 120",
      " 0 | 0",
      "Sun, 06 Nov 1994 08:49:37 GMT | 60",
      "Sunday, 06-Nov-94 08:49:37 GMT | 60",
      "Sun Nov  6 08:49:37 1994 | 60",
      "Sun, 06 Nov 1994 08:00:00 GMT | 0",
      "99999999999999999999 | 86400"})
  void readsWaits(String header, long seconds) {
    assertThat(RetryAfter.parse(header, NOW)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @DisplayName("an absent or unreadable header counts as none")
  @NullAndEmptySource
  @ValueSource(strings = {"soon", "-5", "1.5", "2026-10-21T07:28:00Z"})
  void ignoresUnreadable(String header) {
    assertThat(RetryAfter.parse(header, NOW)).isNull();
  }
}
