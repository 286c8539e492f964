package io.tenantwatch.poll;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 section 10.2.3): delta-seconds or an HTTP-date in any
 * of its three forms. A date in the past means "now"; anything unreadable counts as no header at all.
 */
final class RetryAfter {
  /** Beyond a day the server is not asking for a back-off but misbehaving; the tenant's own cap rules. */
  private static final long MAX_SECONDS = 86_400;

  private static final List<DateTimeFormatter> HTTP_DATES = List.of(
      DateTimeFormatter.RFC_1123_DATE_TIME,
      // RFC 850, obsolete but still to be accepted: Sunday, 06-Nov-94 08:49:37 GMT
      new DateTimeFormatterBuilder()
          .appendPattern("EEEE, dd-MMM-")
          .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
          .appendPattern(" HH:mm:ss zzz")
          .toFormatter(Locale.US),
      // asctime: Sun Nov  6 08:49:37 1994 (always GMT)
      new DateTimeFormatterBuilder()
          .appendPattern("EEE MMM ")
          .padNext(2)
          .appendValue(ChronoField.DAY_OF_MONTH)
          .appendPattern(" HH:mm:ss yyyy")
          .toFormatter(Locale.US)
          .withZone(java.time.ZoneOffset.UTC));

  private RetryAfter() {
  }

  /** The wait the header asks for, or null when there is no readable header. */
  static Duration parse(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Long digit runs overflow a long: they are "very long", which the cap turns into a day.
      long seconds = value.length() > 12 ? MAX_SECONDS : Math.min(Long.parseLong(value), MAX_SECONDS);
      return Duration.ofSeconds(seconds);
    }
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        Duration wait = Duration.between(now, ZonedDateTime.parse(value, format).toInstant());
        if (wait.isNegative()) {
          return Duration.ZERO;
        }
        return wait.getSeconds() > MAX_SECONDS ? Duration.ofSeconds(MAX_SECONDS) : wait;
      } catch (DateTimeParseException e) {
        // Not this form of HTTP-date; the next one may fit.
      }
    }
    return null;
  }
}
