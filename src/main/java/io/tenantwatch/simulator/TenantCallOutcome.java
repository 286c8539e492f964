package io.tenantwatch.simulator;

/** How the simulator answered one call to a simulated tenant's own API ({@link Simulator#tenantCalls}). */
public enum TenantCallOutcome {
  /** 200: the tenant is running and lives on the host called. */
  ANSWERED(200),
  /** 503: the tenant lives there but is down (OfflineMaintenance, Suspended, Deleting, Deleted, ...). */
  DOWN(503),
  /** 421 "Wrong subdomain used to access tenant": the tenant does not live on the host called (any more). */
  WRONG_HOST(421),
  /** 404: no such tenant, or a path that is not under a tenant's api. */
  NOT_FOUND(404);

  private final int httpStatus;

  TenantCallOutcome(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
