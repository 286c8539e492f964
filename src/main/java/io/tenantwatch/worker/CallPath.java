package io.tenantwatch.worker;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.ContextId;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gate's calls: lets a call through only while its tenant is open and not draining, counts it in flight until
 * its future ends, counts and reports what it showed, and waits for a tenant's calls in flight to end when a
 * {@code pause}, {@code retire} or {@code endpoint} drains it (contracts.md, "Commands", "Calls through the gate").
 *
 * <p>Calls come from any thread; drains run on the gate's context. A call cannot slip past a closing command: the
 * command marks the tenant draining (and a pause closes its view) before the drain reads the calls in flight, and a
 * call counts itself in flight before it reads the view and the mark, backing out when it finds either closed. With
 * both written and read through atomics, a call the drain does not see has seen the drain.
 */
final class CallPath {
  private static final Logger LOG = LoggerFactory.getLogger(CallPath.class);

  private final Vertx vertx;
  private final String gate;
  private final Function<String, Command> views;
  private final SymptomReporter reporter;
  private final Consumer<Runnable> onContext;
  private final long drainTimeoutMs;
  private final LongSupplier nanoTime;
  private final Map<String, TenantCalls> tenants = new ConcurrentHashMap<>();
  private final CallTally total = new CallTally();
  private final AtomicInteger totalInFlight = new AtomicInteger();

  /** One tenant's calls. */
  private static final class TenantCalls {
    final CallTally tally = new CallTally();
    final AtomicInteger inFlight = new AtomicInteger();
    /** Drains arrived and not yet ended: while above 0, calls are refused. */
    final AtomicInteger drains = new AtomicInteger();
    /** When each drain arrived, oldest first, in {@code nanoTime}; context only. */
    final Queue<Long> arrivals = new ArrayDeque<>();
    /** The drain waiting for the calls in flight to end, and its timer; context only. */
    Promise<Integer> idle;
    long timer;
  }

  /**
   * @param views the gate's current command per tenant
   * @param onContext runs an action on the gate's context
   * @param nanoTime the clock a drain's time is counted on from its arrival, {@code System::nanoTime} but in tests
   */
  CallPath(Vertx vertx, String gate, Function<String, Command> views, SymptomReporter reporter,
      Consumer<Runnable> onContext, long drainTimeoutMs, LongSupplier nanoTime) {
    this.vertx = vertx;
    this.gate = gate;
    this.views = views;
    this.reporter = reporter;
    this.onContext = onContext;
    this.drainTimeoutMs = drainTimeoutMs;
    this.nanoTime = nanoTime;
  }

  /** Whether a command of this type drains the tenant's calls: {@code pause}, {@code retire}, {@code endpoint}. */
  static boolean drains(CommandType type) {
    return switch (type) {
      case PAUSE, RETIRE, ENDPOINT -> true;
      case RESUME, RESYNC -> false;
    };
  }

  <T> Future<T> call(String ctx, Function<String, Future<T>> call) {
    if (!ContextId.isValid(ctx)) {
      return Future.failedFuture(new IllegalArgumentException(
          "a tenant call needs a context identifier such as Cust12345, was " + ctx));
    }
    if (call == null) {
      return Future.failedFuture(new IllegalArgumentException("a tenant call needs a function to call"));
    }
    TenantCalls calls = tenants.computeIfAbsent(ctx, tenant -> new TenantCalls());
    calls.inFlight.incrementAndGet();
    totalInFlight.incrementAndGet();
    boolean draining = calls.drains.get() > 0;
    Command view = views.apply(ctx);
    if (draining || view == null || !view.running()) {
      ended(calls);
      calls.tally.countRefused();
      total.countRefused();
      return Future.failedFuture(TenantClosed.refusing(ctx, view, draining));
    }
    calls.tally.countMade();
    total.countMade();
    String api = view.api();
    Future<T> result;
    try {
      result = call.apply(api);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (result == null) {
      result = Future.failedFuture(new IllegalStateException("the call to " + ctx + " returned null instead of a future"));
    }
    return result.andThen((AsyncResult<T> outcome) -> {
      ended(calls);
      CallFailure.seenIn(outcome).ifPresent(seen -> {
        calls.tally.countFailed(seen.failure());
        total.countFailed(seen.failure());
        seen.symptom().ifPresent(symptom -> reporter.report(ctx, symptom, seen.status(), api));
      });
    });
  }

  private void ended(TenantCalls calls) {
    totalInFlight.decrementAndGet();
    if (calls.inFlight.decrementAndGet() == 0 && calls.drains.get() > 0) {
      onContext.accept(() -> idleNow(calls));
    }
  }

  /** On the context: a tenant's last call in flight has ended; its drain, if one waits, is over. */
  private void idleNow(TenantCalls calls) {
    if (calls.idle != null && calls.inFlight.get() == 0) {
      vertx.cancelTimer(calls.timer);
      Promise<Integer> idle = calls.idle;
      calls.idle = null;
      idle.complete(0);
    }
  }

  /** On the context: a pause, retire or endpoint for the tenant has arrived; its calls are refused from now on. */
  void drainStarting(String ctx) {
    TenantCalls calls = tenants.computeIfAbsent(ctx, tenant -> new TenantCalls());
    calls.drains.incrementAndGet();
    calls.arrivals.add(nanoTime.getAsLong());
  }

  /**
   * On the context, once the command's turn has come: completes when the tenant has no call in flight, or once
   * {@code drainTimeoutMs} have passed since the command arrived (a command that waited its turn behind another's
   * drain or handler waits no longer), with the number of calls still in flight then. One drain per tenant at a
   * time, since one tenant's commands are handled one at a time.
   */
  Future<Integer> drain(Command command) {
    TenantCalls calls = tenants.get(command.tenant());
    int inFlight = calls.inFlight.get();
    if (inFlight == 0) {
      return Future.succeededFuture(0);
    }
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - calls.arrivals.element());
    long leftMs = drainTimeoutMs - waitedMs;
    if (leftMs <= 0) {
      giveUp(command, inFlight);
      return Future.succeededFuture(inFlight);
    }
    Promise<Integer> idle = Promise.promise();
    calls.idle = idle;
    calls.timer = vertx.setTimer(leftMs, timer -> {
      if (calls.idle != idle) {
        return;
      }
      calls.idle = null;
      int left = calls.inFlight.get();
      giveUp(command, left);
      idle.complete(left);
    });
    return idle.future();
  }

  private void giveUp(Command command, int inFlight) {
    if (drainTimeoutMs == 0) {
      LOG.debug("Tenant gate '{}': {} seq {} for {} is acknowledged at once with {} call(s) in flight "
          + "(drainTimeoutMs 0)", gate, command.type().wireName(), command.seq(), command.tenant(), inFlight);
    } else {
      LOG.warn("Tenant gate '{}': {} seq {} for {} is acknowledged with {} call(s) still in flight, "
              + "drainTimeoutMs {} after it arrived", gate, command.type().wireName(), command.seq(), command.tenant(),
          inFlight, drainTimeoutMs);
    }
  }

  /** On the context: the tenant's drain is over (or was skipped); its calls may go through again once none is left. */
  void drainEnded(String ctx) {
    TenantCalls calls = tenants.get(ctx);
    calls.arrivals.remove();
    calls.drains.decrementAndGet();
  }

  /** The totals alone, without a snapshot per tenant. */
  CallCounts.Tally totals() {
    return total.snapshot(totalInFlight.get());
  }

  /** One tenant's tally alone, without a snapshot of the others. */
  CallCounts.Tally tenant(String ctx) {
    TenantCalls calls = tenants.get(ctx);
    return calls == null ? CallCounts.Tally.NONE : calls.tally.snapshot(calls.inFlight.get());
  }

  CallCounts counts() {
    SortedMap<String, CallCounts.Tally> perTenant = new TreeMap<>();
    tenants.forEach((ctx, calls) -> perTenant.put(ctx, calls.tally.snapshot(calls.inFlight.get())));
    return new CallCounts(totals(), perTenant);
  }
}
