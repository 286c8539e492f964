package io.tenantwatch.poll;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.tenant.DirectoryMessages;
import io.tenantwatch.tenant.PollWatchdog;
import io.tenantwatch.tenant.TenantDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A poller that fails is replaced and no queued poll is lost: the tenants whose polls it held ask again
 * when their watchdog runs out. The poller is slow on purpose (a few polls a second), so most tenants
 * are still queued when it goes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PollerSupervisionTest {
  private static final int TENANTS = 40;
  private static final long FIRST_TENANT = 32_001;
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofMillis(50), Duration.ofHours(1),
      Duration.ofSeconds(30), 0.0, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(400), 50);

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private Simulator simulator;
  private PollerSupervisor supervisor;

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(StatePoller.class)).addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(StatePoller.class)).detachAppender(log);
  }

  /**
   * A clock that fails once, on its {@code failOn}-th reading. The poller's first reading is the
   * limiter's, pacing the first poll, so failing there stands for a bug in the poller's bookkeeping.
   */
  private static final class FailingClock extends Clock {
    private final AtomicInteger readings = new AtomicInteger();
    private final int failOn;

    FailingClock(int failOn) {
      this.failOn = failOn;
    }

    @Override
    public Instant instant() {
      if (readings.incrementAndGet() == failOn) {
        throw new IllegalStateException("injected fault");
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /**
   * The simulator (ValidUntil an hour ahead, so each tenant is polled once), a supervised poller at 20
   * polls a second made by {@code pollers}, and a directory watching every tenant.
   */
  private Future<Void> deploy(Vertx vertx, Supplier<StatePoller> pollers) {
    simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(TENANTS).withScripted(false)
        .withFirstTenant(FIRST_TENANT).withValidityMs(Duration.ofHours(1).toMillis()), Clock.systemUTC());
    return vertx.deployVerticle(simulator)
        .compose(id -> {
          supervisor = new PollerSupervisor(pollers, Duration.ofMillis(100));
          return vertx.deployVerticle(supervisor);
        })
        .compose(id -> vertx.deployVerticle(new TenantDirectory(
            new TenantMachine(SETTINGS, () -> 0.0)::apply, Clock.systemUTC(), simulator.tenantIds(),
            PollWatchdog.forRequestTimeout(REQUEST_TIMEOUT))))
        .mapEmpty();
  }

  private StatePoller slowPoller(Clock clock) {
    return new StatePoller(new PollerOptions(simulator.stateApiBaseUrl(), REQUEST_TIMEOUT.toMillis(), 2, 20), clock);
  }

  private static Future<PollStats> stats(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.POLL_STATS, new JsonObject())
        .map(reply -> PollStats.fromJson(reply.body()));
  }

  /** Completes once every tenant has had a successful poll applied. */
  private Future<JsonArray> everyTenantPolled(Vertx vertx) {
    return Eventually.until(vertx,
        () -> vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, DirectoryMessages.list(null, null))
            .map(reply -> reply.body().getJsonArray("tenants")),
        views -> views.size() == TENANTS && views.stream()
            .allMatch(view -> ((JsonObject) view).getString("lastPolledAt") != null));
  }

  @Test
  @DisplayName("a poller undeployed with polls queued is redeployed, and every tenant is still polled")
  void undeployedPollerIsReplaced(Vertx vertx, VertxTestContext context) {
    String[] first = new String[1];
    deploy(vertx, () -> slowPoller(Clock.systemUTC()))
        .compose(v -> Eventually.until(vertx, () -> stats(vertx), stats -> stats.started() >= 3))
        .compose(stats -> {
          context.verify(() -> assertThat(stats.queued()).isGreaterThan(TENANTS / 2));
          first[0] = supervisor.pollerDeployment();
          return vertx.undeploy(first[0]);
        })
        .compose(v -> everyTenantPolled(vertx))
        .onComplete(context.succeeding(views -> context.verify(() -> {
          assertThat(supervisor.pollerDeployment()).isNotNull().isNotEqualTo(first[0]);
          assertThat(vertx.deploymentIDs()).doesNotContain(first[0]);
          for (String tenant : simulator.tenantIds()) {
            assertThat(simulator.requestCount(tenant)).as(tenant).isBetween(1L, 2L);
          }
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a poller whose own bookkeeping throws reports itself, is replaced, and every tenant is still polled")
  void failingPollerIsReplaced(Vertx vertx, VertxTestContext context) {
    AtomicInteger made = new AtomicInteger();
    deploy(vertx, () -> slowPoller(made.getAndIncrement() == 0 ? new FailingClock(1) : Clock.systemUTC()))
        .compose(v -> everyTenantPolled(vertx))
        .onComplete(context.succeeding(views -> context.verify(() -> {
          assertThat(made.get()).isEqualTo(2);
          assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
              .satisfies(warning -> assertThat(warning.getThrowableProxy().getMessage()).isEqualTo("injected fault"));
          for (String tenant : simulator.tenantIds()) {
            assertThat(simulator.requestCount(tenant)).as(tenant).isBetween(1L, 2L);
          }
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("undeploying the supervisor undeploys its poller with it")
  void supervisorOwnsItsPoller(Vertx vertx, VertxTestContext context) {
    deploy(vertx, () -> slowPoller(Clock.systemUTC()))
        .compose(v -> {
          String poller = supervisor.pollerDeployment();
          return vertx.undeploy(supervisor.deploymentID()).map(poller);
        })
        .onComplete(context.succeeding(poller -> context.verify(() -> {
          assertThat(vertx.deploymentIDs()).doesNotContain(poller);
          context.completeNow();
        })));
  }
}
