package io.tenantwatch.soak;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.worker.TenantClient;
import io.tenantwatch.worker.TenantClosed;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The soak's calling worker: a worker's {@link TenantGate} and a {@link TenantClient}, created on the soak driver's
 * event loop (so its handlers, its calls and this class all run there), calling every tenant the soak knows every
 * {@link #CALL_EVERY_MS}, watched or not, received or not. It checks each call as it starts (rule {@code call}):
 * no call is started to a tenant whose last command the gate received was a {@code pause} or a {@code retire}, or
 * that the gate has received no command for; none goes to an api other than that command's; and none is started
 * to a tenant whose latest handled command (by {@code (epoch, seq)}) is a {@code pause} or {@code retire} newer than
 * the command the gate holds. At the end, every call that reached the simulator's tenant API is one the worker
 * started: a refused call made no request.
 */
final class CallingWorker {
  static final long CALL_EVERY_MS = 500;

  private final Vertx vertx;
  private final Supplier<List<String>> tenants;
  private final Consumer<SoakViolation> violations;
  private final TenantGate gate;
  private final TenantClient client;
  /** The newest command each tenant's handlers ran, by fence. */
  private final Map<String, Command> handled = new HashMap<>();
  private final Map<String, Long> outcomes = new LinkedHashMap<>();
  private long started;
  private int inFlight;
  private long timer = -1;
  private Promise<Void> idle;

  /**
   * @param tenants every tenant to call on each round
   * @param violations where a broken rule goes
   */
  CallingWorker(Vertx vertx, Supplier<List<String>> tenants, Consumer<SoakViolation> violations) {
    this.vertx = vertx;
    this.tenants = tenants;
    this.violations = violations;
    this.gate = TenantGate.create(vertx, new TenantGateOptions("soak-caller"));
    gate.onPause(this::handle).onResume(this::handle).onEndpoint(this::handle).onResync(this::handle)
        .onRetire(this::handle);
    this.client = TenantClient.create(vertx, gate).headers(this::starting);
  }

  /** Registers the gate with the engine and starts calling. */
  Future<Void> start() {
    return gate.start().onSuccess(v -> timer = vertx.setPeriodic(CALL_EVERY_MS, id -> round()));
  }

  /** Stops calling; completes once every call started has ended, then unregisters the gate. */
  Future<Void> stop() {
    vertx.cancelTimer(timer);
    Future<Void> ended;
    if (inFlight == 0) {
      ended = Future.succeededFuture();
    } else {
      idle = Promise.promise();
      ended = idle.future();
    }
    return ended.compose(v -> gate.stop()).onComplete(v -> client.close());
  }

  /** Calls the worker started, which made a request. */
  long started() {
    return started;
  }

  /** Calls by outcome: {@code calls answered 200}, {@code calls refused (closed)}, {@code calls failed 503}... */
  Map<String, Long> outcomes() {
    return new LinkedHashMap<>(outcomes);
  }

  private Future<Void> handle(Command command) {
    handled.merge(command.tenant(), command, (old, now) -> now.fence().compareTo(old.fence()) > 0 ? now : old);
    return Future.succeededFuture();
  }

  private void round() {
    for (String ctx : tenants.get()) {
      inFlight++;
      client.get(ctx, "/v1/Contact/1").onComplete(answer -> {
        if (answer.succeeded()) {
          int status = answer.result().statusCode();
          count(status == 200 ? "calls answered 200" : "calls failed " + status);
        } else if (answer.cause() instanceof TenantClosed) {
          count("calls refused (closed)");
        } else {
          count("calls failed (no answer)");
        }
        if (--inFlight == 0 && idle != null) {
          idle.tryComplete();
        }
      });
    }
  }

  /** The client's headers hook: runs as a call the gate let through starts, before its request is sent. */
  private Future<MultiMap> starting(String ctx) {
    started++;
    Command held = gate.tenants().get(ctx);
    Command newest = handled.get(ctx);
    if (held == null) {
      broken(ctx, "a call started though the gate has received no command for it");
    } else if (!held.running() || held.type() == CommandType.PAUSE || held.type() == CommandType.RETIRE) {
      broken(ctx, "a call started though the gate's last command was %s seq %d", held.type().wireName(), held.seq());
    } else if (held.api() == null || !held.api().equals(gate.api(ctx))) {
      broken(ctx, "a call started to %s, not to the api of the gate's last command (%s seq %d: %s)", gate.api(ctx),
          held.type().wireName(), held.seq(), held.api());
    } else if (newest != null && newest.fence().compareTo(held.fence()) > 0
        && (newest.type() == CommandType.PAUSE || newest.type() == CommandType.RETIRE)) {
      broken(ctx, "a call started after the %s seq %d was handled, with the gate holding the older %s seq %d",
          newest.type().wireName(), newest.seq(), held.type().wireName(), held.seq());
    }
    return Future.succeededFuture(MultiMap.caseInsensitiveMultiMap());
  }

  private void broken(String ctx, String format, Object... args) {
    violations.accept(new SoakViolation("call", ctx, "calling worker: " + String.format(format, args)));
  }

  private void count(String outcome) {
    outcomes.merge(outcome, 1L, Long::sum);
  }
}
