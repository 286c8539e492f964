package io.tenantwatch.simulator;

import io.tenantwatch.domain.ChangeType;
import java.time.Duration;
import java.util.Objects;

/**
 * The state-change notification a scripted phase sends, as SuperOffice would: either when the tenant
 * enters the phase ({@link #lead} zero: Suspend, Resume, Delete, BackupRestored) or a short lead before
 * it (Upgrade warns that the tenant is about to go down, Move comes before the state API shows the new
 * host). A Move names the phase's host as its {@code PublicEndpoint}.
 *
 * @param type the ChangeType sent
 * @param lead how long before the phase starts it goes out; zero sends it once the phase is in force
 */
public record ScriptedNotification(ChangeType type, Duration lead) {

  public ScriptedNotification {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(lead, "lead");
    // A lead reaches back into the phase before; it must fit in the shortest phase.
    if (lead.isNegative() || lead.compareTo(Scenario.MIN_PHASE) >= 0) {
      throw new IllegalArgumentException("a notification lead must be from 0 to under "
          + Scenario.MIN_PHASE.toMillis() + " ms, not " + lead.toMillis() + " ms");
    }
  }

  /** Sent once the phase is in force. */
  public static ScriptedNotification on(ChangeType type) {
    return new ScriptedNotification(type, Duration.ZERO);
  }

  /** Sent this long before the phase starts. */
  public static ScriptedNotification ahead(ChangeType type, Duration lead) {
    return new ScriptedNotification(type, lead);
  }

  /** Whether it goes out before the phase starts rather than once it is in force. */
  public boolean leads() {
    return !lead.isZero();
  }
}
