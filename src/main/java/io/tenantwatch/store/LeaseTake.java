package io.tenantwatch.store;

/**
 * What {@link ShardLeases#take} found for one shard: the caller now holds it, or another node does (and the
 * caller may wait for that lease to lapse, or to be released).
 */
public sealed interface LeaseTake {

  /** The shard's lease as it is now. */
  Lease lease();

  /** The caller holds the shard: a first take, a take after a release or lapse (epoch + 1), or a renewal (same epoch). */
  record Taken(Lease lease) implements LeaseTake {
  }

  /** Another node holds the shard until {@code lease().expiresAt()}, by the database's clock. */
  record HeldByOther(Lease lease) implements LeaseTake {
  }
}
