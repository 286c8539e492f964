package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.History;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.Cause;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.Lifecycle;
import io.tenantwatch.machine.MoveHint;
import io.tenantwatch.machine.PollSchedule;
import io.tenantwatch.machine.Reports;
import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SnapshotJsonTest {
  private static final String CTX = "Cust12345";
  private static final Instant NOW = Instant.parse("2026-02-23T09:00:00Z");

  /** Every component set, so a component the JSON forgot shows up as a difference. */
  private static TenantSnapshot full() {
    Command pause = new Command(CommandType.PAUSE, CTX, "Frozen", false, "https://sod2.superoffice.com/" + CTX,
        "https://sod2.superoffice.com/" + CTX + "/api", "notification:Suspend", 8, 0, NOW);
    HistoryEntry entry = new HistoryEntry(CTX, NOW, "Running", "Frozen", "notification:Suspend", List.of(pause));
    return new TenantSnapshot(CTX,
        new LastPoll(TenantState.UNKNOWN, "Frozen", true, pause.endpoint(), pause.api(), "Release_11.10",
            NOW.plusSeconds(60), NOW.minusSeconds(5)),
        new Gate(false, NOW.plusSeconds(120)),
        new PollSchedule(NOW.plusSeconds(61), 2, "timeout: no answer within 5000 ms", true),
        new MoveHint("sod3.superoffice.com", NOW.plusSeconds(30)),
        new Lifecycle(8, 0, Cause.ADMIN, true, false),
        new Reports(true, NOW.minusSeconds(2)),
        History.of(List.of(entry)));
  }

  /**
   * The stored form is a contract with every PostgreSQL row already written: these names and values are
   * what the engine has always written, and what it must go on reading.
   */
  @Test
  @DisplayName("a snapshot as stored by earlier versions reads as the same snapshot, and is written the same way")
  void storedFormIsStable() {
    TenantSnapshot snapshot = full().withReports(Reports.NONE);
    JsonObject stored = new JsonObject("""
        {"tenant":"Cust12345","stateCode":0,"rawState":"Frozen","open":false,"polledRunning":true,
         "endpoint":"https://sod2.superoffice.com/Cust12345","api":"https://sod2.superoffice.com/Cust12345/api",
         "version":"Release_11.10","validUntil":"2026-02-23T09:01:00Z","lastPolledAt":"2026-02-23T08:59:55Z",
         "nextPollAt":"2026-02-23T09:01:01Z","consecutiveFailures":2,"lastError":"timeout: no answer within 5000 ms",
         "stale":true,"holdUntil":"2026-02-23T09:02:00Z","seq":8,"pendingCause":"admin","resyncPending":true,
         "endpointHint":"sod3.superoffice.com","hintUntil":"2026-02-23T09:00:30Z","retired":false}""")
        .put("history", new io.vertx.core.json.JsonArray().add(snapshot.history().get(0).toJson()));

    JsonObject historyCommand = stored.getJsonArray("history").getJsonObject(0).getJsonArray("commands")
        .getJsonObject(0);
    historyCommand.remove("epoch");

    assertThat(SnapshotJson.fromJson(stored)).as("a row without epochs was a single node's: epoch 0").isEqualTo(snapshot);
    historyCommand.put("epoch", 0L);
    assertThat(SnapshotJson.toJson(snapshot)).isEqualTo(stored.copy().put("epoch", 0L)
        .put("endpointSuspect", false).putNull("reportPollAt"));
  }

  @Test
  @DisplayName("what reports left (a suspect endpoint, the last poll that answered reports) is written and read back; "
      + "a row written before reports were has none")
  void reportsRoundTrip() {
    TenantSnapshot snapshot = full();
    JsonObject json = SnapshotJson.toJson(snapshot);

    assertThat(json.getBoolean("endpointSuspect")).isTrue();
    assertThat(json.getString("reportPollAt")).isEqualTo("2026-02-23T08:59:58Z");
    assertThat(SnapshotJson.fromJson(json)).isEqualTo(snapshot);
    json.remove("endpointSuspect");
    json.remove("reportPollAt");
    assertThat(SnapshotJson.fromJson(json)).isEqualTo(snapshot.withReports(Reports.NONE));
  }

  @Test
  @DisplayName("a snapshot's epoch is written and read back")
  void epochRoundTrip() {
    TenantSnapshot snapshot = full().withEpoch(12);
    JsonObject json = SnapshotJson.toJson(snapshot);

    assertThat(json.getLong("epoch")).isEqualTo(12);
    assertThat(SnapshotJson.fromJson(json)).isEqualTo(snapshot);
    assertThatThrownBy(() -> SnapshotJson.fromJson(json.copy().put("epoch", -1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a snapshot with every component set reads back equal to itself")
  void fullRoundTrip() {
    TenantSnapshot snapshot = full();

    assertThat(SnapshotJson.fromJson(SnapshotJson.toJson(snapshot))).isEqualTo(snapshot);
  }

  @Test
  @DisplayName("a just-watched snapshot, all nulls and no history, reads back equal to itself")
  void initialRoundTrip() {
    TenantSnapshot snapshot = TenantSnapshot.initial(CTX);

    assertThat(SnapshotJson.fromJson(SnapshotJson.toJson(snapshot))).isEqualTo(snapshot);
  }

  @Test
  @DisplayName("a snapshot survives being encoded to text and parsed, as on a clustered event bus")
  void textRoundTrip() {
    TenantSnapshot snapshot = full();
    snapshot = snapshot.withLastPoll(new LastPoll(TenantState.DELETED, "Deleted", snapshot.polledRunning(),
        snapshot.endpoint(), snapshot.api(), snapshot.version(), snapshot.validUntil(), snapshot.lastPolledAt()))
        .withLifecycle(snapshot.lifecycle().retire());

    assertThat(SnapshotJson.fromJson(new JsonObject(SnapshotJson.toJson(snapshot).encode()))).isEqualTo(snapshot);
  }

  @Test
  @DisplayName("a snapshot written without its history is not read as one: the store keeps its history apart")
  void withoutHistory() {
    JsonObject json = SnapshotJson.withoutHistory(full());

    assertThat(json.containsKey("history")).isFalse();
    assertThatThrownBy(() -> SnapshotJson.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("history");
  }

  @Test
  @DisplayName("a snapshot read from text holds its endpoint and api once: its history's commands share the snapshot's strings")
  void historySharesTheSnapshotsText() {
    TenantSnapshot read = SnapshotJson.fromJson(new JsonObject(SnapshotJson.toJson(full()).encode()));

    Command command = read.history().get(0).commands().get(0);
    assertThat(command.endpoint()).isSameAs(read.endpoint());
    assertThat(command.api()).isSameAs(read.api());
    assertThat(command.tenant()).isSameAs(read.tenant());
  }

  @Test
  @DisplayName("a malformed snapshot is refused with a message naming what is wrong")
  void malformedRefused() {
    JsonObject good = SnapshotJson.toJson(full());

    assertThatThrownBy(() -> SnapshotJson.fromJson(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotJson.fromJson(good.copy().put("tenant", "../etc")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotJson.fromJson(good.copy().put("stateCode", 7)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stateCode");
    assertThatThrownBy(() -> SnapshotJson.fromJson(good.copy().putNull("seq")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq");
    assertThatThrownBy(() -> SnapshotJson.fromJson(good.copy().put("open", "yes")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnapshotJson.fromJson(good.copy().put("nextPollAt", "tomorrow")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
