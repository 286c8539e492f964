package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.http.AdminRoutes;
import io.tenantwatch.http.HttpListener;
import io.tenantwatch.machine.Effect;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.poll.PollerOptions;
import io.tenantwatch.poll.StatePoller;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The directory supervises its tenants: a tenant whose machine or effects fail is restarted from the
 * last snapshot it handed over, with the same gate and seq, and sends no command again. The parts are
 * deployed one by one so that a faulty machine can be put in the engine's place.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TenantSupervisionTest {
  private static final String CTX = "Cust31001";
  private static final String OTHER = "Cust31002";
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofMillis(50), Duration.ofMinutes(1),
      Duration.ofMillis(200), 0.0, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(400), 50);

  private final TenantMachine machine = new TenantMachine(SETTINGS, () -> 0.0);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private RecordingWorker worker;
  private HttpListener admin;
  private WebClient client;

  @BeforeEach
  void captureLog() {
    log.start();
    ((Logger) LoggerFactory.getLogger(TenantVerticle.class)).addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(TenantVerticle.class)).detachAppender(log);
  }

  /** The simulator, the registry with a recording worker, the poller, a directory with this machine, the admin API. */
  private Future<Void> deploy(Vertx vertx, TenantBehaviour behaviour) {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(0).withScripted(false)
        .withValidityMs(100), Clock.systemUTC());
    worker = new RecordingWorker(vertx);
    client = WebClient.create(vertx);
    admin = new HttpListener("admin", "127.0.0.1", 0, v -> AdminRoutes.create(v, null, Duration.ofSeconds(2)));
    return vertx.deployVerticle(simulator)
        .compose(id -> simulator.addTenant(CTX))
        .compose(v -> simulator.addTenant(OTHER))
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> published.add(m.body()))
            .completion())
        .compose(v -> vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT)))
        .compose(id -> worker.register())
        .compose(v -> vertx.deployVerticle(new StatePoller(
            new PollerOptions(simulator.stateApiBaseUrl(), POLL_TIMEOUT.toMillis(), 16, 500))))
        .compose(id -> vertx.deployVerticle(new TenantDirectory(behaviour, Clock.systemUTC(), List.of(CTX, OTHER),
            PollWatchdog.forRequestTimeout(POLL_TIMEOUT))))
        .compose(id -> vertx.deployVerticle(admin))
        .mapEmpty();
  }

  private Future<HttpResponse<Buffer>> forcePoll(String tenant) {
    return client.post(admin.actualPort(), "127.0.0.1", "/admin/tenants/" + tenant + "/poll").send();
  }

  private Future<JsonObject> view(String tenant) {
    return client.get(admin.actualPort(), "127.0.0.1", "/admin/tenants/" + tenant).send()
        .map(HttpResponse::bodyAsJsonObject);
  }

  /** Steps published for a tenant that sent at least one command: each is a command that went out. */
  private List<JsonObject> commandSteps(String tenant) {
    return published.stream()
        .filter(step -> tenant.equals(step.getString("tenant")) && !step.getJsonArray("commands").isEmpty())
        .toList();
  }

  private List<ILoggingEvent> warnings() {
    return log.list.stream().filter(event -> event.getLevel() == Level.WARN).toList();
  }

  @Test
  @DisplayName("a tenant whose machine throws is restarted with its gate and seq and tells the workers nothing again")
  void machineFailureRestartsFromSnapshot(Vertx vertx, VertxTestContext context) {
    AtomicInteger successes = new AtomicInteger();
    AtomicInteger afterFault = new AtomicInteger();
    TenantBehaviour faulty = (snapshot, event, now) -> {
      if (snapshot.tenant().equals(CTX) && event instanceof TenantEvent.PollSucceeded) {
        int count = successes.incrementAndGet();
        if (count == 3) {
          throw new IllegalStateException("injected fault");
        }
        if (count > 3) {
          afterFault.incrementAndGet();
        }
      }
      return machine.apply(snapshot, event, now);
    };
    deploy(vertx, faulty)
        .compose(v -> Eventually.until(vertx, () -> Future.succeededFuture(afterFault.get()), n -> n >= 3))
        .compose(v -> view(CTX))
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(view.getLong("seq")).isEqualTo(1);
          assertThat(worker.commandsFor(CTX)).extracting(Command::type, Command::seq)
              .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandType.RESUME, 1L));
          // The history recorded before the fault came back with the restart, though the polls since
          // handed the directory snapshots without it.
          assertThat(view.getJsonArray("history")).singleElement()
              .satisfies(entry -> assertThat(((JsonObject) entry).getString("to")).isEqualTo("Running"));
          assertThat(commandSteps(CTX)).hasSize(1);
          assertThat(worker.commandsFor(OTHER)).extracting(Command::seq).containsExactly(1L);
          assertThat(warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.getFormattedMessage()).contains(CTX).contains("PollSucceeded");
            assertThat(warning.getThrowableProxy().getMessage()).isEqualTo("injected fault");
          });
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a failure while carrying out a step's effects keeps that step's seq, so its command is never sent twice")
  void effectFailureKeepsTheStepsSeq(Vertx vertx, VertxTestContext context) {
    AtomicBoolean failed = new AtomicBoolean();
    AtomicInteger afterFault = new AtomicInteger();
    TenantBehaviour faulty = (snapshot, event, now) -> {
      TenantMachine.Step step = machine.apply(snapshot, event, now);
      if (!snapshot.tenant().equals(CTX) || !(event instanceof TenantEvent.PollSucceeded)) {
        return step;
      }
      if (failed.compareAndSet(false, true)) {
        // The first success sends resume seq 1; its poll timer then cannot be armed.
        List<Effect> effects = step.effects().stream()
            .map(effect -> effect instanceof Effect.SchedulePoll ? new Effect.SchedulePoll(null) : effect)
            .toList();
        return new TenantMachine.Step(step.snapshot(), effects);
      }
      afterFault.incrementAndGet();
      return step;
    };
    deploy(vertx, faulty)
        .compose(v -> Eventually.until(vertx, () -> Future.succeededFuture(afterFault.get()), n -> n >= 3))
        .compose(v -> view(CTX))
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(view.getLong("seq")).isEqualTo(1);
          assertThat(commandSteps(CTX)).hasSize(1);
          assertThat(worker.commandsFor(CTX)).extracting(Command::seq).containsExactly(1L);
          assertThat(warnings()).hasSize(1);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("an operator waiting on a forced poll whose step fails gets 503, and the restarted tenant answers the next one")
  void waitingOperatorGets503(Vertx vertx, VertxTestContext context) {
    AtomicBoolean failed = new AtomicBoolean();
    TenantBehaviour faulty = (snapshot, event, now) -> {
      boolean forcedResult = snapshot.tenant().equals(CTX) && event instanceof TenantEvent.PollSucceeded
          && TenantMachine.CAUSE_ADMIN.equals(snapshot.pendingCause());
      if (forcedResult && failed.compareAndSet(false, true)) {
        throw new IllegalStateException("injected fault");
      }
      return machine.apply(snapshot, event, now);
    };
    deploy(vertx, faulty)
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> forcePoll(CTX))
        .compose(refused -> {
          context.verify(() -> {
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("tenant-restarting");
          });
          return Eventually.until(vertx, () -> forcePoll(CTX), answer -> answer.statusCode() == 200);
        })
        .onComplete(context.succeeding(answer -> context.verify(() -> {
          JsonObject view = answer.bodyAsJsonObject();
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(view.getLong("seq")).isEqualTo(1);
          assertThat(worker.commandsFor(CTX)).extracting(Command::seq).containsExactly(1L);
          assertThat(warnings()).hasSize(1);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("restarts come at once the first time, then after a pause that doubles up to a minute")
  void restartDelays() {
    assertThat(TenantDirectory.restartDelay(1)).isZero();
    assertThat(TenantDirectory.restartDelay(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(TenantDirectory.restartDelay(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(TenantDirectory.restartDelay(8)).isEqualTo(Duration.ofMinutes(1));
    assertThat(TenantDirectory.restartDelay(1_000)).isEqualTo(TenantDirectory.MAX_RESTART_DELAY);
  }
}
