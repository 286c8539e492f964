package io.tenantwatch.machine;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the engine knows about one tenant at one moment. Immutable; {@link TenantMachine} makes the
 * next one, usually through {@link #toBuilder()}.
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
 * @param endpointHint a Move's {@code PublicEndpoint} as a bare lower-case host, kept until a poll
 *     confirms it (R5)
 * @param hintUntil until when the hint keeps the tenant on the transitional schedule
 * @param retired workers were told to retire and polling stopped, because a poll confirmed Deleted (R4)
 *     or the tenant was unwatched; nothing but another unwatch changes a retired tenant
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
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(state, "state");
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

  /**
   * The state's name as commands, history and views show it: the table's name, except that a state the
   * table does not know keeps the raw value SuperOffice sent (e.g. {@code Frozen} or {@code 7}), so an
   * operator sees it.
   */
  public String stateName() {
    return stateName(state, rawState);
  }

  /** See {@link #stateName()}. */
  public static String stateName(TenantState state, String rawState) {
    if (state != TenantState.UNKNOWN || rawState == null || rawState.isBlank()) {
      return state.displayName();
    }
    String raw = rawState.trim();
    // "Unknown" and "0" are the table's own spellings of Unknown; only a foreign value is worth showing.
    boolean spelledAsUnknown = TenantState.byName(raw).isPresent() || raw.equals("0");
    return spelledAsUnknown ? state.displayName() : raw;
  }

  /** A builder holding this snapshot's values, for making the next one. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Makes a changed copy of a snapshot without repeating its 22 components. Not thread-safe. */
  public static final class Builder {
    private String tenant;
    private TenantState state;
    private String rawState;
    private boolean open;
    private Boolean polledRunning;
    private String endpoint;
    private String api;
    private String version;
    private Instant validUntil;
    private Instant lastPolledAt;
    private Instant nextPollAt;
    private int consecutiveFailures;
    private String lastError;
    private boolean stale;
    private Instant holdUntil;
    private long seq;
    private String pendingCause;
    private boolean resyncPending;
    private String endpointHint;
    private Instant hintUntil;
    private boolean retired;
    private List<HistoryEntry> history;

    private Builder(TenantSnapshot s) {
      tenant = s.tenant;
      state = s.state;
      rawState = s.rawState;
      open = s.open;
      polledRunning = s.polledRunning;
      endpoint = s.endpoint;
      api = s.api;
      version = s.version;
      validUntil = s.validUntil;
      lastPolledAt = s.lastPolledAt;
      nextPollAt = s.nextPollAt;
      consecutiveFailures = s.consecutiveFailures;
      lastError = s.lastError;
      stale = s.stale;
      holdUntil = s.holdUntil;
      seq = s.seq;
      pendingCause = s.pendingCause;
      resyncPending = s.resyncPending;
      endpointHint = s.endpointHint;
      hintUntil = s.hintUntil;
      retired = s.retired;
      history = s.history;
    }

    public Builder state(TenantState value) {
      state = value;
      return this;
    }

    public Builder rawState(String value) {
      rawState = value;
      return this;
    }

    public Builder open(boolean value) {
      open = value;
      return this;
    }

    public Builder polledRunning(Boolean value) {
      polledRunning = value;
      return this;
    }

    public Builder endpoint(String value) {
      endpoint = value;
      return this;
    }

    public Builder api(String value) {
      api = value;
      return this;
    }

    public Builder version(String value) {
      version = value;
      return this;
    }

    public Builder validUntil(Instant value) {
      validUntil = value;
      return this;
    }

    public Builder lastPolledAt(Instant value) {
      lastPolledAt = value;
      return this;
    }

    public Builder nextPollAt(Instant value) {
      nextPollAt = value;
      return this;
    }

    public Builder consecutiveFailures(int value) {
      consecutiveFailures = value;
      return this;
    }

    public Builder lastError(String value) {
      lastError = value;
      return this;
    }

    public Builder stale(boolean value) {
      stale = value;
      return this;
    }

    public Builder holdUntil(Instant value) {
      holdUntil = value;
      return this;
    }

    public Builder seq(long value) {
      seq = value;
      return this;
    }

    public Builder pendingCause(String value) {
      pendingCause = value;
      return this;
    }

    public Builder resyncPending(boolean value) {
      resyncPending = value;
      return this;
    }

    /** Sets the Move hint and how long it keeps the tenant on the transitional schedule. */
    public Builder endpointHint(String host, Instant until) {
      endpointHint = host;
      hintUntil = until;
      return this;
    }

    public Builder retired(boolean value) {
      retired = value;
      return this;
    }

    public Builder history(List<HistoryEntry> value) {
      history = value;
      return this;
    }

    public TenantSnapshot build() {
      return new TenantSnapshot(tenant, state, rawState, open, polledRunning, endpoint, api, version,
          validUntil, lastPolledAt, nextPollAt, consecutiveFailures, lastError, stale, holdUntil, seq,
          pendingCause, resyncPending, endpointHint, hintUntil, retired, history);
    }
  }
}
