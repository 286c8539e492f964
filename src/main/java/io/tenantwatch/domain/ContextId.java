package io.tenantwatch.domain;

/**
 * SuperOffice context identifiers: {@code Cust} followed by digits. Everything that names a tenant is
 * checked here before it reaches a URL, an event-bus address or a log line (R10).
 */
public final class ContextId {
  private static final String PREFIX = "Cust";
  private static final int MAX_DIGITS = 12;

  private ContextId() {
  }

  /** {@code Cust[0-9]{1,12}}, checked by hand: it runs several times per poll, where a regex costs. */
  public static boolean isValid(String candidate) {
    if (candidate == null || !candidate.startsWith(PREFIX)) {
      return false;
    }
    int digits = candidate.length() - PREFIX.length();
    if (digits < 1 || digits > MAX_DIGITS) {
      return false;
    }
    for (int i = PREFIX.length(); i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Returns the identifier, or throws with a message that does not repeat the bad input verbatim. */
  public static String require(String candidate) {
    if (!isValid(candidate)) {
      throw new IllegalArgumentException(
          "a context identifier is 'Cust' followed by 1 to 12 digits, for example Cust12345");
    }
    return candidate;
  }
}
