package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.poll.PollResult;
import io.tenantwatch.store.StoredTenant;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tenant started on the node that has just taken its shard over (DESIGN, "More than one node": Fencing):
 * it announces its gate once, {@code resume} or {@code pause} with reason {@code handover} at the new epoch,
 * and sends nothing else until its state changes. A real tenant verticle, registry and worker on one event bus.
 */
@ExtendWith(VertxExtension.class)
class HandoverTest {
  private static final String CTX = "Cust73001";
  private static final String OTHER = "Cust73002";
  private static final String ENDPOINT = "https://sod2.superoffice.com/" + CTX;
  private static final long OLD_EPOCH = 6;
  private static final long NEW_EPOCH = 7;
  private static final long STORED_SEQ = 41;

  private final Clock clock = Clock.systemUTC();

  /** The row the old owner stored: polled Running, at its epoch, {@code ValidUntil} as given. */
  private static TenantSnapshot stored(Instant validUntil) {
    return TenantSnapshot.initial(CTX)
        .withLastPoll(new LastPoll(TenantState.RUNNING, "Running", true, ENDPOINT, ENDPOINT + "/api", null, validUntil,
            validUntil.minus(Duration.ofMinutes(5))))
        .withOpen(true).withNextPollAt(validUntil).withSeq(STORED_SEQ).withEpoch(OLD_EPOCH);
  }

  private static StoredTenant row(TenantSnapshot snapshot) {
    return new StoredTenant(CTX, WatchOrigin.ADMIN.wireName(), SnapshotJson.toJson(snapshot), List.of());
  }

  /** Deploys the registry, registers the worker, then the handed-over tenant; completes once it is up. */
  private Future<String> start(Vertx vertx, RecordingWorker worker, TenantStart start) {
    TenantMachine machine = new TenantMachine(PollSettings.defaults(), () -> 0.5);
    return vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT))
        .compose(id -> worker.register())
        .compose(registered -> vertx.deployVerticle(new TenantVerticle(start, machine::apply, clock,
            PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)), 1)));
  }

  /**
   * Waits until every command the tenant sent so far has reached the worker: the tenant answers a view
   * only after its start, and a sentinel command for another tenant handed to the registry after that answer
   * reaches the worker after any command the tenant sent before it.
   */
  private static Future<Command> settled(Vertx vertx, RecordingWorker worker, long sentinelSeq) {
    return vertx.eventBus().request(Addresses.tenant(CTX), new JsonObject().put("type", TenantMessages.VIEW))
        .compose(view -> {
          vertx.eventBus().send(Addresses.WORKERS_COMMAND, new Command(CommandType.PAUSE, OTHER, "Suspended", false,
              null, null, "poll", sentinelSeq, 0, Instant.now()).toJson());
          return worker.await(c -> c.tenant().equals(OTHER) && c.seq() == sentinelSeq);
        });
  }

  @Test
  @DisplayName("an open tenant handed over at epoch E sends exactly one resume, reason handover, at E and the next seq")
  void openTenantAnnouncesResumeOnce(Vertx vertx, VertxTestContext testContext) {
    RecordingWorker worker = new RecordingWorker(vertx);
    StartingTenants.Starting handed = StartingTenants.handedOver(row(stored(clock.instant().plus(Duration.ofHours(1)))),
        NEW_EPOCH, clock.instant());
    start(vertx, worker, handed.restored())
        .compose(id -> settled(vertx, worker, 1))
        .onComplete(testContext.succeeding(sentinel -> testContext.verify(() -> {
          assertThat(worker.commandsFor(CTX)).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(CommandType.RESUME);
            assertThat(c.reason()).isEqualTo("handover");
            assertThat(c.epoch()).isEqualTo(NEW_EPOCH);
            assertThat(c.seq()).isEqualTo(STORED_SEQ + 1);
            assertThat(c.running()).isTrue();
            assertThat(c.api()).isEqualTo(ENDPOINT + "/api");
          });
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a tenant handed over after its ValidUntil passed announces a pause at the new epoch, and its next "
      + "change goes out at that epoch too")
  void expiredTenantAnnouncesPauseThenGoesOnAtTheNewEpoch(Vertx vertx, VertxTestContext testContext) {
    RecordingWorker worker = new RecordingWorker(vertx);
    StartingTenants.Starting handed = StartingTenants.handedOver(
        row(stored(clock.instant().minus(Duration.ofMinutes(1)))), NEW_EPOCH, clock.instant());
    start(vertx, worker, handed.restored())
        .compose(id -> settled(vertx, worker, 1))
        .compose(sentinel -> {
          testContext.verify(() -> assertThat(worker.commandsFor(CTX))
              .extracting(Command::type, Command::reason, Command::epoch, Command::seq)
              .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandType.PAUSE, "handover", NEW_EPOCH,
                  STORED_SEQ + 1)));
          TenantStatus running = TenantStatus.of(CTX, TenantState.RUNNING, ENDPOINT, ENDPOINT + "/api",
              clock.instant().plus(Duration.ofHours(1)), null);
          vertx.eventBus().send(Addresses.tenant(CTX), PollResult.success(CTX, running).toJson());
          return worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME);
        })
        .onComplete(testContext.succeeding(resume -> testContext.verify(() -> {
          assertThat(resume.reason()).isEqualTo("poll");
          assertThat(resume.epoch()).isEqualTo(NEW_EPOCH);
          assertThat(resume.seq()).isEqualTo(STORED_SEQ + 2);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a handover at an epoch not above the stored one is refused: workers could not tell the owners apart")
  void handoverAtAnOldEpochRefused() {
    StoredTenant row = row(stored(Instant.parse("2026-12-02T12:00:00Z")));

    assertThatThrownBy(() -> StartingTenants.handedOver(row, OLD_EPOCH, Instant.parse("2026-12-02T11:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
  }
}
