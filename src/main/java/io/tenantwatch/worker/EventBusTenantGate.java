package io.tenantwatch.worker;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link TenantGate} over the event bus, talking to the engine's {@link WorkerRegistry}. */
final class EventBusTenantGate implements TenantGate {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusTenantGate.class);

  private final Vertx vertx;
  private final Context context;
  private final WorkerRegistration registration;
  private final SymptomReporter reporter;
  private final CallPath calls;
  private final Map<CommandType, Function<Command, Future<Void>>> handlers = new EnumMap<>(CommandType.class);
  /**
   * Per tenant the command whose state the queries answer (immutable, so readers on other threads see it
   * whole); written on the context only, read from any thread.
   */
  private final Map<String, Command> views = new ConcurrentHashMap<>();
  /** Handler bookkeeping per tenant; context only. */
  private final Map<String, HandlerLine> lines = new HashMap<>();
  private MessageConsumer<Object> consumer;
  /** Listens for a (re)deployed registry's hello while the gate is started. */
  private MessageConsumer<Object> hello;
  /** Answers the call counts to the registry of this node while the gate is started (contracts.md, "Call counts"). */
  private MessageConsumer<Object> callCounts;

  /**
   * One tenant's handler queue. {@code handled} (the {@code (epoch, seq)} of the last command whose handler
   * succeeded) decides what is a duplicate or stale; the view's pair (the last command whose state was taken)
   * decides what the queries answer. They differ while a handler runs or after one failed, so a redelivered
   * command runs its handler again while an older command, or a stale owner's, can never override newer state.
   */
  private static final class HandlerLine {
    Fence handled = Fence.NONE;
    /** The pair of the last resync whose handler succeeded: a snapshot's resync above it is still owed. */
    Fence resynced = Fence.NONE;
    Future<?> tail = Future.succeededFuture();
  }

  EventBusTenantGate(Vertx vertx, TenantGateOptions options) {
    this(vertx, options, System::nanoTime);
  }

  /**
   * @param nanoTime the clock that spaces symptom reports and times drains, {@code System::nanoTime} but in tests
   */
  EventBusTenantGate(Vertx vertx, TenantGateOptions options, LongSupplier nanoTime) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.registration = new WorkerRegistration(options.resolveAddress(), options.name(), options.tenants(),
        options.drainTimeoutMs());
    this.reporter = new SymptomReporter(vertx, options.name(), nanoTime, SymptomReporter.DEFAULT_INTERVAL_MS);
    this.calls = new CallPath(vertx, options.name(), this::view, reporter, this::runOnContext,
        options.drainTimeoutMs(), nanoTime);
  }

  @Override
  public String address() {
    return registration.address();
  }

  @Override
  public TenantGate onPause(Function<Command, Future<Void>> handler) {
    return handle(CommandType.PAUSE, handler);
  }

  @Override
  public TenantGate onResume(Function<Command, Future<Void>> handler) {
    return handle(CommandType.RESUME, handler);
  }

  @Override
  public TenantGate onEndpoint(Function<Command, Future<Void>> handler) {
    return handle(CommandType.ENDPOINT, handler);
  }

  @Override
  public TenantGate onResync(Function<Command, Future<Void>> handler) {
    return handle(CommandType.RESYNC, handler);
  }

  @Override
  public TenantGate onRetire(Function<Command, Future<Void>> handler) {
    return handle(CommandType.RETIRE, handler);
  }

  private TenantGate handle(CommandType type, Function<Command, Future<Void>> handler) {
    handlers.put(type, handler);
    return this;
  }

  @Override
  public Future<Void> start() {
    return onContext(this::register);
  }

  @Override
  public Future<Void> stop() {
    return onContext(this::unregister);
  }

  @Override
  public boolean isRunning(String ctx) {
    Command view = view(ctx);
    return view != null && view.running();
  }

  @Override
  public String api(String ctx) {
    Command view = view(ctx);
    return view == null ? null : view.api();
  }

  @Override
  public String endpoint(String ctx) {
    Command view = view(ctx);
    return view == null ? null : view.endpoint();
  }

  @Override
  public long lastSeq(String ctx) {
    Command view = view(ctx);
    return view == null ? 0 : view.seq();
  }

  @Override
  public Map<String, Command> tenants() {
    // Each entry is one immutable command, so it is whole even while the context writes another one.
    return Collections.unmodifiableSortedMap(new TreeMap<>(views));
  }

  @Override
  public <T> Future<T> call(String ctx, Function<String, Future<T>> call) {
    return calls.call(ctx, call);
  }

  @Override
  public void report(String ctx, Symptom symptom, int status) {
    reporter.report(ctx, symptom, status, api(ctx));
  }

  @Override
  public CallCounts calls() {
    return calls.counts();
  }

  /** The totals of {@link #calls()} alone, for {@link TenantCallMeters}. */
  CallCounts.Tally callTotals() {
    return calls.totals();
  }

  /** {@code {"tenant"?}}: the totals, and that tenant's tally when one is named. */
  private void answerCalls(Message<Object> message) {
    JsonObject answer = new JsonObject().put("total", callTotals().toJson());
    if (message.body() instanceof JsonObject asked && asked.getValue("tenant") instanceof String tenant) {
      answer.put("tenant", calls.tenant(tenant).toJson());
    }
    message.reply(answer);
  }

  private Command view(String ctx) {
    return ctx == null ? null : views.get(ctx);
  }

  private Future<Void> register() {
    if (consumer != null) {
      return Future.failedFuture(new IllegalStateException("the tenant gate at " + address() + " is already started"));
    }
    // On a clustered Vertx the gate's address is a clustered one: any member's registry delivers its tenants' commands.
    consumer = vertx.eventBus().consumer(address(), this::onCommand);
    hello = vertx.eventBus().localConsumer(Addresses.WORKERS_HELLO, message -> registerAgain());
    callCounts = vertx.eventBus().localConsumer(Addresses.workerCalls(address()), this::answerCalls);
    return Future.all(consumer.completion(), hello.completion(), callCounts.completion())
        .compose(listening -> registerWithEngine())
        .onSuccess(applied -> LOG.info("Tenant gate '{}' started at {}", registration.name(), address()))
        .recover(failure -> unregisterAll(stopListening()).transform(unregistered -> Future.failedFuture(failure)));
  }

  private Future<Void> registerWithEngine() {
    return vertx.eventBus().<Object>request(Addresses.WORKERS_REGISTER, registration.toJson())
        .compose(reply -> applySnapshot(reply.body()));
  }

  /** A registry (re)deployed in this Vert.x said hello: it knows no workers yet, so this gate registers again. */
  private void registerAgain() {
    if (consumer == null) {
      return;
    }
    registerWithEngine().onComplete(
        applied -> LOG.info("Tenant gate '{}' registered again at {} with a (re)started engine", registration.name(),
            address()),
        failure -> LOG.warn("Tenant gate '{}' could not register again with a (re)started engine: {}",
            registration.name(), failure.getMessage()));
  }

  /** Marks the gate stopped and hands over its consumers, to be unregistered once the engine is told. */
  private List<MessageConsumer<Object>> stopListening() {
    List<MessageConsumer<Object>> stopping = List.of(consumer, hello, callCounts);
    consumer = null;
    hello = null;
    callCounts = null;
    return stopping;
  }

  private static Future<Void> unregisterAll(List<MessageConsumer<Object>> consumers) {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private Future<Void> unregister() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    List<MessageConsumer<Object>> stopping = stopListening();
    return vertx.eventBus().request(Addresses.WORKERS_UNREGISTER, new JsonObject().put("address", address()))
        .<Void>mapEmpty()
        .recover(failure -> {
          // The engine may already be gone (shutdown order); the worker stops all the same.
          LOG.info("Tenant gate '{}' could not unregister from the engine: {}", registration.name(),
              failure.getMessage());
          return Future.succeededFuture();
        })
        .compose(unregistered -> unregisterAll(stopping));
  }

  private Future<Void> applySnapshot(Object body) {
    if (!(body instanceof JsonObject reply) || !(reply.getValue("tenants") instanceof JsonArray entries)) {
      return Future.failedFuture(new IllegalStateException("the engine's registration reply holds no snapshot"));
    }
    List<Future<Void>> applied = new ArrayList<>();
    for (Object entry : entries) {
      Command command;
      try {
        command = Command.fromBody(entry);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new IllegalStateException("the engine's snapshot holds a bad command", e));
      }
      if (!registration.follows(command.tenant())) {
        continue;
      }
      applied.add(applyEntry(command).recover(failure -> {
        LOG.warn("Tenant gate '{}': the {} handler for {} failed on the registration snapshot: {}", registration.name(),
            command.type().wireName(), command.tenant(), failure.getMessage());
        return Future.succeededFuture();
      }));
    }
    return Future.all(applied).mapEmpty();
  }

  private void onCommand(Message<Object> message) {
    Command command;
    try {
      command = Command.fromBody(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(Failures.MALFORMED, e.getMessage());
      return;
    }
    JsonObject ack = new JsonObject().put("ok", true).put("seq", command.seq()).put("epoch", command.epoch());
    if (!registration.follows(command.tenant())) {
      message.reply(ack);
      return;
    }
    accept(command).onComplete(
        inFlight -> message.reply(inFlight == null ? ack : ack.put("inFlight", inFlight)),
        failure -> message.fail(Failures.FAILED, String.valueOf(failure.getMessage())));
  }

  /**
   * Takes a live command's state at once (a pause, retire or endpoint also refuses the tenant's calls from now on)
   * and queues its handler behind the tenant's earlier ones; answers the calls left in flight at its drain, null
   * when it drained nothing (not a pause, retire or endpoint, or one that was stale).
   */
  private Future<Integer> accept(Command command) {
    HandlerLine line = line(command);
    if (!command.fence().isAbove(line.handled)) {
      return Future.succeededFuture();
    }
    if (CallPath.drains(command.type())) {
      calls.drainStarting(command.tenant());
    }
    take(command);
    return queue(line, command);
  }

  /**
   * Applies one entry of a registration snapshot as a live command, except: a pause for a tenant this
   * gate does not have open, and a retire for a tenant it never heard of, are only recorded, since the
   * tenant is closed already and there is nothing to forget (a gate that had the tenant open or known calls
   * its handler); and a resync is owed whatever its pair unless this gate has handled a resync at or above
   * it, so a worker that was away when it went out resyncs now.
   */
  private Future<Void> applyEntry(Command entry) {
    HandlerLine line = line(entry);
    if (entry.type() == CommandType.RESYNC) {
      return entry.fence().isAbove(line.resynced) ? queue(line, entry).mapEmpty() : Future.succeededFuture();
    }
    if (!entry.fence().isAbove(line.handled)) {
      return Future.succeededFuture();
    }
    Command before = views.get(entry.tenant());
    boolean recordOnly = switch (entry.type()) {
      case PAUSE -> before == null || !before.running();
      case RETIRE -> before == null;
      case RESUME, ENDPOINT, RESYNC -> false;
    };
    if (!recordOnly) {
      if (CallPath.drains(entry.type())) {
        calls.drainStarting(entry.tenant());
      }
      take(entry);
      return queue(line, entry).mapEmpty();
    }
    take(entry);
    line.handled = entry.fence();
    if (entry.type() == CommandType.RETIRE) {
      forget(entry);
    }
    return Future.succeededFuture();
  }

  private HandlerLine line(Command command) {
    return lines.computeIfAbsent(command.tenant(), tenant -> new HandlerLine());
  }

  /** Takes the command's state unless the gate holds newer; answers the view as it was before. */
  private Command take(Command command) {
    Command before = views.get(command.tenant());
    if (before == null || command.fence().isAbove(before.fence())) {
      views.put(command.tenant(), command);
    }
    return before;
  }

  private Future<Integer> queue(HandlerLine line, Command command) {
    Future<Integer> run = line.tail.transform(previous -> runHandler(line, command));
    line.tail = run;
    return run;
  }

  /**
   * Runs the command's handler once its turn has come; a pause, retire or endpoint first waits for the tenant's
   * calls in flight (contracts.md, "Commands", "Drain"), so its handler runs, and it is acknowledged, once they have
   * ended. Answers the calls left in flight when the drain gave up waiting (0 when none was left), null when it
   * drained nothing.
   */
  private Future<Integer> runHandler(HandlerLine line, Command command) {
    boolean resync = command.type() == CommandType.RESYNC;
    boolean drains = CallPath.drains(command.type());
    if (!command.fence().isAbove(resync ? line.resynced : line.handled)) {
      // A redelivery queued behind its original, which has succeeded meanwhile, or an older command.
      if (drains) {
        calls.drainEnded(command.tenant());
      }
      return Future.succeededFuture();
    }
    Future<Integer> drained = drains
        ? calls.drain(command).andThen(done -> calls.drainEnded(command.tenant()))
        : Future.succeededFuture();
    return drained.compose(inFlight -> backOnContext(invoke(command)).map(done -> {
      line.handled = higher(line.handled, command.fence());
      if (resync) {
        line.resynced = higher(line.resynced, command.fence());
      }
      if (command.type() == CommandType.RETIRE) {
        forget(command);
      }
      return inFlight;
    }));
  }

  private Future<Void> invoke(Command command) {
    Function<Command, Future<Void>> handler = handlers.get(command.type());
    if (handler == null) {
      return Future.succeededFuture();
    }
    Future<Void> result;
    try {
      result = handler.apply(command);
    } catch (RuntimeException e) {
      // A handler that throws has failed like one whose future failed: the engine will deliver again.
      result = Future.failedFuture(e);
    }
    if (result == null) {
      result = Future.failedFuture(new IllegalStateException(
          "the " + command.type().wireName() + " handler returned null instead of a future"));
    }
    return result.onFailure(failure -> LOG.warn("Tenant gate '{}': the {} handler for {} seq {} failed: {}",
        registration.name(), command.type().wireName(), command.tenant(), command.seq(), failure.getMessage()));
  }

  /** Drops a retired tenant's endpoint and api, unless a newer command has brought it back meanwhile. */
  private void forget(Command retire) {
    Command view = views.get(retire.tenant());
    if (view != null && view.fence().equals(retire.fence())) {
      // The retire and its pair stay, so tenants() lists it and a late older command cannot bring it back.
      views.put(retire.tenant(), new Command(retire.type(), retire.tenant(), retire.state(), false, null, null,
          retire.reason(), retire.seq(), retire.epoch(), retire.at()));
    }
  }

  private static Fence higher(Fence a, Fence b) {
    return b.isAbove(a) ? b : a;
  }

  /** Runs the action on the gate's context and hands its outcome back on the gate's context. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    runOnContext(() -> action.get().onComplete(promise));
    return promise.future();
  }

  /** A handler's future may complete on any thread; the gate's bookkeeping continues on its own context. */
  private <T> Future<T> backOnContext(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(outcome -> runOnContext(() -> promise.handle(outcome)));
    return promise.future();
  }

  private void runOnContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(ignored -> action.run());
    }
  }
}
