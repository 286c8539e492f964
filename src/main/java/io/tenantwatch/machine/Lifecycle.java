package io.tenantwatch.machine;

/**
 * Where the tenant is in its life with its workers: the commands sent, what the next successful poll
 * owes them, and whether it is over.
 *
 * @param seq the {@code seq} of the last command sent (0 before any)
 * @param epoch the lease epoch every command carries: the owner's for the tenant's shard in a cluster, 0 on a
 *     single node; commands are ordered by {@code (epoch, seq)}, so a new owner's commands are above an old
 *     owner's whatever their seqs
 * @param pendingCause the cause to give the next successful poll's step, null for an ordinary poll
 * @param resyncPending a BackupRestored notification asks for one {@code resync} once the gate is open
 * @param retired workers were told to retire and polling stopped, because a poll confirmed Deleted (R4)
 *     or the tenant was unwatched; nothing but another unwatch changes a retired tenant
 */
public record Lifecycle(long seq, long epoch, Cause pendingCause, boolean resyncPending, boolean retired) {

  /** Nothing sent, nothing pending, on a single node. */
  public static final Lifecycle START = new Lifecycle(0, 0, null, false, false);

  public Lifecycle {
    if (epoch < 0) {
      throw new IllegalArgumentException("a tenant's epoch must not be negative, got " + epoch);
    }
  }

  public Lifecycle withSeq(long value) {
    return new Lifecycle(value, epoch, pendingCause, resyncPending, retired);
  }

  /** Every command from now on at {@code value}; this very lifecycle when it is so already (a single node's 0). */
  public Lifecycle withEpoch(long value) {
    return value == epoch ? this : new Lifecycle(seq, value, pendingCause, resyncPending, retired);
  }

  public Lifecycle withPendingCause(Cause value) {
    return new Lifecycle(seq, epoch, value, resyncPending, retired);
  }

  public Lifecycle withResyncPending(boolean value) {
    return new Lifecycle(seq, epoch, pendingCause, value, retired);
  }

  /** Retired: workers were told to retire and polling stopped. */
  public Lifecycle retire() {
    return new Lifecycle(seq, epoch, pendingCause, resyncPending, true);
  }
}
