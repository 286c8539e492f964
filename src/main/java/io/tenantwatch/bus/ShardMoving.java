package io.tenantwatch.bus;

/**
 * A request for a tenant of a shard that no node ran within the routing's wait: its owner is handing it
 * over, or left and the others have not taken it yet. The same request succeeds once the new owner runs
 * it, so the HTTP answer is 503 with {@code Retry-After} {@link #retryAfterSeconds()}.
 */
public final class ShardMoving extends RuntimeException {
  public static final String CODE = "shard-moving";

  private final int shard;
  private final long retryAfterSeconds;

  public ShardMoving(int shard, long retryAfterSeconds) {
    super("the tenant's shard " + shard + " is moving to another node; try again", null, false, false);
    this.shard = shard;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int shard() {
    return shard;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
