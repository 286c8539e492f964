package io.tenantwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.simulator.NotificationReceiver.Arrival;
import io.tenantwatch.support.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scripted tenants announcing their changes as SuperOffice does, to a receiver that notes what the state
 * API served when each notification arrived. The clock moves only when a test moves it.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The scripted simulator's notifications")
class ScriptedNotificationTest {
  private static final Instant START = Instant.parse("2026-02-23T09:52:01Z");
  private static final String TENANT_CLAIM = "http://schemes.superoffice.net/identity/ctx";
  private static final SimulatorOptions OPTIONS = SimulatorOptions.defaults().withPort(0).withTenants(12);

  private ManualClock clock;
  private Simulator simulator;
  private NotificationReceiver receiver;
  private WebClient client;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) {
    clock = new ManualClock(START);
    simulator = new Simulator(OPTIONS, clock);
    client = WebClient.create(vertx);
    vertx.deployVerticle(simulator)
        .compose(deployed -> NotificationReceiver.start(vertx))
        .onComplete(testContext.succeeding(started -> {
          receiver = started;
          receiver.probeOnArrival(this::served);
          simulator.sendNotificationsTo(receiver.url());
          testContext.completeNow();
        }));
  }

  /** What the state API serves for the tenant now, over HTTP as the engine would see it. */
  private Future<TenantStatus> served(String ctx) {
    return client.getAbs(simulator.stateApiBaseUrl() + ctx).send().map(response -> {
      try {
        return TenantStatus.parse(response.body());
      } catch (StatusParseException e) {
        throw new IllegalStateException("the state API served no status for " + ctx, e);
      }
    });
  }

  private static int indexOf(Scenario scenario) {
    return IntStream.range(0, OPTIONS.tenants())
        .filter(index -> Scenario.forTenant(OPTIONS.seed(), index) == scenario)
        .findFirst().orElseThrow();
  }

  private static String playerOf(Scenario scenario) {
    return OPTIONS.tenantId(indexOf(scenario));
  }

  /** Advances the tenant this many steps, one after the other. */
  private Future<Void> advance(String ctx, int steps) {
    Future<Void> advanced = Future.succeededFuture();
    for (int step = 0; step < steps; step++) {
      advanced = advanced.compose(done -> simulator.advanceScenario(ctx));
    }
    return advanced;
  }

  /** The token's claims, read without verifying (the on-demand tests verify the signature). */
  private static JsonObject claims(String token) {
    String payload = token.split("\\.")[1];
    return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  private static String seen(Arrival arrival) {
    return ChangeType.of(arrival.changeType()).label() + " while " + arrival.served().rawState();
  }

  @Test
  @DisplayName("advancing an upgrade by hand sends Upgrade while the tenant still runs, then serves OfflineMaintenance")
  void upgradeIsAnnouncedBeforeTheTenantGoesDown(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.UPGRADE);
    simulator.advanceScenario(ctx)
        .compose(done -> served(ctx))
        .compose(offline -> {
          testContext.verify(() -> {
            List<Arrival> arrivals = receiver.arrivalsFor(ctx);
            assertThat(arrivals).extracting(ScriptedNotificationTest::seen).containsExactly("Upgrade while Running");
            assertThat(arrivals.get(0).body().getString("VersionName")).isEqualTo(Scenario.version(0));
            assertThat(offline.state()).isEqualTo(TenantState.OFFLINE_MAINTENANCE);
          });
          return simulator.advanceScenario(ctx).compose(done -> served(ctx));
        })
        .onComplete(testContext.succeeding(upgraded -> testContext.verify(() -> {
          assertThat(upgraded.state()).isEqualTo(TenantState.RUNNING);
          assertThat(upgraded.version()).isEqualTo(Scenario.version(1));
          assertThat(receiver.arrivalsFor(ctx)).as("nothing announces the return").hasSize(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("suspend sends Suspend once Suspended and Resume once Running again")
  void suspendAndResumeAreAnnouncedOnArrival(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.SUSPEND);
    advance(ctx, 2).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertThat(receiver.arrivalsFor(ctx)).extracting(ScriptedNotificationTest::seen)
          .containsExactly("Suspend while Suspended", "Resume while Running");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a move sends Move naming the new host while the old host is still served")
  void moveIsAnnouncedBeforeTheNewHostShows(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.MOVE);
    simulator.advanceScenario(ctx).compose(done -> served(ctx))
        .onComplete(testContext.succeeding(moved -> testContext.verify(() -> {
          List<Arrival> arrivals = receiver.arrivalsFor(ctx);
          assertThat(arrivals).extracting(Arrival::changeType).containsExactly(ChangeType.MOVE.code());
          assertThat(arrivals.get(0).body().getString("PublicEndpoint")).isEqualTo("sod3.superoffice.com");
          assertThat(arrivals.get(0).served().endpoint()).isEqualTo("https://sod2.superoffice.com/" + ctx);
          assertThat(moved.endpoint()).isEqualTo("https://sod3.superoffice.com/" + ctx);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("delete sends Delete once Deleting, and nothing once Deleted")
  void deleteIsAnnouncedOnArrival(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.DELETE);
    advance(ctx, 2).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertThat(receiver.arrivalsFor(ctx)).extracting(ScriptedNotificationTest::seen)
          .containsExactly("Delete while Deleting");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("maintenance sends BackupRestored only once Running after the restore's OfflineMaintenance")
  void restoreIsAnnouncedOnReturn(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.MAINTENANCE);
    advance(ctx, 3).compose(done -> served(ctx))
        .compose(restoring -> {
          testContext.verify(() -> {
            assertThat(restoring.state()).isEqualTo(TenantState.OFFLINE_MAINTENANCE);
            assertThat(receiver.arrivalsFor(ctx)).isEmpty();
          });
          return simulator.advanceScenario(ctx);
        })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertThat(receiver.arrivalsFor(ctx)).extracting(ScriptedNotificationTest::seen)
              .containsExactly("BackupRestored while Running");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("on its own schedule an upgrade is announced 2.5 s ahead, and the tenant goes down on time")
  void scheduleSendsTheUpgradeAhead(VertxTestContext testContext) {
    int index = indexOf(Scenario.UPGRADE);
    String ctx = OPTIONS.tenantId(index);
    Instant stepAt = START.plus(Scenario.UPGRADE.phase(0, Scenario.randomFor(OPTIONS.seed(), index)).duration());
    Instant leadAt = stepAt.minus(Scenario.UPGRADE_LEAD);
    clock.set(leadAt.minusMillis(1));
    simulator.tick()
        .compose(ticked -> {
          testContext.verify(() -> assertThat(receiver.arrivalsFor(ctx)).isEmpty());
          clock.set(leadAt);
          return simulator.tick();
        })
        .compose(ticked -> {
          testContext.verify(() -> assertThat(receiver.arrivalsFor(ctx)).extracting(ScriptedNotificationTest::seen)
              .containsExactly("Upgrade while Running"));
          clock.set(stepAt.minusMillis(1));
          return simulator.tick().compose(stillUp -> served(ctx));
        })
        .compose(stillUp -> {
          testContext.verify(() -> assertThat(stillUp.state()).isEqualTo(TenantState.RUNNING));
          clock.set(stepAt);
          return simulator.tick().compose(down -> served(ctx));
        })
        .onComplete(testContext.succeeding(down -> testContext.verify(() -> {
          assertThat(down.state()).isEqualTo(TenantState.OFFLINE_MAINTENANCE);
          assertThat(receiver.arrivalsFor(ctx)).as("the lead went out once").hasSize(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a step taken by hand after the schedule sent the lead does not send it again")
  void leadGoesOutOnce(VertxTestContext testContext) {
    int index = indexOf(Scenario.MOVE);
    String ctx = OPTIONS.tenantId(index);
    Duration first = Scenario.MOVE.phase(0, Scenario.randomFor(OPTIONS.seed(), index)).duration();
    clock.set(START.plus(first).minus(Scenario.MOVE_LEAD));
    simulator.tick()
        .compose(ticked -> simulator.advanceScenario(ctx))
        .compose(done -> served(ctx))
        .onComplete(testContext.succeeding(moved -> testContext.verify(() -> {
          assertThat(receiver.arrivalsFor(ctx)).extracting(Arrival::changeType).containsExactly(ChangeType.MOVE.code());
          assertThat(moved.endpoint()).isEqualTo("https://sod3.superoffice.com/" + ctx);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("over a few minutes of the script every announced scenario's notification arrives, each signed for its tenant")
  void aRunAnnouncesEveryKind(VertxTestContext testContext) {
    Future<Void> run = Future.succeededFuture();
    for (int second = 1; second <= 180; second++) {
      Instant at = START.plusSeconds(second);
      run = run.compose(done -> {
        clock.set(at);
        return simulator.tick();
      });
    }
    run.onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      List<Arrival> arrivals = receiver.arrivals();
      assertThat(arrivals).extracting(arrival -> ChangeType.of(arrival.changeType()).label())
          .contains("Upgrade", "Suspend", "Resume", "Move", "Delete", "BackupRestored");
      assertThat(arrivals).allSatisfy(arrival -> assertThat(claims(arrival.body().getString("Token"))
          .getString(TENANT_CLAIM)).isEqualTo(arrival.body().getString("ContextIdentifier")));
      testContext.completeNow();
    })));
  }
}
