package io.tenantwatch.machine;

import java.time.Instant;

/**
 * Whether workers may call the tenant (R1, R5), and the notification hold that keeps it closed.
 *
 * @param open whether workers may call the tenant
 * @param holdUntil the end of a notification hold (R5), null when none is on
 */
public record Gate(boolean open, Instant holdUntil) {

  /** Closed, no hold: a tenant just watched. */
  public static final Gate CLOSED = new Gate(false, null);

  /** Whether the hold is on at {@code now}. */
  public boolean holdActive(Instant now) {
    return holdUntil != null && now.isBefore(holdUntil);
  }

  public Gate withOpen(boolean value) {
    return new Gate(value, holdUntil);
  }

  public Gate withHoldUntil(Instant value) {
    return new Gate(open, value);
  }
}
