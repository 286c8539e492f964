package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantTextTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2026-11-26T22:58:00Z", "2026-11-26T22:58:00.100Z", "2026-11-26T22:58:00.000100Z",
      "2026-11-26T22:58:00.000000100Z", "2026-11-26T22:58:00.123456789Z", "1970-01-01T00:00:00Z",
      "0001-01-01T00:00:00.001Z", "9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z",
      "-0001-12-31T23:59:59Z", "2024-02-29T12:00:00.020Z"})
  @DisplayName("writes what Instant.toString writes, at the edges of each shape")
  void edges(String text) {
    Instant instant = Instant.parse(text);
    assertThat(InstantText.format(instant)).isEqualTo(instant.toString()).isEqualTo(text);
    assertThat(InstantText.parse(text)).isEqualTo(instant);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"2026-11-26T22:58:00+01:00", "2026-11-26T23:59:60Z", "2026-11-26T24:00:00Z", "2026-11-26T22:58:00.Z",
      "2026-11-26T22:58:00.5Z", "2026-11-26T22:58:00.0000001Z"})
  @DisplayName("reads what Instant.parse reads, the shapes the engine does not write included")
  void readsWhatInstantParseReads(String text) {
    assertThat(InstantText.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "2026-11-26T22:58Z", "2026-11-26T22:58:00", "2026-11-26 22:58:00Z", "2026-13-26T22:58:00Z",
      "2026-02-30T22:58:00Z", "2026-11-26T22:58:00.1234567890Z",
      " 2026-11-26T22:58:00Z", "2026-11-26T22:58:00Z ", "２026-11-26T22:58:00Z"})
  @DisplayName("refuses what Instant.parse refuses")
  void refusesWhatInstantParseRefuses(String text) {
    assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> InstantText.parse(text)).isInstanceOf(DateTimeParseException.class);
  }

  @Test
  @DisplayName("writes what Instant.toString writes, and reads it back, for 200,000 generated instants, with every fraction shape")
  void generated() {
    Random random = new Random(42);
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(-max / 100, max);
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(second, nano);
      assertThat(InstantText.format(instant)).as("%s", instant).isEqualTo(instant.toString());
      assertThat(InstantText.parse(instant.toString())).as("%s", instant).isEqualTo(instant);
    }
  }
}
