package io.tenantwatch.machine;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import java.time.Instant;
import java.util.List;

/**
 * Everything the engine knows about one tenant at one moment. Immutable; {@link TenantMachine} makes the
 * next one.
 *
 * @param tenant the context identifier
 * @param state the last polled state (Unknown before the first successful poll)
 * @param rawState the {@code State} value as the state API sent it, null before the first poll
 * @param open the gate: whether workers may call the tenant (R1, R5)
 * @param polledRunning the running flag of the last successful poll, null before the first one
 * @param endpoint the last polled {@code Endpoint}
 * @param api the last polled {@code Api}
 * @param version the last polled {@code Version}
 * @param validUntil the last polled {@code ValidUntil}
 * @param lastPolledAt when the last successful poll was applied
 * @param nextPollAt when the next poll is due, null while none is scheduled (a poll in flight, Deleted)
 * @param consecutiveFailures failed polls since the last successful one
 * @param lastError the last failure's description, null after a success
 * @param stale whether {@code ValidUntil} has passed while polls keep failing (R7)
 * @param holdUntil the end of a notification hold (R5), null when none is on
 * @param seq the {@code seq} of the last command sent (0 before any)
 * @param pendingCause the cause to give the next successful poll's step (e.g. {@code admin},
 *     {@code notification:Resume}), null for an ordinary poll
 * @param resyncPending a BackupRestored notification asks for one {@code resync} once the gate is open
 * @param endpointHint a Move's {@code PublicEndpoint}, kept until a poll confirms it (R5)
 * @param hintUntil until when the hint keeps the tenant on the transitional schedule
 * @param retired a poll confirmed Deleted: polling stopped and workers were told to retire (R4)
 * @param history the recorded steps, newest last, at most {@link PollSettings#historyLimit()}
 */
public record TenantSnapshot(
    String tenant,
    TenantState state,
    String rawState,
    boolean open,
    Boolean polledRunning,
    String endpoint,
    String api,
    String version,
    Instant validUntil,
    Instant lastPolledAt,
    Instant nextPollAt,
    int consecutiveFailures,
    String lastError,
    boolean stale,
    Instant holdUntil,
    long seq,
    String pendingCause,
    boolean resyncPending,
    String endpointHint,
    Instant hintUntil,
    boolean retired,
    List<HistoryEntry> history) {

  public TenantSnapshot {
    history = List.copyOf(history);
  }

  /** A tenant just watched: Unknown, closed, never polled. */
  public static TenantSnapshot initial(String tenant) {
    return new TenantSnapshot(tenant, TenantState.UNKNOWN, null, false, null, null, null, null, null, null,
        null, 0, null, false, null, 0, null, false, null, null, false, List.of());
  }

  /** Whether a notification hold is on at {@code now}. */
  public boolean holdActive(Instant now) {
    return holdUntil != null && now.isBefore(holdUntil);
  }
}
