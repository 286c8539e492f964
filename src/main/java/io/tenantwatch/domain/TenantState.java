package io.tenantwatch.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The SuperOffice tenant states: the one table of code, name and whether the tenant's APIs are up.
 * Codes 7 and 9 are not defined by SuperOffice; an unknown name or number maps to {@link #UNKNOWN}
 * (the caller keeps the raw value).
 */
public enum TenantState {
  UNKNOWN(0, "Unknown", false, true),
  PROVISIONING(1, "Provisioning", false, true),
  RUNNING(2, "Running", true, false),
  DELETED(3, "Deleted", false, false),
  SUSPENDED(4, "Suspended", false, false),
  ONLINE_MAINTENANCE(5, "OnlineMaintenance", true, false),
  OFFLINE_MAINTENANCE(6, "OfflineMaintenance", false, true),
  PROVISIONING_FAILED(8, "ProvisioningFailed", false, false),
  DELETING(10, "Deleting", false, true),
  DELETE_FAILED(11, "DeleteFailed", false, false),
  MIGRATION_PENDING(12, "MigrationPending", false, false);

  private static final Map<Integer, TenantState> BY_CODE =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(TenantState::code, Function.identity()));
  private static final Map<String, TenantState> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(
          s -> s.displayName.toLowerCase(Locale.ROOT), Function.identity()));

  private final int code;
  private final String displayName;
  private final boolean running;
  private final boolean transitional;

  TenantState(int code, String displayName, boolean running, boolean transitional) {
    this.code = code;
    this.displayName = displayName;
    this.running = running;
    this.transitional = transitional;
  }

  /** SuperOffice's numeric code. */
  public int code() {
    return code;
  }

  /** SuperOffice's name, as the state API spells it (PascalCase). */
  public String displayName() {
    return displayName;
  }

  /** Whether the tenant's APIs are up in this state (Running and OnlineMaintenance). */
  public boolean running() {
    return running;
  }

  /** States expected to change soon, polled at most {@code transitionalPollIntervalMs} apart (R6). */
  public boolean transitional() {
    return transitional;
  }

  /** The state with this name, case-insensitive. */
  public static Optional<TenantState> byName(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The state with this code. */
  public static Optional<TenantState> byCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  @Override
  public String toString() {
    return displayName;
  }
}
