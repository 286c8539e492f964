package io.tenantwatch.machine;

/**
 * Where the tenant is in its life with its workers: the commands sent, what the next successful poll
 * owes them, and whether it is over.
 *
 * @param seq the {@code seq} of the last command sent (0 before any)
 * @param pendingCause the cause to give the next successful poll's step, null for an ordinary poll
 * @param resyncPending a BackupRestored notification asks for one {@code resync} once the gate is open
 * @param retired workers were told to retire and polling stopped, because a poll confirmed Deleted (R4)
 *     or the tenant was unwatched; nothing but another unwatch changes a retired tenant
 */
public record Lifecycle(long seq, Cause pendingCause, boolean resyncPending, boolean retired) {

  /** Nothing sent, nothing pending. */
  public static final Lifecycle START = new Lifecycle(0, null, false, false);

  public Lifecycle withSeq(long value) {
    return new Lifecycle(value, pendingCause, resyncPending, retired);
  }

  public Lifecycle withPendingCause(Cause value) {
    return new Lifecycle(seq, value, resyncPending, retired);
  }

  public Lifecycle withResyncPending(boolean value) {
    return new Lifecycle(seq, pendingCause, value, retired);
  }

  /** Retired: workers were told to retire and polling stopped. */
  public Lifecycle retire() {
    return new Lifecycle(seq, pendingCause, resyncPending, true);
  }
}
