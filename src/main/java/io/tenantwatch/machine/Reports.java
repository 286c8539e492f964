package io.tenantwatch.machine;

import java.time.Instant;

/**
 * What workers' symptom reports left on a tenant (contracts.md, "Symptom reports"). Not carried over a load
 * from the store: a restored or handed-over tenant starts with {@link #NONE}.
 *
 * @param endpointSuspect a worker was answered "wrong host" (421) at the tenant's current api since the last
 *     successful poll, which clears it
 * @param pollAt when the last poll that answers reports was asked for, or is due when a report brought the
 *     next poll forward; null before the first report. Reports within {@code minPollInterval} after it bring no
 *     poll of their own.
 */
public record Reports(boolean endpointSuspect, Instant pollAt) {

  /** No report since the tenant was watched (or loaded). */
  public static final Reports NONE = new Reports(false, null);

  public Reports withEndpointSuspect(boolean value) {
    return new Reports(value, pollAt);
  }

  public Reports withPollAt(Instant value) {
    return new Reports(endpointSuspect, value);
  }
}
