package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ValidUntilTextTest {
  private static final long SEED = 20261126L;
  private static final DateTimeFormatter SEVEN_DIGITS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String[] ENDINGS = {"", "Z", "z", "+00:00", "+01:00", "-05:30", "Z[UTC]", " ", "ZZ"};

  @Test
  @DisplayName("the hand-written reading accepts exactly what ISO_DATE_TIME accepts and reads the same instant")
  void fastPathAgreesWithTheFormatter() {
    Random random = new Random(SEED);
    int fast = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = mutate(candidate(random), random);
      Instant expected = formatterReading(text);
      if (ValidUntilText.parseCommonShape(text.trim()) != null) {
        fast++;
      }
      if (expected == null) {
        assertThatThrownBy(() -> ValidUntilText.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
      } else {
        assertThat(ValidUntilText.parse(text)).as(text).isEqualTo(expected);
      }
    }
    // The comparison is only worth something if both paths were taken often.
    assertThat(fast).isGreaterThan(2_000).isLessThan(18_000);
  }

  @Test
  @DisplayName("writing gives SuperOffice's seven-digit UTC form, the same as the formatter's, and reads back")
  void formatAgreesWithTheFormatter() {
    Random random = new Random(SEED);
    for (int i = 0; i < 100_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_800L),
          random.nextInt(1_000_000_000));
      String text = ValidUntilText.format(instant);
      assertThat(text).isEqualTo(SEVEN_DIGITS.format(instant));
      assertThat(ValidUntilText.parse(text)).isEqualTo(instant.minusNanos(instant.getNano() % 100));
    }
    assertThat(ValidUntilText.format(Instant.parse("2020-01-01T00:00:00.123456789Z")))
        .isEqualTo("2020-01-01T00:00:00.1234567Z");
  }

  private static Instant formatterReading(String text) {
    try {
      return ValidUntilText.parseAnyIsoShape(text.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Mostly plausible date-times, some out of range (day 31 in April, hour 24, second 60, Feb 29). */
  private static String candidate(Random random) {
    String date = String.format("%04d-%02d-%02d", random.nextInt(10_000), random.nextInt(14), random.nextInt(33));
    String time = String.format("%02d:%02d:%02d", random.nextInt(26), random.nextInt(62), random.nextInt(62));
    StringBuilder text = new StringBuilder(date).append(random.nextInt(20) == 0 ? 't' : 'T').append(time);
    int fraction = random.nextInt(12) - 1;
    if (fraction >= 0) {
      text.append('.');
      for (int i = 0; i < fraction; i++) {
        text.append((char) ('0' + random.nextInt(10)));
      }
    }
    return text.append(ENDINGS[random.nextInt(ENDINGS.length)]).toString();
  }

  /** Now and then one character replaced, dropped or doubled, or space around. */
  private static String mutate(String text, Random random) {
    int at = random.nextInt(text.length());
    return switch (random.nextInt(8)) {
      case 0 -> text.substring(0, at) + "0-:.TZ+ x9".charAt(random.nextInt(10)) + text.substring(at + 1);
      case 1 -> text.substring(0, at) + text.substring(at + 1);
      case 2 -> text.substring(0, at) + text.charAt(at) + text.substring(at);
      case 3 -> " " + text + "\t";
      default -> text;
    };
  }
}
