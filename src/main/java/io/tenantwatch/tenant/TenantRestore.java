package io.tenantwatch.tenant;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.SeenNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a stored tenant starts again (R11), as a pure function of its stored snapshot, the start epoch and
 * the time:
 * <ul>
 *   <li>its {@code ValidUntil} still ahead: it keeps its gate and is polled when due;</li>
 *   <li>otherwise it starts closed and is polled at once (through the poller's limiter);</li>
 *   <li>{@code seq} continues from at least {@code epoch x }{@value #SEQ_PER_EPOCH}: the store may lack
 *       the commands of the last second before a crash, and no command after a restart may carry a
 *       {@code seq} at or below one sent before it;</li>
 *   <li>workers registered after the restart know nothing, and one that outlived the engine may have
 *       missed its last command before a crash, so every tenant not retired announces its gate: an open
 *       one with a {@code resume}, a closed one with a {@code pause}, both with the reason
 *       {@value #REASON}.</li>
 * </ul>
 */
final class TenantRestore {
  /** The room for commands per tenant and engine start: seq after the n-th restart starts above n x this. */
  static final long SEQ_PER_EPOCH = 1_000_000_000L;
  /** The reason and history cause of the command a tenant announces itself with after a restart. */
  static final String REASON = "restored";

  private TenantRestore() {
  }

  /**
   * A stored tenant that starts again only to be unwatched at once (no longer in the configuration):
   * retired and closed, so it neither polls nor announces itself, its seq above the earlier starts' so
   * the {@code retire} the unwatch sends is not taken for a stale command.
   */
  static TenantStart.Loaded leaving(TenantSnapshot stored, List<SeenNotification> seen, long epoch) {
    long seq = Math.max(stored.seq(), epoch * SEQ_PER_EPOCH);
    TenantSnapshot closed = stored.withSeq(seq).withOpen(false).withNextPollAt(null);
    return new TenantStart.Loaded(closed.withLifecycle(closed.lifecycle().retire()), null, seen);
  }

  static TenantStart.Loaded restore(TenantSnapshot stored, List<SeenNotification> seen, long epoch, Instant now) {
    long seq = Math.max(stored.seq(), epoch * SEQ_PER_EPOCH);
    if (stored.retired()) {
      return new TenantStart.Loaded(stored.withSeq(seq), null, seen);
    }
    boolean valid = stored.validUntil() != null && now.isBefore(stored.validUntil());
    TenantSnapshot restored = stored.withSeq(seq);
    if (!valid) {
      // Nothing the old poll said holds any more; a hold that ended while the engine was down must not
      // reopen the gate from it either.
      Instant holdUntil = stored.holdActive(now) ? stored.holdUntil() : null;
      restored = restored.withGate(new Gate(false, holdUntil)).withNextPollAt(null);
    }
    CommandType announce = restored.open() ? CommandType.RESUME : CommandType.PAUSE;
    Command command = new Command(announce, restored.tenant(), restored.stateName(), restored.open(),
        restored.endpoint(), restored.api(), REASON, seq + 1, now);
    HistoryEntry entry = new HistoryEntry(restored.tenant(), now, restored.stateName(), restored.stateName(),
        REASON, List.of(command));
    List<HistoryEntry> history = new ArrayList<>(restored.history());
    history.add(entry);
    while (history.size() > PollSettings.DEFAULT_HISTORY_LIMIT) {
      history.remove(0);
    }
    return new TenantStart.Loaded(restored.withSeq(seq + 1).withHistory(history), entry, seen);
  }
}
