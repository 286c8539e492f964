package io.tenantwatch.tenant;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a tenant came to be watched; config tenants are always watched, the others until unwatched. */
public enum WatchOrigin {
  CONFIG,
  ADMIN,
  NOTIFICATION;

  /** Made once: every watch the directory hands the store names it. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Optional<WatchOrigin> byWireName(String name) {
    return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
  }
}
