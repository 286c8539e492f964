package io.tenantwatch.machine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a poll failed (R7). None of them changes state or gate. */
public enum FailureKind {
  /** The state API did not answer within {@code requestTimeoutMs}. */
  TIMEOUT,
  /** The connection could not be made or broke. */
  CONNECTION,
  /** The state API answered with a status other than 2xx. */
  HTTP_STATUS,
  /** A 2xx answer whose body is not a state-API body. */
  UNPARSEABLE,
  /** A well-formed body that names another tenant. */
  WRONG_TENANT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<FailureKind> byWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
  }
}
