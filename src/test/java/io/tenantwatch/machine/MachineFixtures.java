package io.tenantwatch.machine;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Shared values for the machine tests: one fixed instant, the default settings, ready-made snapshots. */
final class MachineFixtures {
  static final String TENANT = "Cust12345";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-23T09:00:00Z"), ZoneOffset.UTC);
  static final Instant NOW = CLOCK.instant();
  static final PollSettings SETTINGS = PollSettings.defaults();

  static final String ENDPOINT_1 = "https://sod2.superoffice.com:443/Cust12345";
  static final String API_1 = "https://sod2.superoffice.com:443/Cust12345/api";
  static final String ENDPOINT_2 = "https://sod3.superoffice.com:443/Cust12345";
  static final String API_2 = "https://sod3.superoffice.com:443/Cust12345/api";

  /** The last poll said ValidUntil is ten minutes ahead; the next poll is due then. */
  static final Instant VALID_UNTIL = NOW.plus(Duration.ofMinutes(10));
  static final long SEQ = 7;

  private MachineFixtures() {
  }

  static TenantMachine machine() {
    return machine(0.0);
  }

  static TenantMachine machine(double random) {
    return new TenantMachine(SETTINGS, () -> random);
  }

  static Instant at(Duration offset) {
    return NOW.plus(offset);
  }

  static TenantSnapshot fresh() {
    return TenantSnapshot.initial(TENANT);
  }

  /** A tenant polled a minute ago, in this state, with its gate as given and no hold. */
  static TenantSnapshot polled(TenantState state, boolean open) {
    return fresh()
        .withLastPoll(new LastPoll(state, state.displayName(), open, ENDPOINT_1, API_1, "Release_11.10", VALID_UNTIL,
            NOW.minusSeconds(60)))
        .withOpen(open).withNextPollAt(VALID_UNTIL).withSeq(SEQ);
  }

  static TenantSnapshot openRunning() {
    return polled(TenantState.RUNNING, true);
  }

  static TenantSnapshot closedSuspended() {
    return polled(TenantState.SUSPENDED, false);
  }

  /** Held closed by a notification a minute ago: the hold ends a minute from now. */
  static TenantSnapshot heldRunning() {
    return polled(TenantState.RUNNING, true).withGate(new Gate(false, at(Duration.ofMinutes(1))));
  }

  /** A poll confirmed Deleted. */
  static TenantSnapshot retired() {
    TenantSnapshot deleted = polled(TenantState.DELETED, false).withNextPollAt(null);
    return deleted.withLifecycle(deleted.lifecycle().retire());
  }

  static TenantStatus status(TenantState state, Boolean isRunning) {
    return new TenantStatus(TENANT, ENDPOINT_1, state, state.displayName(), isRunning, VALID_UNTIL, API_1,
        "Release_11.10");
  }

  /** A state the table does not know, e.g. {@code Frozen}: Unknown with the raw name kept. */
  static TenantStatus rawStatus(String raw, Boolean isRunning) {
    return new TenantStatus(TENANT, ENDPOINT_1, TenantState.UNKNOWN, raw, isRunning, VALID_UNTIL, API_1,
        "Release_11.10");
  }

  static TenantStatus running() {
    return status(TenantState.RUNNING, true);
  }

  static TenantStatus moved(TenantState state, Boolean isRunning) {
    return new TenantStatus(TENANT, ENDPOINT_2, state, state.displayName(), isRunning, VALID_UNTIL, API_2,
        "Release_11.10");
  }

  static TenantEvent.PollSucceeded success(TenantStatus status) {
    return new TenantEvent.PollSucceeded(status);
  }

  static TenantEvent.NotificationReceived notification(int code) {
    return new TenantEvent.NotificationReceived(
        new Notification(TENANT, ChangeType.of(code), "Release_11.10", "", null));
  }

  static TenantEvent.NotificationReceived move(String publicEndpoint) {
    return new TenantEvent.NotificationReceived(
        new Notification(TENANT, ChangeType.MOVE, "Release_11.10", "", publicEndpoint));
  }

  static TenantEvent.PollFailed failure(FailureKind kind) {
    return new TenantEvent.PollFailed(PollFailure.of(kind, "it went wrong"));
  }

  static Command command(CommandType type, String state, boolean running, String endpoint, String api,
      String reason, long seq) {
    return new Command(type, TENANT, state, running, endpoint, api, reason, seq, 0, NOW);
  }

  /** A command about a tenant still at the first endpoint and api. */
  static Command command(CommandType type, String state, boolean running, String reason, long seq) {
    return command(type, state, running, ENDPOINT_1, API_1, reason, seq);
  }

  static HistoryEntry entry(String from, String to, String cause, Command... commands) {
    return new HistoryEntry(TENANT, NOW, from, to, cause, List.of(commands));
  }

  static Effect send(Command command) {
    return new Effect.SendCommand(command);
  }

  static Effect publish(HistoryEntry entry) {
    return new Effect.Publish(entry);
  }

  static Effect schedulePoll(Instant at) {
    return new Effect.SchedulePoll(at);
  }
}
