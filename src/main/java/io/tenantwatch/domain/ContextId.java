package io.tenantwatch.domain;

import java.util.regex.Pattern;

/**
 * SuperOffice context identifiers: {@code Cust} followed by digits. Everything that names a tenant is
 * checked here before it reaches a URL, an event-bus address or a log line (R10).
 */
public final class ContextId {
  private static final Pattern VALID = Pattern.compile("Cust[0-9]{1,12}");

  private ContextId() {
  }

  public static boolean isValid(String candidate) {
    return candidate != null && VALID.matcher(candidate).matches();
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
