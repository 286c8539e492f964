package io.tenantwatch.worker;

import io.tenantwatch.domain.Command;

/**
 * A call through {@link TenantGate#call} was refused, without being made, because the engine has not said the
 * tenant may be called now: it is unknown to the gate, closed, retired, or its calls in flight are being drained
 * for a {@code pause}, {@code retire} or {@code endpoint} (contracts.md, "Commands", "Calls through the gate").
 * Refusals are frequent and expected, so it carries no stack trace.
 */
public final class TenantClosed extends RuntimeException {
  /** The reason given for a tenant the gate has not been told about. */
  public static final String UNKNOWN = "unknown";

  private final String tenant;
  private final String state;
  private final String reason;

  private TenantClosed(String tenant, String state, String reason, String message) {
    super(message, null, false, false);
    this.tenant = tenant;
    this.state = state;
    this.reason = reason;
  }

  /** Why a call to this tenant is refused now, from the gate's last command for it (null: none). */
  static TenantClosed refusing(String tenant, Command last, boolean draining) {
    if (last == null) {
      return new TenantClosed(tenant, null, UNKNOWN, tenant + " is closed: the engine has not said it may be called");
    }
    String why = switch (last.type()) {
      case RETIRE -> "it is retired";
      case ENDPOINT -> draining ? "it moves, and its calls in flight are being drained" : "it is closed";
      case PAUSE -> draining ? "it is paused, and its calls in flight are being drained" : "it is paused";
      case RESUME, RESYNC -> draining ? "its calls in flight are being drained" : "it is closed";
    };
    return new TenantClosed(tenant, last.state(), last.reason(), tenant + " is closed: " + why + " (state "
        + last.state() + ", " + last.type().wireName() + " seq " + last.seq() + ", reason " + last.reason() + ")");
  }

  /** The tenant's context identifier. */
  public String tenant() {
    return tenant;
  }

  /** The tenant's state as the gate's last command gave it; null when the gate has not been told about it. */
  public String state() {
    return state;
  }

  /** The reason of the gate's last command for the tenant; {@value #UNKNOWN} when there is none. */
  public String reason() {
    return reason;
  }
}
