package io.tenantwatch.soak;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.simulator.NotificationStorm;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Runs one soak against a running engine and its embedded simulator: injects seeded random faults for
 * the plan's duration, probes the engine from outside all along, then lets it settle and makes the final
 * checks. Everything the soak knows lives on this verticle's event loop; the results of calls that
 * complete elsewhere (the simulator's controls) are brought back to it before they are used.
 */
final class SoakDriver extends VerticleBase {
  /** The tenants whose state API answers the soak controls; more are added as others are unwatched. */
  static final int CONTROLLED = 10;
  static final long FIRST_CONTROLLED = 70_001;
  static final String WEBHOOK_PATH = "/superoffice/state-change";
  private static final Duration CHECK_EVERY = Duration.ofMillis(500);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration QUIET_WAIT = Duration.ofSeconds(20);
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(40);
  private static final List<String> HOSTS = List.of("sod.superoffice.com", "sod2.superoffice.com",
      "sod3.superoffice.com", "online.superoffice.com");
  private static final String VERSION = "Release_11.10_2026.02.24-02";

  private final TenantWatch engine;
  private final Simulator simulator;
  private final SoakPlan plan;
  private final Clock clock;
  private final SoakInvariants invariants;
  private final SplittableRandom random;
  private final Promise<SoakInvariants> finished = Promise.promise();
  private final Map<String, Long> actions = new LinkedHashMap<>();
  private final List<String> faulted = new ArrayList<>();
  private Context loop;
  private WebClient client;
  private RecordingWorker worker;
  private CallingWorker caller;
  private NotificationStorm storm;
  private int commandsRead;
  private long nextFresh = FIRST_CONTROLLED;
  private int inFlight;
  private boolean injecting = true;
  private boolean ending;
  private Instant deadline;

  SoakDriver(TenantWatch engine, SoakPlan plan, Clock clock) {
    this.engine = engine;
    this.simulator = engine.simulator().orElseThrow(() -> new IllegalArgumentException("the soak needs the simulator"));
    this.plan = plan;
    this.clock = clock;
    this.invariants = new SoakInvariants(plan.validity());
    this.random = new SplittableRandom(plan.seed());
  }

  /** Completes once the soak has ended, with everything it saw. */
  Future<SoakInvariants> finished() {
    return finished.future();
  }

  /** How many actions of each kind were injected, in the order they first happened. */
  Map<String, Long> actions() {
    return new LinkedHashMap<>(actions);
  }

  @Override
  public Future<?> start() {
    loop = context;
    client = WebClient.create(vertx);
    worker = new RecordingWorker(vertx);
    storm = new NotificationStorm(vertx, simulator.signer(), "http://127.0.0.1:" + engine.httpPort() + WEBHOOK_PATH);
    simulator.tenantIds().forEach(invariants::watchedFromStart);
    // The events are heard before the worker registers: what the registry's answer leaves out comes after it.
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, message -> invariants.event(message.body()))
        .completion()
        // Every tenant has had its first poll (and sent what it sent) before the worker registers, so the
        // registry's answer is always where the worker's knowledge of the scripted tenants begins.
        .compose(listening -> Eventually.until(vertx, () -> admin(HttpMethod.GET, "/admin/tenants"),
            listed -> listed.statusCode() == 200 && listed.bodyAsJsonObject().getJsonArray("tenants").stream()
                .map(JsonObject.class::cast).allMatch(view -> view.getString("lastPolledAt") != null)))
        .compose(polled -> worker.register())
        .compose(registration -> {
          invariants.baseline(registration);
          caller = new CallingWorker(vertx, () -> invariants.tenants().stream().map(t -> t.ctx).toList(),
              invariants::record);
          return caller.start();
        })
        .compose(calling -> {
          List<Future<Void>> watched = new ArrayList<>();
          for (int i = 0; i < CONTROLLED; i++) {
            watched.add(watch(freshTenant()));
          }
          return Future.all(watched);
        })
        .onSuccess(v -> {
          deadline = clock.instant().plus(plan.duration());
          vertx.setTimer(CHECK_EVERY.toMillis(), id -> checkCycle());
          vertx.setTimer(CHECK_EVERY.toMillis(), id -> probeHealth());
          vertx.setTimer(1, id -> injectNext());
        });
  }

  @Override
  public Future<?> stop() {
    storm.close();
    client.close();
    return Future.succeededFuture();
  }

  // ---- faults ----

  private void injectNext() {
    if (!injecting) {
      return;
    }
    if (!clock.instant().isBefore(deadline) || !invariants.violations().isEmpty()) {
      windDown();
      return;
    }
    int roll = random.nextInt(100);
    Future<?> action;
    if (roll < 30) {
      action = act("state change", this::changeState);
    } else if (roll < 48) {
      action = act("state API fault", this::injectFault);
    } else if (roll < 58) {
      action = act("endpoint move", this::move);
    } else if (roll < 65) {
      action = act("notification storm", this::storm);
    } else if (roll < 85) {
      action = act("forced poll", this::forcedPoll);
    } else if (roll < 88) {
      action = act("re-poll all", () -> admin(HttpMethod.POST, "/admin/tenants/poll"));
    } else if (roll < 90) {
      action = act("Deleted tenant revived", this::revive);
    } else if (roll < 94) {
      action = act("unwatch", this::unwatch);
    } else {
      action = act("watch", this::watchAnother);
    }
    action.onComplete(done -> vertx.setTimer(20 + random.nextInt(200), id -> injectNext()));
  }

  private Future<?> act(String name, Supplier<Future<?>> action) {
    Future<?> started = action.get();
    if (started == null) {
      return Future.succeededFuture();
    }
    actions.merge(name, 1L, Long::sum);
    inFlight++;
    // Actions overlap: the next one starts while this one's slow parts (a hang, a storm) are still going.
    started.onComplete(done -> inFlight--);
    return Future.succeededFuture();
  }

  private Future<?> changeState() {
    SoakInvariants.Tenant tenant = pickControlled(true);
    if (tenant == null) {
      return null;
    }
    TenantState[] states = {TenantState.RUNNING, TenantState.RUNNING, TenantState.RUNNING, TenantState.SUSPENDED,
        TenantState.SUSPENDED, TenantState.OFFLINE_MAINTENANCE, TenantState.OFFLINE_MAINTENANCE,
        TenantState.ONLINE_MAINTENANCE, TenantState.PROVISIONING, TenantState.MIGRATION_PENDING, TenantState.DELETED};
    TenantState state = random.nextInt(12) == 0 ? TenantState.DELETED : states[random.nextInt(states.length - 1)];
    boolean announce = random.nextBoolean();
    return changeTruth(tenant.ctx, () -> simulator.set(tenant.ctx, state))
        .compose(v -> announce ? announce(tenant.ctx, state) : Future.succeededFuture());
  }

  /** The notification SuperOffice would send for this change, where it sends one. */
  private Future<?> announce(String ctx, TenantState state) {
    ChangeType type = switch (state) {
      case SUSPENDED -> ChangeType.SUSPEND;
      case OFFLINE_MAINTENANCE -> ChangeType.UPGRADE;
      case RUNNING -> ChangeType.RESUME;
      case DELETED -> ChangeType.DELETE;
      default -> null;
    };
    return type == null ? Future.succeededFuture() : here(simulator.notify(ctx, type, null)).onSuccess(this::webhookAnswered);
  }

  /**
   * The state API answers Running again for a tenant the engine has listed Deleted: Deleted is terminal
   * (R4), so the engine must neither poll it nor reopen it until it is unwatched and watched again.
   */
  private Future<?> revive() {
    List<SoakInvariants.Tenant> deleted = controlled(false).stream()
        .filter(t -> t.listedDeleted() && !t.revived && t.changing == 0).toList();
    if (deleted.isEmpty()) {
      return null;
    }
    SoakInvariants.Tenant tenant = deleted.get(random.nextInt(deleted.size()));
    tenant.revived = true;
    return changeTruth(tenant.ctx, () -> simulator.set(tenant.ctx, TenantState.RUNNING))
        .compose(v -> admin(HttpMethod.POST, "/admin/tenants/" + tenant.ctx + "/poll"));
  }

  private Future<?> injectFault() {
    SoakInvariants.Tenant tenant = pickControlled(false);
    if (tenant == null || faulted.contains(tenant.ctx)) {
      return null;
    }
    String ctx = tenant.ctx;
    long timeoutMs = plan.requestTimeout().toMillis();
    Future<Void> fault = switch (random.nextInt(5)) {
      case 0 -> simulator.failWith(ctx, 503, random.nextBoolean() ? 1 : null);
      case 1 -> simulator.failWith(ctx, 500, null);
      case 2 -> simulator.hang(ctx);
      case 3 -> simulator.answerSlowly(ctx, Duration.ofMillis(timeoutMs + 200 + random.nextInt(1500)));
      default -> simulator.answerGarbage(ctx, random.nextBoolean() ? "<html><body>Bad gateway</body></html>"
          : "{\"ContextIdentifier\":\"" + ctx + "\",\"State\":");
    };
    faulted.add(ctx);
    long lastsMs = 300 + random.nextInt(3_700);
    Promise<Void> over = Promise.promise();
    here(fault).onComplete(set -> vertx.setTimer(lastsMs, id -> here(simulator.clearFault(ctx))
        .onComplete(cleared -> {
          faulted.remove(ctx);
          over.complete();
        })));
    return over.future();
  }

  private Future<?> move() {
    SoakInvariants.Tenant tenant = pickControlled(true);
    if (tenant == null) {
      return null;
    }
    String host = HOSTS.get(random.nextInt(HOSTS.size()));
    String endpoint = "https://" + host + "/" + tenant.ctx;
    TenantState state = tenant.truthState;
    return changeTruth(tenant.ctx, () -> simulator.setStatus(tenant.ctx, state, endpoint,
        simulator.tenantApiUrl(host, tenant.ctx), VERSION))
        .compose(v -> here(simulator.notify(tenant.ctx, ChangeType.MOVE, host)))
        .onSuccess(this::webhookAnswered);
  }

  private Future<?> storm() {
    List<String> watched = watched(false);
    if (watched.isEmpty()) {
      return null;
    }
    ChangeType[] types = {ChangeType.UPGRADE, ChangeType.SUSPEND, ChangeType.RESUME, ChangeType.RESUME,
        ChangeType.MOVE, ChangeType.BACKUP_RESTORED, ChangeType.DELETE, ChangeType.of(42)};
    List<NotificationStorm.Notice> notices = new ArrayList<>();
    int size = 8 + random.nextInt(17);
    for (int i = 0; i < size; i++) {
      ChangeType type = types[random.nextInt(types.length)];
      String host = type.is(ChangeType.Known.MOVE) ? HOSTS.get(random.nextInt(HOSTS.size())) : null;
      int roll = random.nextInt(10);
      int copies = roll < 7 ? 1 : roll < 9 ? 2 : 3;
      notices.add(new NotificationStorm.Notice(watched.get(random.nextInt(watched.size())), type, VERSION, host,
          copies));
    }
    invariants.count("storm notifications", notices.size());
    invariants.count("storm replays", notices.stream().mapToInt(n -> n.copies() - 1).sum());
    return storm.send(notices)
        .onSuccess(statuses -> statuses.forEach(this::webhookAnswered))
        .onFailure(failure -> invariants.record(new SoakViolation("webhook", "the webhook",
            "a storm's notification got no answer: " + failure.getMessage())));
  }

  private Future<?> forcedPoll() {
    List<String> watched = watched(false);
    if (watched.isEmpty()) {
      return null;
    }
    return admin(HttpMethod.POST, "/admin/tenants/" + watched.get(random.nextInt(watched.size())) + "/poll");
  }

  private Future<?> unwatch() {
    List<SoakInvariants.Tenant> candidates = controlled(false);
    if (candidates.size() <= CONTROLLED / 2) {
      return null;
    }
    List<SoakInvariants.Tenant> deleted = candidates.stream().filter(t -> t.truthState == TenantState.DELETED).toList();
    List<SoakInvariants.Tenant> from = !deleted.isEmpty() && random.nextInt(4) > 0 ? deleted : candidates;
    String ctx = from.get(random.nextInt(from.size())).ctx;
    invariants.tenant(ctx).watch = SoakInvariants.Watch.CHANGING;
    return admin(HttpMethod.DELETE, "/admin/tenants/" + ctx).onSuccess(response -> {
      if (response.statusCode() == 204) {
        invariants.watchEnded(ctx, SoakInvariants.Watch.UNWATCHED);
      } else {
        invariants.record(new SoakViolation("lost", ctx, "DELETE /admin/tenants/" + ctx + " of a watched tenant "
            + "answered " + response.statusCode() + " " + response.bodyAsString()));
      }
    });
  }

  private Future<?> watchAnother() {
    if (controlled(false).size() >= CONTROLLED + CONTROLLED / 2) {
      return null;
    }
    List<String> unwatched = invariants.unwatchedControlled();
    String ctx = plan.rewatch() && !unwatched.isEmpty() ? unwatched.get(random.nextInt(unwatched.size()))
        : freshTenant();
    return watch(ctx);
  }

  /** Adds the tenant to the simulator afresh (Running on its home host), then watches it. */
  private Future<Void> watch(String ctx) {
    invariants.watching(ctx);
    return changeTruth(ctx, () -> simulator.addTenant(ctx))
        .compose(v -> admin(HttpMethod.PUT, "/admin/tenants/" + ctx))
        .map(response -> {
          if (response.statusCode() == 201) {
            invariants.watchEnded(ctx, SoakInvariants.Watch.WATCHED);
          } else {
            invariants.record(new SoakViolation("lost", ctx, "PUT /admin/tenants/" + ctx + " of an unwatched tenant "
                + "answered " + response.statusCode() + " " + response.bodyAsString()));
          }
          return null;
        });
  }

  /** Makes a change to the simulator's truth and records what it serves from then on. */
  private Future<Void> changeTruth(String ctx, Supplier<Future<Void>> change) {
    invariants.truthChanging(ctx);
    return here(change.get().compose(v -> simulator.status(ctx)))
        .onSuccess(status -> invariants.truthChanged(ctx, status.state(), status.endpoint(), clock.instant()))
        .onFailure(failure -> invariants.truthUnchanged(ctx))
        .mapEmpty();
  }

  private String freshTenant() {
    return "Cust" + nextFresh++;
  }

  private void webhookAnswered(int status) {
    invariants.count("webhook answers");
    if (status != 200 && status != 202) {
      invariants.record(new SoakViolation("webhook", "the webhook", "a valid signed notification was answered "
          + status));
    }
  }

  // ---- probes ----

  private void probeHealth() {
    if (ending) {
      return;
    }
    client.request(HttpMethod.GET, engine.httpPort(), "127.0.0.1", "/health")
        .timeout(REQUEST_TIMEOUT.toMillis())
        .send()
        .onComplete(answer -> {
          invariants.count("health probes");
          if (answer.failed() || answer.result().statusCode() != 200) {
            invariants.record(new SoakViolation("health", "the engine", "GET /health answered "
                + (answer.failed() ? "nothing: " + answer.cause().getMessage() : answer.result().statusCode())));
          }
          vertx.setTimer(CHECK_EVERY.toMillis(), id -> probeHealth());
        });
  }

  private Future<Void> check() {
    List<Command> received = worker.commands();
    for (int i = commandsRead; i < received.size(); i++) {
      invariants.workerCommand(received.get(i));
    }
    commandsRead = received.size();
    SoakInvariants.Probe probe = invariants.probe();
    List<String> watched = new ArrayList<>(probe.watched().keySet());
    Future<Void> listed = admin(HttpMethod.GET, "/admin/tenants")
        .map(response -> {
          if (response.statusCode() == 200) {
            invariants.listed(probe, response.bodyAsJsonObject(), clock.instant());
          }
          return null;
        });
    Future<Void> detailed = watched.isEmpty() ? Future.succeededFuture()
        : admin(HttpMethod.GET, "/admin/tenants/" + watched.get(random.nextInt(watched.size())))
            .map(response -> {
              if (response.statusCode() == 200) {
                invariants.detailed(probe, response.bodyAsJsonObject(), clock.instant());
              }
              return null;
            });
    Future<Void> workers = admin(HttpMethod.GET, "/admin/workers").map(response -> {
      if (response.statusCode() == 200) {
        invariants.workers(response.bodyAsJsonObject(), worker.address());
      }
      return null;
    });
    return Future.join(listed, detailed, workers)
        .transform(done -> {
          invariants.resolve(clock.instant());
          return Future.succeededFuture();
        });
  }

  private void checkCycle() {
    if (ending) {
      return;
    }
    check().onComplete(done -> {
      if (!invariants.violations().isEmpty() && injecting) {
        windDown();
      }
      vertx.setTimer(CHECK_EVERY.toMillis(), id -> checkCycle());
    });
  }

  // ---- the end ----

  /**
   * Stops the faults, waits for the actions still going, clears every fault, re-polls every tenant and
   * waits until the engine has polled every controlled tenant after its last change and every listed
   * command has reached the worker; then one last check. A run that already broke an invariant ends at once.
   */
  private void windDown() {
    if (!injecting) {
      return;
    }
    injecting = false;
    if (!invariants.violations().isEmpty()) {
      end();
      return;
    }
    Instant quietBy = clock.instant().plus(QUIET_WAIT);
    until(() -> inFlight == 0, quietBy)
        .compose(quiet -> Future.join(controlledInSimulator().stream()
            .map(ctx -> here(simulator.clearFault(ctx))).toList()))
        .compose(cleared -> admin(HttpMethod.POST, "/admin/tenants/poll"))
        .compose(repolled -> until(() -> invariants.unverified().isEmpty() && invariants.pendingDeliveries() == 0,
            clock.instant().plus(SETTLE_WAIT)))
        .onComplete(settled -> {
          if (settled.failed() || !settled.result()) {
            invariants.record(new SoakViolation("gate", "the engine", "after the faults stopped it did not settle "
                + "within " + SETTLE_WAIT.toSeconds() + " s: not polled since the state API's last change: "
                + invariants.unverified() + "; listed commands not yet at the worker: "
                + invariants.pendingDeliveries()));
          }
          end();
        });
  }

  private void end() {
    Future<Void> callsEnded = caller == null ? Future.succeededFuture() : here(caller.stop());
    check().compose(done -> callsEnded).onComplete(done -> {
      ending = true;
      callsCounted();
      finished.complete(invariants);
    });
  }

  /** The calling worker's counts, and every request the simulator's tenant API saw was a call it started. */
  private void callsCounted() {
    if (caller == null) {
      return;
    }
    invariants.count("calls started", caller.started());
    caller.outcomes().forEach(invariants::count);
    long reached = simulator.tenantCalls().values().stream().mapToLong(Long::longValue).sum();
    if (reached != caller.started()) {
      invariants.record(new SoakViolation("call", "the calling worker", "the simulator's tenant API saw " + reached
          + " calls, the calling worker started " + caller.started() + ": a call it did not start reached a tenant"));
    }
  }

  /** Completes with true once the condition holds (checked every 100 ms), or with false at the deadline. */
  private Future<Boolean> until(Supplier<Boolean> condition, Instant by) {
    if (condition.get()) {
      return Future.succeededFuture(true);
    }
    if (clock.instant().isAfter(by)) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> later = Promise.promise();
    vertx.setTimer(100, id -> until(condition, by).onComplete(later));
    return later.future();
  }

  // ---- helpers ----

  private Future<HttpResponse<Buffer>> admin(HttpMethod method, String path) {
    return client.request(method, engine.adminPort(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + SoakPlan.ADMIN_TOKEN)
        .timeout(REQUEST_TIMEOUT.toMillis())
        .send()
        .onComplete(answer -> {
          invariants.count("admin requests");
          // A forced poll answers 502 or 504 when the state API failed or did not answer: its documented answer.
          Set<Integer> documented = path.endsWith("/poll") && method == HttpMethod.POST && !path.endsWith("tenants/poll")
              ? Set.of(502, 504) : Set.of();
          if (answer.failed()) {
            invariants.record(new SoakViolation("admin-5xx", "the admin API", method + " " + path + " got no answer: "
                + answer.cause().getMessage()));
          } else if (answer.result().statusCode() >= 500 && !documented.contains(answer.result().statusCode())) {
            invariants.record(new SoakViolation("admin-5xx", "the admin API", method + " " + path + " answered "
                + answer.result().statusCode() + " " + answer.result().bodyAsString()));
          }
        });
  }

  /** Brings a future completed on another context (the simulator's) back onto this verticle's loop. */
  private <T> Future<T> here(Future<T> elsewhere) {
    Promise<T> promise = Promise.promise();
    elsewhere.onComplete(result -> loop.runOnContext(v -> promise.handle(result)));
    return promise.future();
  }

  private SoakInvariants.Tenant pickControlled(boolean changeable) {
    List<SoakInvariants.Tenant> candidates = controlled(changeable);
    return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
  }

  /** Controlled tenants watched now; changeable ones also have no change going and are not Deleted. */
  private List<SoakInvariants.Tenant> controlled(boolean changeable) {
    return invariants.tenants().stream()
        .filter(t -> t.controlled && t.watch == SoakInvariants.Watch.WATCHED)
        .filter(t -> !changeable || (t.changing == 0 && t.truthAt != null && t.truthState != TenantState.DELETED))
        .toList();
  }

  private List<String> controlledInSimulator() {
    return invariants.tenants().stream().filter(t -> t.controlled).map(t -> t.ctx).toList();
  }

  private List<String> watched(boolean controlledOnly) {
    return invariants.tenants().stream()
        .filter(t -> t.watch == SoakInvariants.Watch.WATCHED && (t.controlled || !controlledOnly))
        .map(t -> t.ctx)
        .toList();
  }
}
