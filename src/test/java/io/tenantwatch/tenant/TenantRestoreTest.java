package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.Reports;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.SeenNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a stored tenant starts again after the engine restarted (R11), as a pure function. */
class TenantRestoreTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final String CTX = "Cust72001";

  private static TenantSnapshot stored(boolean open, Instant validUntil, long seq) {
    return TenantSnapshot.initial(CTX)
        .withLastPoll(new LastPoll(TenantState.RUNNING, "Running", true, "https://sod2.superoffice.com/" + CTX,
            "https://sod2.superoffice.com/" + CTX + "/api", null, validUntil, null))
        .withOpen(open).withNextPollAt(validUntil).withSeq(seq);
  }

  @Test
  @DisplayName("an open tenant whose ValidUntil is ahead keeps its gate and its poll time, and announces itself with a resume")
  void validOpenTenantKeepsItsGate() {
    TenantStart.Loaded restored = TenantRestore.restore(stored(true, NOW.plusSeconds(30), 4), List.of(), 0, NOW);

    assertThat(restored.snapshot().open()).isTrue();
    assertThat(restored.snapshot().nextPollAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(restored.snapshot().seq()).isEqualTo(5);
    assertThat(restored.announcement().commands()).extracting(Command::type, Command::seq, Command::reason,
            Command::running)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandType.RESUME, 5L, "restored", true));
    assertThat(restored.snapshot().history()).last().isEqualTo(restored.announcement());
  }

  @Test
  @DisplayName("an open tenant whose ValidUntil has passed starts closed, is polled at once and tells workers to pause")
  void expiredOpenTenantStartsClosed() {
    TenantStart.Loaded restored = TenantRestore.restore(stored(true, NOW.minusSeconds(1), 4), List.of(), 0, NOW);

    assertThat(restored.snapshot().open()).isFalse();
    assertThat(restored.snapshot().nextPollAt()).isNull();
    assertThat(restored.announcement().commands()).extracting(Command::type).containsExactly(CommandType.PAUSE);
  }

  @Test
  @DisplayName("a closed tenant announces a pause, so a worker that missed the last command before a crash converges")
  void closedTenantAnnouncesPause() {
    TenantStart.Loaded restored = TenantRestore.restore(stored(false, NOW.plusSeconds(30), 4), List.of(), 0, NOW);

    assertThat(restored.announcement().commands()).extracting(Command::type, Command::seq, Command::reason,
        Command::running).containsExactly(org.assertj.core.groups.Tuple.tuple(CommandType.PAUSE, 5L, "restored", false));
    assertThat(restored.snapshot().open()).isFalse();
    assertThat(restored.snapshot().seq()).isEqualTo(5L);
    assertThat(restored.snapshot().history()).last().isEqualTo(restored.announcement());
  }

  @Test
  @DisplayName("a suspect endpoint and the reports' last poll are not carried over a restart or a handover")
  void reportsAreNotCarriedOver() {
    TenantSnapshot suspect = stored(true, NOW.plusSeconds(30), 4).withReports(new Reports(true, NOW.minusSeconds(1)));

    assertThat(TenantRestore.restore(suspect, List.of(), 1, NOW).snapshot().reports()).isEqualTo(Reports.NONE);
    assertThat(TenantRestore.handover(suspect, List.of(), 3, true, NOW).snapshot().reports()).isEqualTo(Reports.NONE);
    assertThat(TenantRestore.handover(suspect, List.of(), 3, false, NOW).snapshot().reports()).isEqualTo(Reports.NONE);
    assertThat(TenantRestore.leaving(suspect, List.of(), 1).snapshot().reports()).isEqualTo(Reports.NONE);
  }

  @Test
  @DisplayName("after the n-th restart seq continues above n x 10^9, above anything sent in the last second before a crash")
  void seqContinuesAboveTheEpochFloor() {
    TenantStart.Loaded closed = TenantRestore.restore(stored(false, NOW.plusSeconds(30), 4), List.of(), 2, NOW);
    TenantStart.Loaded open = TenantRestore.restore(stored(true, NOW.plusSeconds(30), 4), List.of(), 2, NOW);
    TenantStart.Loaded ahead = TenantRestore.restore(stored(false, NOW.plusSeconds(30), 2_000_000_007L), List.of(), 2, NOW);

    assertThat(closed.announcement().commands().get(0).seq()).isEqualTo(2_000_000_001L);
    assertThat(open.announcement().commands().get(0).seq()).isEqualTo(2_000_000_001L);
    assertThat(ahead.announcement().commands().get(0).seq()).isEqualTo(2_000_000_008L);
  }

  @Test
  @DisplayName("a hold that ended while the engine was down does not reopen a gate whose poll has expired")
  void endedHoldDropped() {
    TenantSnapshot held = stored(false, NOW.minusSeconds(5), 4).withGate(new Gate(false, NOW.minusSeconds(1)));
    TenantSnapshot holding = stored(false, NOW.plusSeconds(30), 4).withGate(new Gate(false, NOW.plusSeconds(10)));

    assertThat(TenantRestore.restore(held, List.of(), 0, NOW).snapshot().holdUntil()).isNull();
    assertThat(TenantRestore.restore(holding, List.of(), 0, NOW).snapshot().holdUntil()).isEqualTo(NOW.plusSeconds(10));
  }

  @Test
  @DisplayName("the history stays bounded and the notifications applied before come along")
  void historyBoundedAndNotificationsKept() {
    List<HistoryEntry> full = new ArrayList<>();
    for (int i = 0; i < PollSettings.DEFAULT_HISTORY_LIMIT; i++) {
      full.add(new HistoryEntry(CTX, NOW.minusSeconds(100 - i), "Running", "Running", "poll", List.of()));
    }
    List<SeenNotification> seen = List.of(new SeenNotification("jti", NOW.plusSeconds(60)));
    TenantStart.Loaded restored = TenantRestore.restore(stored(true, NOW.plusSeconds(30), 4).withHistory(full), seen, 0, NOW);

    assertThat(restored.snapshot().history()).hasSize(PollSettings.DEFAULT_HISTORY_LIMIT)
        .startsWith(full.get(1)).endsWith(restored.announcement());
    assertThat(restored.seen()).isEqualTo(seen);
  }

  @Test
  @DisplayName("a retired tenant stays retired and silent")
  void retiredStaysRetired() {
    TenantSnapshot retired = stored(false, NOW.minusSeconds(5), 9).withNextPollAt(null);
    retired = retired.withLastPoll(new LastPoll(TenantState.DELETED, retired.rawState(), true, retired.endpoint(),
        retired.api(), null, retired.validUntil(), null)).withLifecycle(retired.lifecycle().retire());

    TenantStart.Loaded restored = TenantRestore.restore(retired, List.of(), 1, NOW);

    assertThat(restored.announcement()).isNull();
    assertThat(restored.snapshot().retired()).isTrue();
    assertThat(restored.snapshot().seq()).isEqualTo(1_000_000_000L);
  }

  @Test
  @DisplayName("a tenant handed over by its previous owner keeps its open gate though its ValidUntil just passed, announces resume at the new epoch and is polled at once")
  void handedOverKeepsItsGate() {
    TenantStart.Loaded taken = TenantRestore.handover(stored(true, NOW.minusSeconds(1), 4).withEpoch(2), List.of(), 3,
        true, NOW);

    assertThat(taken.snapshot().open()).isTrue();
    assertThat(taken.snapshot().nextPollAt()).as("polled at once").isNull();
    assertThat(taken.announcement().commands()).extracting(Command::type, Command::epoch, Command::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandType.RESUME, 3L, "handover"));
  }

  @Test
  @DisplayName("a tenant taken after its owner's lease lapsed, its ValidUntil passed, starts closed as at a restart (R11)")
  void failedOverFollowsR11() {
    TenantStart.Loaded taken = TenantRestore.handover(stored(true, NOW.minusSeconds(1), 4).withEpoch(2), List.of(), 3,
        false, NOW);

    assertThat(taken.snapshot().open()).isFalse();
    assertThat(taken.announcement().commands()).extracting(Command::type).containsExactly(CommandType.PAUSE);
  }
}
