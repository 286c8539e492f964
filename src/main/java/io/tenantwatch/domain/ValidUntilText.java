package io.tenantwatch.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * {@code ValidUntil} as text: read as ISO-8601 (a value without a zone is UTC, as SuperOffice documents
 * it) and written as SuperOffice writes it, UTC with seven fractional digits.
 *
 * <p>Every poll reads and writes one, and {@link DateTimeFormatter} costs more than the rest of reading
 * the answer. So the shape SuperOffice uses ({@code yyyy-MM-ddTHH:mm:ss[.f…]} with {@code Z} or nothing)
 * is read and written by hand; anything else goes to the formatter. The fast path accepts only what the
 * formatter accepts and reads it to the same instant (a test compares the two on generated text).
 */
public final class ValidUntilText {
  private static final DateTimeFormatter SEVEN_DIGITS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
      100_000_000, 1_000_000_000};

  private ValidUntilText() {
  }

  /**
   * The instant {@code text} names.
   *
   * @throws DateTimeParseException when it is not an ISO-8601 date-time
   */
  public static Instant parse(String text) {
    String trimmed = text.trim();
    Instant fast = parseCommonShape(trimmed);
    return fast != null ? fast : parseAnyIsoShape(trimmed);
  }

  /** Written as SuperOffice writes it: {@code 2026-11-26T12:00:00.0000000Z}. */
  public static String format(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    if (t.getYear() < 1 || t.getYear() > 9999) { // year-of-era and sign: the formatter
      return SEVEN_DIGITS.format(instant);
    }
    StringBuilder out = InstantText.toSeconds(t).append('.');
    return InstantText.pad(out, t.getNano() / 100, 7).append('Z').toString();
  }

  static Instant parseAnyIsoShape(String trimmed) {
    TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(
        trimmed, OffsetDateTime::from, LocalDateTime::from);
    if (parsed instanceof OffsetDateTime offset) {
      return offset.toInstant();
    }
    return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss}, an optional fraction of 1 to 9 digits, an optional Z; else null. */
  static Instant parseCommonShape(String s) {
    int n = s.length();
    if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int end = n > 19 && s.charAt(n - 1) == 'Z' ? n - 1 : n;
    int nano = 0;
    if (end > 19) {
      int fractionDigits = end - 20;
      if (s.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return null;
      }
      int fraction = digits(s, 20, end);
      if (fraction < 0) {
        return null;
      }
      nano = fraction * POWERS[9 - fractionDigits];
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nano).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException outOfRange) {
      return null; // the formatter gives the error
    }
  }

  /** The decimal value of s[from, to), or -1 when a character there is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
