package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
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
        "https://sod2.superoffice.com/" + CTX + "/api", "notification:Suspend", 8, NOW);
    HistoryEntry entry = new HistoryEntry(CTX, NOW, "Running", "Frozen", "notification:Suspend", List.of(pause));
    return TenantSnapshot.initial(CTX).toBuilder()
        .state(TenantState.UNKNOWN).rawState("Frozen").open(false).polledRunning(true)
        .endpoint(pause.endpoint()).api(pause.api()).version("Release_11.10")
        .validUntil(NOW.plusSeconds(60)).lastPolledAt(NOW.minusSeconds(5)).nextPollAt(NOW.plusSeconds(61))
        .consecutiveFailures(2).lastError("timeout: no answer within 5000 ms").stale(true)
        .holdUntil(NOW.plusSeconds(120)).seq(8).pendingCause("admin").resyncPending(true)
        .endpointHint("sod3.superoffice.com", NOW.plusSeconds(30)).retired(false).history(List.of(entry))
        .build();
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
    TenantSnapshot snapshot = full().toBuilder().state(TenantState.DELETED).rawState("Deleted").retired(true)
        .build();

    assertThat(SnapshotJson.fromJson(new JsonObject(SnapshotJson.toJson(snapshot).encode()))).isEqualTo(snapshot);
  }

  @Test
  @DisplayName("a snapshot written without its history reads back equal with the history the reader has")
  void withoutHistoryRoundTrip() {
    TenantSnapshot snapshot = full();
    JsonObject json = SnapshotJson.withoutHistory(snapshot);

    assertThat(json.containsKey("history")).isFalse();
    assertThat(SnapshotJson.fromJson(json, snapshot.history())).isEqualTo(snapshot);
    // A history in the JSON wins over the one the reader has.
    assertThat(SnapshotJson.fromJson(SnapshotJson.toJson(snapshot), List.of())).isEqualTo(snapshot);
    assertThatThrownBy(() -> SnapshotJson.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("history");
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
