package io.tenantwatch.domain;

import java.util.Locale;
import java.util.Optional;

/** What a command tells the workers to do about one tenant. */
public enum CommandType {
  /** The gate closed: stop calling the tenant. */
  PAUSE,
  /** The gate opened: the tenant may be called again, at the endpoint and api in the command. */
  RESUME,
  /** The tenant moved while open: call it at the new endpoint and api from now on. */
  ENDPOINT,
  /** The tenant was restored from a backup: data synced since then may be gone. */
  RESYNC,
  /** The tenant is deleted or no longer watched: forget it. */
  RETIRE;

  private static final CommandType[] ALL = values();

  /** Every command names its type; a name made once rather than lower-cased each time. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  public static Optional<CommandType> byWireName(String name) {
    for (CommandType type : ALL) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Whether a worker may call the tenant after applying this command. */
  public Optional<Boolean> opensGate() {
    return switch (this) {
      case RESUME -> Optional.of(true);
      case PAUSE, RETIRE -> Optional.of(false);
      case ENDPOINT, RESYNC -> Optional.empty();
    };
  }
}
