package io.tenantwatch.machine;

import java.time.Instant;
import java.util.Locale;

/**
 * A Move notification's {@code PublicEndpoint}, kept until a poll confirms it (R5), compared as a host
 * name: SuperOffice sends a bare host ({@code sod3.superoffice.com}) while the state API answers with
 * URLs ({@code https://sod3.superoffice.com:443/Cust12345/api}).
 *
 * @param host the hinted host, bare and lower-case
 * @param until until when the hint keeps the tenant on the transitional schedule
 */
public record MoveHint(String host, Instant until) {

  /** The hint, or null (no hint) when both parts are null. */
  public static MoveHint of(String host, Instant until) {
    return host == null && until == null ? null : new MoveHint(host, until);
  }

  /** Whether the hint still holds at {@code now} and the polled URLs do not show its host yet. */
  boolean pendingAfter(Instant now, String endpoint, String api) {
    boolean expired = until == null || !now.isBefore(until);
    return host != null && !expired && !confirmedBy(host, endpoint, api);
  }

  /**
   * The host part of a bare host or a URL, lower-case, without scheme, user info, port or path; null
   * when there is none.
   */
  static String hostOf(String text) {
    if (text == null) {
      return null;
    }
    String rest = text.trim();
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      rest = rest.substring(scheme + 3);
    }
    rest = cutAtFirst(rest, "/?#");
    int userInfo = rest.lastIndexOf('@');
    if (userInfo >= 0) {
      rest = rest.substring(userInfo + 1);
    }
    int port = rest.lastIndexOf(':');
    if (port >= 0 && rest.indexOf(']') < port) {
      rest = rest.substring(0, port);
    }
    rest = rest.toLowerCase(Locale.ROOT);
    return rest.isBlank() ? null : rest;
  }

  /** Whether either polled URL lives on the hinted host. */
  static boolean confirmedBy(String hint, String endpoint, String api) {
    return hint != null && (hint.equals(hostOf(endpoint)) || hint.equals(hostOf(api)));
  }

  private static String cutAtFirst(String text, String stops) {
    for (int i = 0; i < text.length(); i++) {
      if (stops.indexOf(text.charAt(i)) >= 0) {
        return text.substring(0, i);
      }
    }
    return text;
  }
}
