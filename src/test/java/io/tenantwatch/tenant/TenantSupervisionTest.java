package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.LocalObjects;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.http.AdminRoutes;
import io.tenantwatch.http.HttpListener;
import io.tenantwatch.http.PublicRoutes;
import io.tenantwatch.machine.Cause;
import io.tenantwatch.machine.Effect;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.Lifecycle;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.poll.PollerOptions;
import io.tenantwatch.poll.StatePoller;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.webhook.NotificationSigner;
import io.tenantwatch.webhook.TokenVerifier;
import io.tenantwatch.webhook.TokenVerifierOptions;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
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

  /** Unknown tenants are not watched: the answer for a tenant the engine does not know is 202 "not watched". */
  private static final WebhookOptions WEBHOOK = TenantWatchOptions.fromJson(TestEngine.config("http://127.0.0.1:9/api/state/")
      .put("webhook", new JsonObject().put("watchUnknownTenants", false))).webhook();
  private static final NotificationSigner SIGNER = NotificationSigner.generate(Clock.systemUTC(), "https://sod.superoffice.com");

  private final TenantMachine machine = new TenantMachine(SETTINGS, () -> 0.0);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  private RecordingWorker worker;
  private Vertx testVertx;
  private HttpListener admin;
  private HttpListener webhook;
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
    testVertx = vertx;
    worker = new RecordingWorker(vertx);
    client = WebClient.create(vertx);
    admin = new HttpListener("admin", "127.0.0.1", 0, v -> AdminRoutes.create(v, null, Duration.ofSeconds(2)));
    TokenVerifierOptions trusted = new TokenVerifierOptions(List.of(), List.of(SIGNER.publicKeyPem()), null,
        List.of("https://sod.superoffice.com"), null, false, 60, Clock.systemUTC());
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
        .compose(id -> vertx.deployVerticle(new SymptomReports(Routing.local(vertx), EngineMetrics.unscraped())))
        .compose(id -> TokenVerifier.create(vertx, trusted))
        .compose(verifier -> vertx.deployVerticle(webhook = new HttpListener("public", "127.0.0.1", 0,
            v -> PublicRoutes.create(v, WEBHOOK, verifier))))
        .mapEmpty();
  }

  /** A behaviour that fails every poll result of {@link #CTX} while {@code failing} is set. */
  private TenantBehaviour failingWhile(AtomicBoolean failing) {
    return (snapshot, event, now) -> {
      if (failing.get() && snapshot.tenant().equals(CTX) && event instanceof TenantEvent.PollSucceeded) {
        throw new IllegalStateException("injected fault");
      }
      return machine.apply(snapshot, event, now);
    };
  }

  private Future<JsonObject> directory(JsonObject request) {
    return testVertx.eventBus().<JsonObject>request(Addresses.DIRECTORY, request).map(reply -> reply.body());
  }

  /** Until {@link #CTX} has failed so often in a row that its restart waits longer than {@code ms}. */
  private Future<Long> restartWaitsLongerThan(long ms) {
    return Eventually.until(testVertx, () -> directory(DirectoryMessages.contains(CTX)),
        contains -> contains.getLong("restartInMs", 0L) > ms).map(contains -> contains.getLong("restartInMs"));
  }

  /** The commands the worker got for {@link #CTX}, once there are {@code count}. */
  private Future<List<Command>> commands(int count) {
    return Eventually.until(testVertx, () -> Future.succeededFuture(worker.commandsFor(CTX)), list -> list.size() >= count);
  }

  private static Future<Void> after(Vertx vertx, long ms) {
    Promise<Void> passed = Promise.promise();
    vertx.setTimer(ms, id -> passed.complete());
    return passed.future();
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
          && Cause.ADMIN.equals(snapshot.pendingCause());
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
  @DisplayName("a watch sent while an unwatch is under way waits for it and goes on above the seq of its retire, "
      + "though the tenant's last step had not reached the directory yet")
  void watchWaitsForUnwatch(Vertx vertx, VertxTestContext context) {
    List<String> answered = new CopyOnWriteArrayList<>();
    deploy(vertx, machine::apply)
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> {
          // The Suspend's step (pause, seq 2) reaches the directory after both requests below.
          vertx.eventBus().send(Addresses.tenant(CTX),
              TenantMessages.notification(new Notification(CTX, ChangeType.SUSPEND, null, null, null)));
          Future<JsonObject> unwatched = directory(DirectoryMessages.unwatch(CTX)).onSuccess(v -> answered.add("unwatch"));
          Future<JsonObject> watched = directory(DirectoryMessages.watch(CTX, WatchOrigin.ADMIN))
              .onSuccess(v -> answered.add("watch"));
          return Future.all(unwatched, watched).map(all -> unwatched.result());
        })
        .compose(lastView -> {
          context.verify(() -> assertThat(lastView.getLong("seq")).isEqualTo(3));
          return commands(4);
        })
        .onComplete(context.succeeding(commands -> context.verify(() -> {
          assertThat(commands).extracting(Command::type, Command::seq).containsExactly(
              Tuple.tuple(CommandType.RESUME, 1L), Tuple.tuple(CommandType.PAUSE, 2L),
              Tuple.tuple(CommandType.RETIRE, 3L), Tuple.tuple(CommandType.RESUME, 4L));
          assertThat(answered).containsExactly("unwatch", "watch");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a tenant unwatched and watched again while its restart waits: its retire goes out at once, before "
      + "the new watch's commands, and the pause's end deploys nothing")
  void unwatchAndWatchDuringARestartPause(Vertx vertx, VertxTestContext context) {
    AtomicBoolean failing = new AtomicBoolean();
    List<String> answered = new CopyOnWriteArrayList<>();
    long[] pause = new long[1];
    deploy(vertx, failingWhile(failing))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> {
          failing.set(true);
          return restartWaitsLongerThan(1_500);
        })
        .compose(restartInMs -> {
          pause[0] = restartInMs;
          failing.set(false);
          Future<JsonObject> unwatched = directory(DirectoryMessages.unwatch(CTX)).onSuccess(v -> answered.add("unwatch"));
          Future<JsonObject> watched = directory(DirectoryMessages.watch(CTX, WatchOrigin.ADMIN))
              .onSuccess(v -> answered.add("watch"));
          return Future.all(unwatched, watched);
        })
        .compose(both -> commands(3))
        // Past the moment the pause was to end: the restart it was for does nothing then.
        .compose(three -> after(vertx, pause[0] + 1_000))
        .compose(v -> view(CTX))
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(worker.commandsFor(CTX)).extracting(Command::type, Command::seq).containsExactly(
              Tuple.tuple(CommandType.RESUME, 1L), Tuple.tuple(CommandType.RETIRE, 2L),
              Tuple.tuple(CommandType.RESUME, 3L));
          assertThat(answered).containsExactly("unwatch", "watch");
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(view.getLong("seq")).isEqualTo(3);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a snapshot report from a verticle that is no longer the tenant's current one changes nothing")
  void staleReportDropped(Vertx vertx, VertxTestContext context) {
    deploy(vertx, failingOnce(TenantEvent.PollForced.class))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> forcePoll(CTX))
        .compose(refused -> Eventually.until(vertx, () -> forcePoll(CTX), answer -> answer.statusCode() == 200))
        .compose(restarted -> {
          // What CTX's first verticle (the directory's first deployment, run 1) would say late: retired, seq 77.
          SnapshotReport late = new SnapshotReport(
              TenantSnapshot.initial(CTX).withLifecycle(new Lifecycle(77, 0, null, false, true)), 1L);
          vertx.eventBus().send(Addresses.DIRECTORY_SNAPSHOTS, late, LocalObjects.ONLY_LOCAL);
          return directory(DirectoryMessages.list(null, null));
        })
        .onComplete(context.succeeding(list -> context.verify(() -> {
          JsonObject tenant = list.getJsonArray("tenants").stream().map(JsonObject.class::cast)
              .filter(t -> t.getString("tenant").equals(CTX)).findFirst().orElseThrow();
          assertThat(tenant.getLong("seq")).isEqualTo(1);
          assertThat(tenant.getBoolean("running")).isTrue();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a notification applied before the tenant's verticle failed is still refused as a replay after its restart")
  void replayIdsSurviveARestart(Vertx vertx, VertxTestContext context) {
    deploy(vertx, failingOnce(TenantEvent.PollForced.class))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> notify(vertx, "replay-1"))
        .compose(applied -> {
          context.verify(() -> assertThat(applied).as("the first delivery").isTrue());
          return forcePoll(CTX);
        })
        .compose(refused -> {
          context.verify(() -> assertThat(refused.statusCode()).isEqualTo(503));
          return Eventually.until(vertx, () -> forcePoll(CTX), answer -> answer.statusCode() == 200);
        })
        .compose(restarted -> notify(vertx, "replay-1"))
        .compose(replayed -> {
          context.verify(() -> assertThat(replayed).as("the same notification after the restart").isFalse());
          return notify(vertx, "replay-2");
        })
        .onComplete(context.succeeding(fresh -> context.verify(() -> {
          assertThat(fresh).as("another notification").isTrue();
          assertThat(warnings()).hasSize(1);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a notification whose step failed is not taken for a replay: delivered again, the restarted tenant applies it")
  void failedNotificationAppliedWhenSentAgain(Vertx vertx, VertxTestContext context) {
    deploy(vertx, failingOnce(TenantEvent.NotificationReceived.class))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> notify(vertx, "failed-1").transform(first -> {
          context.verify(() -> assertThat(first.cause()).isInstanceOf(ReplyException.class)
              .satisfies(e -> assertThat(((ReplyException) e).failureCode()).isEqualTo(Failures.UNAVAILABLE)));
          // SuperOffice delivers it again until it is taken; the restarted tenant takes it.
          return Eventually.until(vertx, () -> notify(vertx, "failed-1"), applied -> true);
        }))
        .onComplete(context.succeeding(applied -> context.verify(() -> {
          assertThat(applied).as("the delivery after the restart").isTrue();
          context.completeNow();
        })));
  }

  private static Future<Boolean> notify(Vertx vertx, String replayId) {
    Notification resume = new Notification(CTX, ChangeType.RESUME, null, null, null);
    return vertx.eventBus().<JsonObject>request(Addresses.tenant(CTX),
            TenantMessages.notification(resume, replayId, Instant.now().plusSeconds(300)))
        .map(reply -> reply.body().getBoolean("applied"));
  }

  @Test
  @DisplayName("while a watched tenant waits for its restart, a notification is answered 503 with Retry-After, "
      + "and so are the admin API's requests for it and a worker's report, never 'not watched'")
  void restartingTenantAnswers503(Vertx vertx, VertxTestContext context) {
    AtomicBoolean failing = new AtomicBoolean();
    deploy(vertx, failingWhile(failing))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .compose(resume -> {
          failing.set(true);
          // A pause of 2 s or more leaves time to ask on a loaded machine.
          return restartWaitsLongerThan(1_500);
        })
        .compose(restartInMs -> Future.all(
            client.post(webhook.actualPort(), "127.0.0.1", WEBHOOK.path()).sendJsonObject(new JsonObject()
                .put("ChangeType", ChangeType.UPGRADE.code()).put("ContextIdentifier", CTX)
                .put("VersionName", "Release_11.10").put("FileVersion", "").put("Token", SIGNER.sign(CTX))),
            client.get(admin.actualPort(), "127.0.0.1", "/admin/tenants/" + CTX).send(),
            forcePoll(CTX)))
        .compose(all -> {
          context.verify(() -> {
            for (int i = 0; i < all.size(); i++) {
              HttpResponse<Buffer> answer = all.resultAt(i);
              assertThat(answer.statusCode()).as("answer %d", i).isEqualTo(503);
              assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("tenant-restarting");
              assertThat(Long.parseLong(answer.getHeader("Retry-After"))).isBetween(1L, 60L);
            }
          });
          return vertx.eventBus().request(Addresses.REPORT,
              new SymptomReport(CTX, Symptom.UNAVAILABLE, 503, null, null).toJson());
        })
        .onComplete(context.failing(refused -> context.verify(() -> {
          assertThat(refused).isInstanceOfSatisfying(ReplyException.class,
              reply -> assertThat(reply.failureCode()).isEqualTo(Failures.UNAVAILABLE));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("restarts come at once the first time, then after a pause that doubles up to a minute")
  void restartDelays() {
    assertThat(RestartPolicy.delay(1)).isZero();
    assertThat(RestartPolicy.delay(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RestartPolicy.delay(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RestartPolicy.delay(8)).isEqualTo(Duration.ofMinutes(1));
    assertThat(RestartPolicy.delay(1_000)).isEqualTo(RestartPolicy.MAX_DELAY);
  }

  /** The machine, except that CTX's first event of this kind throws (its verticle fails and is restarted). */
  private TenantBehaviour failingOnce(Class<? extends TenantEvent> kind) {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    return (snapshot, event, now) -> {
      if (snapshot.tenant().equals(CTX) && kind.isInstance(event) && failOnce.compareAndSet(true, false)) {
        throw new IllegalStateException("injected fault");
      }
      return machine.apply(snapshot, event, now);
    };
  }
}
