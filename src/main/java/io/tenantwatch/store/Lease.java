package io.tenantwatch.store;

import java.time.Instant;

/**
 * One row of {@code shard_lease}: who holds a shard, under which epoch, until when by the database's clock.
 *
 * @param shard the shard number
 * @param owner the holder's node id; null once released
 * @param epoch the lease's epoch, at least 1: it rises by one on every change of owner, and every command
 *     and tenant write of the holder carries it
 * @param expiresAt when the lease lapses, by the database's clock; a released lease has lapsed already
 */
public record Lease(int shard, String owner, long epoch, Instant expiresAt) {

  /** Whether {@code nodeId} holds this lease (it may still have lapsed by the database's clock). */
  public boolean heldBy(String nodeId) {
    return owner != null && owner.equals(nodeId);
  }
}
