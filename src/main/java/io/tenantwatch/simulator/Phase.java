package io.tenantwatch.simulator;

import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.util.Objects;

/**
 * One stretch of a scripted tenant's life: what it answers and for how long.
 *
 * @param state the state from the table ({@link TenantState#UNKNOWN} for a raw name outside it)
 * @param rawState the {@code State} name served
 * @param isRunning the {@code IsRunning} value served
 * @param host the host of the tenant's endpoint, for example {@code sod2.superoffice.com}
 * @param version the {@code Version} served
 * @param fault how the tenant misbehaves in this phase, null when it answers plainly
 * @param duration how long the phase lasts; null for the last phase of a scenario (Deleted stays)
 * @param notification what the tenant announces on entering this phase, or a lead before it; null
 *     when SuperOffice sends nothing for it
 */
public record Phase(TenantState state, String rawState, Boolean isRunning, String host, String version,
    Fault fault, Duration duration, ScriptedNotification notification) {

  public Phase {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(rawState, "rawState");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(version, "version");
  }

  /** A plain answer in this state, on the home host with the first version. */
  public static Phase of(TenantState state, Duration duration) {
    return of(state, Scenario.HOME_HOST, Scenario.version(0), duration);
  }

  /** A plain answer in this state, with {@code IsRunning} as SuperOffice sets it. */
  public static Phase of(TenantState state, String host, String version, Duration duration) {
    return new Phase(state, state.displayName(), state.running(), host, version, null, duration, null);
  }

  /** A plain answer naming a state outside the table, such as "Frozen". */
  public static Phase raw(String rawState, boolean isRunning, Duration duration) {
    TenantState state = TenantState.byName(rawState).orElse(TenantState.UNKNOWN);
    return new Phase(state, rawState, isRunning, Scenario.HOME_HOST, Scenario.version(0), null, duration, null);
  }

  /** The same phase, misbehaving. */
  public Phase withFault(Fault fault) {
    return new Phase(state, rawState, isRunning, host, version, fault, duration, notification);
  }

  /** The same phase, announced by this notification. */
  public Phase announcedBy(ScriptedNotification newNotification) {
    return new Phase(state, rawState, isRunning, host, version, fault, duration, newNotification);
  }

  /** Whether the scenario ends here, the tenant keeping this phase for good. */
  public boolean last() {
    return duration == null;
  }

  /**
   * Whether the tenant is between steady states. Such answers carry a shorter {@code ValidUntil} so the
   * engine follows the story quickly.
   */
  public boolean transitional() {
    return state != TenantState.RUNNING;
  }
}
