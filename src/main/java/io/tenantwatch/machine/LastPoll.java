package io.tenantwatch.machine;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * What the last successful poll said, and when it was applied. Not a {@link TenantStatus}: the snapshot
 * keeps the running flag as R1 resolved it (the status's {@code IsRunning}, or the state's own where the
 * answer had none), and the tenant's name lives once, on the snapshot.
 *
 * @param state the polled state (Unknown before the first successful poll)
 * @param rawState the {@code State} value as the state API sent it, null before the first poll
 * @param running the running flag of the last successful poll (R1), null before the first one
 * @param endpoint the polled {@code Endpoint}
 * @param api the polled {@code Api}
 * @param version the polled {@code Version}
 * @param validUntil the polled {@code ValidUntil}
 * @param at when the poll was applied, null before the first one
 */
public record LastPoll(TenantState state, String rawState, Boolean running, String endpoint, String api,
    String version, Instant validUntil, Instant at) {

  /** Never polled: Unknown, nothing known. */
  public static final LastPoll NONE = new LastPoll(TenantState.UNKNOWN, null, null, null, null, null, null, null);

  public LastPoll {
    Objects.requireNonNull(state, "state");
  }

  /**
   * The poll that answered {@code status}, applied at {@code at}, after {@code previous}: each string equal
   * to the previous poll's (or, for the raw state, to the table's name) is kept as that very string, not
   * the one just parsed. A parsed body brings fresh strings on every poll, and steady polls would
   * otherwise leave each tenant holding its own copies of what it held already.
   */
  public static LastPoll after(LastPoll previous, TenantStatus status, Instant at) {
    String rawState = status.rawState();
    if (rawState != null && rawState.equals(status.state().displayName())) {
      rawState = status.state().displayName();
    }
    return new LastPoll(status.state(), same(rawState, previous.rawState), status.running(),
        same(status.endpoint(), previous.endpoint), same(status.api(), previous.api),
        same(status.version(), previous.version), status.validUntil(), at);
  }

  private static String same(String value, String known) {
    return value != null && value.equals(known) ? known : value;
  }

  /** Whether the polled {@code ValidUntil} is still ahead at {@code now}. */
  public boolean validAt(Instant now) {
    return validUntil != null && now.isBefore(validUntil);
  }

  /**
   * The state's name as commands, history and views show it: the table's name, except that a state the
   * table does not know keeps the raw value SuperOffice sent (e.g. {@code Frozen} or {@code 7}), so an
   * operator sees it.
   */
  public String stateName() {
    if (state != TenantState.UNKNOWN || rawState == null || rawState.isBlank()) {
      return state.displayName();
    }
    String raw = rawState.trim();
    // "Unknown" and "0" are the table's own spellings of Unknown; only a foreign value is worth showing.
    boolean spelledAsUnknown = TenantState.byName(raw).isPresent() || raw.equals("0");
    return spelledAsUnknown ? state.displayName() : raw;
  }
}
