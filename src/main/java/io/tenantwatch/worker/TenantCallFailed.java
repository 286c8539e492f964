package io.tenantwatch.worker;

/**
 * A call through {@link TenantGate#call} failed with this HTTP status from the tenant. A call that fails its
 * future with it is counted and reported by the gate like a response with that status ({@link CallFailure}), for
 * clients that turn a status into a failure themselves.
 */
public final class TenantCallFailed extends RuntimeException {
  private final int status;

  /** @throws IllegalArgumentException when the status is not an HTTP status */
  public TenantCallFailed(int status, String message) {
    super(message);
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("a tenant call's status must be an HTTP status, was " + status);
    }
    this.status = status;
  }

  public TenantCallFailed(int status) {
    this(status, "the tenant answered " + status);
  }

  /** The HTTP status the tenant answered. */
  public int status() {
    return status;
  }
}
