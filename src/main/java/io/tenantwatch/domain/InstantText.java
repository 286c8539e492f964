package io.tenantwatch.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants as the engine writes them in its messages (a command's and a history entry's {@code at}, a
 * snapshot's times): exactly {@link Instant#toString()}, written by hand for the years 1 to 9999.
 *
 * <p>A snapshot carries up to fifty history entries, each with its commands, so handing the store a
 * batch of them wrote thousands of instants in one go, and the JDK's formatter made that the costliest
 * part of it. The output is the same text (a test compares the two on generated instants): seconds always,
 * and the fraction in as many groups of three digits as it needs.
 */
public final class InstantText {
  private static final int MAX_FAST_YEAR = 9999;
  private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
      100_000_000};

  private InstantText() {
  }

  /**
   * The instant {@code text} names, exactly as {@link Instant#parse} reads it: the shape the engine
   * writes ({@code yyyy-MM-ddTHH:mm:ss[.f…]Z}) by hand, anything else by {@link Instant#parse}, whose
   * formatter cost a received command more than the rest of reading it.
   *
   * @throws java.time.format.DateTimeParseException when {@link Instant#parse} would
   */
  public static Instant parse(String text) {
    if (text.length() > 19 && text.charAt(text.length() - 1) == 'Z') {
      Instant fast = ValidUntilText.parseCommonShape(text);
      if (fast != null) {
        return fast;
      }
    }
    return Instant.parse(text);
  }

  /** The same text as {@code instant.toString()}. */
  public static String format(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    if (t.getYear() < 1 || t.getYear() > MAX_FAST_YEAR) {
      return instant.toString();
    }
    StringBuilder out = toSeconds(t);
    int nano = instant.getNano();
    if (nano != 0) {
      out.append('.');
      if (nano % 1_000_000 == 0) {
        pad(out, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        pad(out, nano / 1_000, 6);
      } else {
        pad(out, nano, 9);
      }
    }
    return out.append('Z').toString();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} of a time whose year is 1 to 9999, to go on with the fraction. */
  static StringBuilder toSeconds(LocalDateTime t) {
    StringBuilder out = new StringBuilder(30);
    pad(out, t.getYear(), 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append('T');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    return pad(out, t.getSecond(), 2);
  }

  /** {@code value} in exactly {@code width} digits (at most nine), zeros first. */
  static StringBuilder pad(StringBuilder out, int value, int width) {
    for (int power = width - 1; power >= 0; power--) {
      out.append((char) ('0' + value / POWERS[power] % 10));
    }
    return out;
  }
}
