package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.History;
import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.poll.PollResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants that have lived a while: each carries a full history ({@link PollSettings#DEFAULT_HISTORY_LIMIT}
 * entries), every entry a step between Running and OfflineMaintenance that sent its {@code pause} or
 * {@code resume}, as a year of maintenance windows leaves it.
 *
 * <p>Two ways, both the engine's own code. {@link #age} drives the tenants a running engine watches: each
 * tenant is handed {@value #STEPS} poll results in turn, exactly the {@code poll-result} message its
 * poller sends after a GET, each made from a body parsed afresh (so its strings are new objects every
 * time, as a parsed answer's are); only the HTTP exchange is left out, which at fifty million GETs would
 * take most of an hour. {@link #pureSnapshots} drives the pure
 * machine the same way, with steps an hour apart, for the snapshot a tenant holds after those steps.
 */
final class HistoryAging {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryAging.class);
  /** Poll steps after the first: a full history and one more, ending Running. */
  static final int STEPS = PollSettings.DEFAULT_HISTORY_LIMIT;
  /** Tenants aged together, each step handed to all before waiting for their steps. */
  private static final int WINDOW = 2_000;
  private static final String VERSION = "Release_11.10";

  private HistoryAging() {
  }

  /** The state of the {@code step}-th poll after the first: OfflineMaintenance on odd steps, Running on even. */
  private static TenantState stateAt(int step) {
    return step % 2 == 1 ? TenantState.OFFLINE_MAINTENANCE : TenantState.RUNNING;
  }

  /**
   * Ages every one of {@code tenants} (watched by an engine on {@code vertx}, each polled once) by
   * {@value #STEPS} poll steps, their endpoint and api as the simulator serves them; answers once every step
   * is applied (seen on the events address).
   */
  static void age(Vertx vertx, Simulator simulator, List<String> tenants, long timeoutSeconds) throws Exception {
    List<TenantStatus> served = new ArrayList<>(tenants.size());
    for (int from = 0; from < tenants.size(); from += WINDOW) {
      List<Future<TenantStatus>> window = new ArrayList<>();
      tenants.subList(from, Math.min(from + WINDOW, tenants.size())).forEach(t -> window.add(simulator.status(t)));
      Future.all(window).await(1, TimeUnit.MINUTES);
      window.forEach(status -> served.add(status.result()));
    }
    StepCount steps = StepCount.watch(vertx);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    try {
      // A window of tenants at a time through all their steps: the directory sends the store each changed
      // tenant once per batch, so a tenant's fifty steps come to a few writes, not fifty rounds of all tenants.
      for (int from = 0; from < tenants.size(); from += WINDOW) {
        int to = Math.min(from + WINDOW, tenants.size());
        for (int step = 1; step <= STEPS; step++) {
          TenantState state = stateAt(step);
          steps.expect(state);
          for (int i = from; i < to; i++) {
            vertx.eventBus().send(Addresses.tenant(tenants.get(i)), pollResult(served.get(i), state));
          }
          steps.await(to - from, deadline);
        }
        if (to % (WINDOW * 10) == 0) {
          LOG.info("aging: {} of {} tenants through their {} steps", BenchReport.count(to),
              BenchReport.count(tenants.size()), STEPS);
        }
      }
    } finally {
      steps.close();
    }
  }

  /** The poll-result message for a body SuperOffice would send in {@code state}, parsed afresh. */
  private static JsonObject pollResult(TenantStatus served, TenantState state) throws StatusParseException {
    String body = TenantStatus.of(served.contextIdentifier(), state, served.endpoint(), served.api(),
        Instant.now().plus(Duration.ofHours(1)), VERSION).toJson().encode();
    TenantStatus parsed = TenantStatus.parse(Buffer.buffer(body));
    return PollResult.success(parsed.contextIdentifier(), parsed).toJson();
  }

  /** Counts the steps into one state seen on the events address: each tenant's step of the current one. */
  private static final class StepCount {
    private final MessageConsumer<JsonObject> consumer;
    private final AtomicLong seen = new AtomicLong();
    private volatile String state = "";
    private volatile long wanted = Long.MAX_VALUE;
    private volatile Promise<Void> reached = Promise.promise();

    private StepCount(Vertx vertx) {
      consumer = vertx.eventBus().consumer(Addresses.EVENTS, message -> {
        JsonObject step = message.body();
        if (state.equals(step.getString("to")) && !state.equals(step.getString("from"))
            && seen.incrementAndGet() >= wanted) {
          reached.tryComplete();
        }
      });
    }

    static StepCount watch(Vertx vertx) throws Exception {
      StepCount count = new StepCount(vertx);
      count.consumer.completion().await(1, TimeUnit.MINUTES);
      return count;
    }

    /** A new step: those into {@code next} are counted from zero. */
    void expect(TenantState next) {
      wanted = Long.MAX_VALUE;
      seen.set(0);
      state = next.displayName();
    }

    /** Waits until {@code count} steps into the current state were seen. */
    void await(long count, long deadlineNanos) throws Exception {
      reached = Promise.promise();
      wanted = count;
      if (seen.get() >= count) {
        reached.tryComplete();
      }
      long left = deadlineNanos - System.nanoTime();
      try {
        reached.future().await(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException("aging: " + seen.get() + " of " + count + " steps into " + state
            + " seen before the deadline", e);
      }
    }

    void close() throws Exception {
      consumer.unregister().await(1, TimeUnit.MINUTES);
    }
  }

  /**
   * {@code count} tenants as the pure machine leaves them after a first poll and {@value #STEPS} more, an
   * hour apart, each status parsed from the text SuperOffice would send (fresh strings every poll).
   */
  static TenantSnapshot[] pureSnapshots(int count, Instant start) throws StatusParseException {
    TenantMachine machine = new TenantMachine(PollSettings.defaults(), () -> 0.5);
    TenantSnapshot[] snapshots = new TenantSnapshot[count];
    for (int i = 0; i < count; i++) {
      String tenant = "Cust" + (1_000_000 + i);
      TenantSnapshot snapshot = TenantSnapshot.initial(tenant);
      for (int step = 0; step <= STEPS; step++) {
        Instant now = start.plus(Duration.ofHours(step));
        TenantState state = step == 0 ? TenantState.RUNNING : stateAt(step);
        String endpoint = "https://sod2.superoffice.com/" + tenant;
        TenantStatus status = TenantStatus.parse(TenantStatus.of(tenant, state, endpoint, endpoint + "/api",
            now.plus(Duration.ofHours(1)), VERSION).toJson().toBuffer());
        snapshot = machine.apply(snapshot, new TenantEvent.PollSucceeded(status), now).snapshot();
      }
      if (snapshot.history().size() != PollSettings.DEFAULT_HISTORY_LIMIT) {
        throw new IllegalStateException(tenant + " has " + snapshot.history().size() + " history entries");
      }
      snapshots[i] = snapshot;
    }
    return snapshots;
  }

  /** The same snapshots without their histories: what a tenant costs when its history lives elsewhere. */
  static TenantSnapshot[] withoutHistory(TenantSnapshot[] snapshots) {
    TenantSnapshot[] bare = new TenantSnapshot[snapshots.length];
    for (int i = 0; i < snapshots.length; i++) {
      bare[i] = snapshots[i].withHistory(History.EMPTY);
    }
    return bare;
  }
}
