package io.tenantwatch.tenant;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.Reports;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.SeenNotification;
import java.time.Instant;
import java.util.List;

/**
 * How a stored tenant starts again, as a pure function of its stored snapshot, the time and either the
 * engine's start epoch (R11, {@link #restore}) or the lease epoch of a node that has just taken the
 * tenant's shard over ({@link #handover}):
 * <ul>
 *   <li>its {@code ValidUntil} still ahead: it keeps its gate and is polled when due;</li>
 *   <li>otherwise it starts closed and is polled at once (through the poller's limiter);</li>
 *   <li>at an engine's start, {@code seq} continues from at least {@code startEpoch x }{@value #SEQ_PER_EPOCH}:
 *       the store may lack the commands of the last second before a crash, and no command after a restart
 *       may carry a {@code seq} at or below one sent before it;</li>
 *   <li>at a handover, {@code seq} continues from the stored one and the commands carry the new, higher lease
 *       epoch: workers order commands by {@code (epoch, seq)}, so the new owner's are above whatever the old
 *       owner sent, stored or not;</li>
 *   <li>workers registered after the restart know nothing, one that outlived the engine may have missed its
 *       last command before a crash, and one that followed the old owner may have missed its last commands,
 *       so every tenant not retired announces its gate once: an open one with a {@code resume}, a closed one
 *       with a {@code pause}, with the reason {@value #REASON} or {@value #HANDOVER_REASON};</li>
 *   <li>what workers' symptom reports left (a suspect endpoint, the last poll that answered reports) is not
 *       carried over: the poll that would have answered them may have been lost with the engine or the old
 *       owner, and the tenant's own polls tell the truth soon enough (contracts.md, "Symptom reports").</li>
 * </ul>
 */
final class TenantRestore {
  /** The room for commands per tenant and engine start: seq after the n-th restart starts above n x this. */
  static final long SEQ_PER_EPOCH = 1_000_000_000L;
  /** The reason and history cause of the command a tenant announces itself with after a restart. */
  static final String REASON = "restored";
  /** The reason and history cause of the command a tenant announces itself with on a node that took it over. */
  static final String HANDOVER_REASON = "handover";

  private TenantRestore() {
  }

  /**
   * A stored tenant that starts again only to be unwatched at once (no longer in the configuration):
   * retired and closed, so it neither polls nor announces itself, its seq above the earlier starts' so
   * the {@code retire} the unwatch sends is not taken for a stale command.
   */
  static TenantStart.Loaded leaving(TenantSnapshot stored, List<SeenNotification> seen, long startEpoch) {
    long seq = Math.max(stored.seq(), startEpoch * SEQ_PER_EPOCH);
    TenantSnapshot closed = stored.withSeq(seq).withOpen(false).withNextPollAt(null).withReports(Reports.NONE);
    return new TenantStart.Loaded(closed.withLifecycle(closed.lifecycle().retire()), null, seen);
  }

  /** A stored tenant at the engine's start (R11): announced with reason {@value #REASON}, at its stored epoch. */
  static TenantStart.Loaded restore(TenantSnapshot stored, List<SeenNotification> seen, long startEpoch,
      Instant now) {
    return announced(stored.withSeq(Math.max(stored.seq(), startEpoch * SEQ_PER_EPOCH)), seen, REASON, false, now);
  }

  /**
   * A stored tenant on the node that has just taken its shard over at lease epoch {@code epoch}: restored
   * under R11's rules, its commands from now on at {@code epoch}, and announced once with reason
   * {@value #HANDOVER_REASON}. A tenant its previous owner handed over ({@code handedOver}: it stopped the
   * tenant, wrote its last snapshot and released the lease, a moment ago) keeps its gate even when its
   * {@code ValidUntil} has just passed, and is polled at once: the snapshot is the live state of a moment ago,
   * whose poll was due just then, and closing the gate only for the next poll to reopen it would flap every
   * worker's gate at each graceful leave and join. After a failover the snapshot may be a lease old, and
   * R11's rule holds.
   *
   * @throws IllegalArgumentException when {@code epoch} is not above the stored snapshot's: the workers
   *     could not tell the new owner's commands from the old owner's last ones, unstored or not
   */
  static TenantStart.Loaded handover(TenantSnapshot stored, List<SeenNotification> seen, long epoch,
      boolean handedOver, Instant now) {
    if (epoch <= stored.epoch()) {
      throw new IllegalArgumentException(stored.tenant() + ": a handover needs an epoch above the stored "
          + stored.epoch() + ", got " + epoch);
    }
    return announced(stored.withEpoch(epoch), seen, HANDOVER_REASON, handedOver, now);
  }

  /**
   * The tenant restored under R11's gate rules, announcing its gate with one command at its next seq;
   * {@code keepGate}: one whose {@code ValidUntil} has passed keeps its gate all the same, and is polled at once.
   */
  private static TenantStart.Loaded announced(TenantSnapshot loaded, List<SeenNotification> seen, String reason,
      boolean keepGate, Instant now) {
    TenantSnapshot stored = loaded.withReports(Reports.NONE);
    if (stored.retired()) {
      return new TenantStart.Loaded(stored, null, seen);
    }
    boolean valid = stored.validUntil() != null && now.isBefore(stored.validUntil());
    TenantSnapshot restored = stored;
    if (!valid && keepGate) {
      restored = restored.withNextPollAt(null);
    } else if (!valid) {
      // Nothing the old poll said holds any more; a hold that ended while the engine was down must not
      // reopen the gate from it either.
      Instant holdUntil = stored.holdActive(now) ? stored.holdUntil() : null;
      restored = restored.withGate(new Gate(false, holdUntil)).withNextPollAt(null);
    }
    long seq = restored.seq() + 1;
    CommandType announce = restored.open() ? CommandType.RESUME : CommandType.PAUSE;
    Command command = new Command(announce, restored.tenant(), restored.stateName(), restored.open(),
        restored.endpoint(), restored.api(), reason, seq, restored.epoch(), now);
    HistoryEntry entry = new HistoryEntry(restored.tenant(), now, restored.stateName(), restored.stateName(),
        reason, List.of(command));
    return new TenantStart.Loaded(restored.withSeq(seq)
        .withHistory(restored.history().append(entry, PollSettings.DEFAULT_HISTORY_LIMIT)), entry, seen);
  }
}
