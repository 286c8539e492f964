package io.tenantwatch.cluster;

/**
 * Where a command stands in a tenant's history across owners: the {@code epoch} of the shard's lease under
 * which the owner sent it, then the tenant's {@code seq}. Pairs are ordered by epoch first and seq second,
 * so a command from a newer owner is above every command of an older one, whatever their seqs. A worker
 * applies a command only when its fence {@link #isAbove} the last one it applied for the tenant, and
 * acknowledges and ignores the rest (docs/cluster-shards.md).
 *
 * @param epoch the lease epoch, at least 0 (0 for an engine that is not clustered)
 * @param seq the per-tenant sequence number, at least 0 (0 only in {@link #NONE})
 */
public record Fence(long epoch, long seq) implements Comparable<Fence> {
  /** Below every command: what a worker holds for a tenant it has applied nothing for. */
  public static final Fence NONE = new Fence(0, 0);

  public Fence {
    if (epoch < 0 || seq < 0) {
      throw new IllegalArgumentException("a fence needs epoch >= 0 and seq >= 0, got (" + epoch + ", " + seq + ")");
    }
  }

  /** Whether this pair is strictly above {@code other}: a higher epoch, or the same epoch and a higher seq. */
  public boolean isAbove(Fence other) {
    return compareTo(other) > 0;
  }

  @Override
  public int compareTo(Fence other) {
    int byEpoch = Long.compare(epoch, other.epoch);
    return byEpoch != 0 ? byEpoch : Long.compare(seq, other.seq);
  }

  @Override
  public String toString() {
    return "(" + epoch + ", " + seq + ")";
  }
}
