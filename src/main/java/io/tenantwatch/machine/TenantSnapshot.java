package io.tenantwatch.machine;

import io.tenantwatch.domain.History;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the engine knows about one tenant at one moment, in groups that change together.
 * Immutable; {@link TenantMachine} makes the next one with the {@code with...} methods. The accessors
 * below the components read one field of a group, so call sites read as before.
 *
 * @param tenant the context identifier
 * @param lastPoll what the last successful poll said ({@link LastPoll#NONE} before the first)
 * @param gate whether workers may call the tenant, and the notification hold
 * @param schedule the next poll and the failures since the last success
 * @param moveHint a Move's {@code PublicEndpoint}, kept until a poll confirms it (R5); null when none
 * @param lifecycle the commands' {@code seq} and {@code epoch}, what the next poll owes, and whether the tenant is retired
 * @param reports what workers' symptom reports left: a suspect endpoint, the last poll that answered reports
 * @param history the recorded steps, newest last, at most {@link PollSettings#historyLimit()}, kept packed
 */
public record TenantSnapshot(
    String tenant,
    LastPoll lastPoll,
    Gate gate,
    PollSchedule schedule,
    MoveHint moveHint,
    Lifecycle lifecycle,
    Reports reports,
    History history) {

  public TenantSnapshot {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(lastPoll, "lastPoll");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(lifecycle, "lifecycle");
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(history, "history");
  }

  /** A tenant just watched: Unknown, closed, never polled. */
  public static TenantSnapshot initial(String tenant) {
    return new TenantSnapshot(tenant, LastPoll.NONE, Gate.CLOSED, PollSchedule.NONE, null, Lifecycle.START,
        Reports.NONE, History.EMPTY);
  }

  public TenantSnapshot withLastPoll(LastPoll value) {
    return new TenantSnapshot(tenant, value, gate, schedule, moveHint, lifecycle, reports, history);
  }

  public TenantSnapshot withGate(Gate value) {
    return new TenantSnapshot(tenant, lastPoll, value, schedule, moveHint, lifecycle, reports, history);
  }

  public TenantSnapshot withSchedule(PollSchedule value) {
    return new TenantSnapshot(tenant, lastPoll, gate, value, moveHint, lifecycle, reports, history);
  }

  public TenantSnapshot withMoveHint(MoveHint value) {
    return new TenantSnapshot(tenant, lastPoll, gate, schedule, value, lifecycle, reports, history);
  }

  public TenantSnapshot withLifecycle(Lifecycle value) {
    return value == lifecycle ? this : new TenantSnapshot(tenant, lastPoll, gate, schedule, moveHint, value, reports,
        history);
  }

  public TenantSnapshot withReports(Reports value) {
    return new TenantSnapshot(tenant, lastPoll, gate, schedule, moveHint, lifecycle, value, history);
  }

  /** This snapshot with these entries as its history (kept packed: see {@link History}). */
  public TenantSnapshot withHistory(List<HistoryEntry> value) {
    return new TenantSnapshot(tenant, lastPoll, gate, schedule, moveHint, lifecycle, reports, History.of(value));
  }

  /** The gate opened or closed. */
  public TenantSnapshot withOpen(boolean value) {
    return withGate(gate.withOpen(value));
  }

  /**
   * The next poll due at {@code value}, null for none scheduled; this very snapshot when that is already so
   * (a tenant's first step asks for a poll with none scheduled: its verticle then sees the same snapshot,
   * and need not compare two equal ones field by field to find nothing to report).
   */
  public TenantSnapshot withNextPollAt(Instant value) {
    return Objects.equals(value, schedule.nextPollAt()) ? this : withSchedule(schedule.withNextPollAt(value));
  }

  public TenantSnapshot withSeq(long value) {
    return withLifecycle(lifecycle.withSeq(value));
  }

  /** Every command from now on carries this lease epoch (a node that took the tenant's shard over). */
  public TenantSnapshot withEpoch(long value) {
    return withLifecycle(lifecycle.withEpoch(value));
  }

  /** Whether a notification hold is on at {@code now}. */
  public boolean holdActive(Instant now) {
    return gate.holdActive(now);
  }

  /** See {@link LastPoll#stateName()}. */
  public String stateName() {
    return lastPoll.stateName();
  }

  public TenantState state() {
    return lastPoll.state();
  }

  public String rawState() {
    return lastPoll.rawState();
  }

  public Boolean polledRunning() {
    return lastPoll.running();
  }

  public String endpoint() {
    return lastPoll.endpoint();
  }

  public String api() {
    return lastPoll.api();
  }

  public String version() {
    return lastPoll.version();
  }

  public Instant validUntil() {
    return lastPoll.validUntil();
  }

  public Instant lastPolledAt() {
    return lastPoll.at();
  }

  public boolean open() {
    return gate.open();
  }

  public Instant holdUntil() {
    return gate.holdUntil();
  }

  public Instant nextPollAt() {
    return schedule.nextPollAt();
  }

  public int consecutiveFailures() {
    return schedule.consecutiveFailures();
  }

  public String lastError() {
    return schedule.lastError();
  }

  public boolean stale() {
    return schedule.stale();
  }

  public String endpointHint() {
    return moveHint == null ? null : moveHint.host();
  }

  public Instant hintUntil() {
    return moveHint == null ? null : moveHint.until();
  }

  public long seq() {
    return lifecycle.seq();
  }

  /** The lease epoch the tenant's commands carry; 0 on a single node. */
  public long epoch() {
    return lifecycle.epoch();
  }

  public Cause pendingCause() {
    return lifecycle.pendingCause();
  }

  public boolean resyncPending() {
    return lifecycle.resyncPending();
  }

  public boolean retired() {
    return lifecycle.retired();
  }

  /** Whether a worker was answered "wrong host" at the current api since the last successful poll. */
  public boolean endpointSuspect() {
    return reports.endpointSuspect();
  }
}
