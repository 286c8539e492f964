package io.tenantwatch.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.machine.ReportOutcome;
import io.tenantwatch.poll.PollResult;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The engine's own meters, counted where things happen (the poller, the webhook, workers' reports, the worker
 * registry, the event stream) through the small methods below, so no other class touches a registry. Names follow
 * Prometheus' conventions once rendered: {@code tenantwatch_} prefix, {@code _total} on counters,
 * seconds for durations; labels come from closed sets (outcomes, refusal codes, command types, states),
 * never a tenant id.
 *
 * <p>Every method may be called from any thread (Micrometer's meters are thread-safe). {@link #close()}
 * removes the engine's meters again, which matters when they live in a registry the platform shares.
 */
public final class EngineMetrics {
  private static final String PREFIX = "tenantwatch.";
  private static final Duration[] POLL_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry;
  private final boolean ownRegistry;
  private final TenantCensus tenants;
  private final List<Meter> registered = new ArrayList<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicLong pollsQueued = new AtomicLong();
  private final AtomicLong pollsInFlight = new AtomicLong();
  private final AtomicLong workers = new AtomicLong();
  private final AtomicLong failingWorkers = new AtomicLong();
  private final AtomicLong streamClients = new AtomicLong();

  private EngineMetrics(PrometheusMeterRegistry registry, boolean ownRegistry, Clock clock) {
    this.registry = registry;
    this.ownRegistry = ownRegistry;
    this.tenants = new TenantCensus(clock);
    tenants.register(this::gauge);
    gauge("tenantwatch.polls.queued", "Polls waiting for the limiter (maxConcurrentPolls, maxPollsPerSecond)",
        pollsQueued::get);
    gauge("tenantwatch.polls.in.flight", "Polls sent to the state API and not yet answered", pollsInFlight::get);
    gauge("tenantwatch.workers", "Worker verticles registered with the engine", workers::get);
    gauge("tenantwatch.workers.failing", "Registered workers shown as failing (deliveries left unacknowledged)",
        failingWorkers::get);
    gauge("tenantwatch.event.stream.clients", "Clients connected to GET /admin/events", streamClients::get);
  }

  /**
   * The metrics of an engine running on {@code vertx}: when that Vert.x was started with Micrometer
   * metrics on a Prometheus registry (as the runnable jar does), the engine's meters join it, so that
   * {@code /metrics} shows Vert.x's own HTTP, event-bus and pool meters too; otherwise the engine keeps a
   * registry of its own with its meters only.
   */
  public static EngineMetrics forVertx(Vertx vertx, Clock clock) {
    if (vertx.isMetricsEnabled() && BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry shared) {
      return new EngineMetrics(shared, false, clock);
    }
    return new EngineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true, clock);
  }

  /** Metrics that nobody scrapes: for a part deployed on its own, outside an engine. */
  public static EngineMetrics unscraped() {
    return new EngineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true, Clock.systemUTC());
  }

  /** The Prometheus text exposition of every meter in the registry. */
  public String scrape() {
    return registry.scrape();
  }

  /** The registry the meters live in. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The per-state tenant gauges, fed by the directory. */
  public TenantCensus tenants() {
    return tenants;
  }

  // ---- polls ----

  /** Starts timing one poll; hand the answer to {@link #pollFinished}. */
  public Timer.Sample pollStarted() {
    return Timer.start(registry);
  }

  /** Counts a finished poll by outcome ({@code ok} or the failure kind) and records how long it took. */
  public void pollFinished(Timer.Sample started, PollResult result) {
    String outcome = result.ok() ? "ok" : result.failure().kind().wireName();
    started.stop(timers.computeIfAbsent(outcome, o -> remember(Timer.builder("tenantwatch.poll.duration")
        .description("Time from sending a poll to its classified answer (or its deadline)")
        .tag("outcome", o)
        .serviceLevelObjectives(POLL_BUCKETS)
        .register(registry))));
    counter("tenantwatch.polls", "Polls of the state API by outcome", "outcome", outcome).increment();
  }

  /** The limiter's queue as it stands now. */
  public void pollQueue(int queued, int inFlight) {
    pollsQueued.set(queued);
    pollsInFlight.set(inFlight);
  }

  // ---- notifications ----

  /** A notification the webhook took ({@code accepted}) or ignored (an unwatched tenant). */
  public void notificationAnswered(boolean accepted) {
    notification(accepted ? "accepted" : "ignored");
  }

  /**
   * A notification the webhook did not take: refused for {@code reason} (the error code of its answer,
   * a 4xx) or, for a 5xx, unavailable (shutting down, or the tenant could not be reached).
   */
  public void notificationRefused(int status, String reason) {
    if (status >= 500) {
      notification("unavailable");
      return;
    }
    notification("refused");
    counter("tenantwatch.notifications.refused", "Webhook notifications refused, by the error code answered",
        "reason", reason).increment();
  }

  private void notification(String outcome) {
    counter("tenantwatch.notifications", "Webhook notifications by outcome", "outcome", outcome).increment();
  }

  // ---- symptom reports ----

  /** A worker's symptom report its tenant answered: the poll it started, or why it started none. */
  public void reportAnswered(Symptom symptom, ReportOutcome outcome) {
    counter("tenantwatch.reports", "Workers' symptom reports by symptom, and whether each started a poll",
        "symptom", symptom.wireName(), "outcome", outcome.wireName()).increment();
  }

  // ---- commands and workers ----

  /** A command a tenant issued and the registry accepted (once, however many workers follow the tenant). */
  public void commandIssued(CommandType type) {
    counter("tenantwatch.commands", "Commands issued by the tenants, by type", "type", type.wireName()).increment();
  }

  /** One attempt to deliver a command to one worker. */
  public void commandSent(boolean retry) {
    counter("tenantwatch.commands.sent", "Command deliveries sent to workers, retries included").increment();
    if (retry) {
      counter("tenantwatch.commands.retried", "Command deliveries sent again after an unanswered attempt")
          .increment();
    }
  }

  /** A worker acknowledged a command. */
  public void commandAcknowledged() {
    counter("tenantwatch.commands.acknowledged", "Command deliveries a worker acknowledged").increment();
  }

  /**
   * A delivery ended without an acknowledgement: {@code unacknowledged} after all its attempts,
   * {@code worker-gone} when nothing listened at the worker's address any more, {@code superseded} when
   * the worker registered again or acknowledged a newer command meanwhile.
   */
  public void commandDropped(String reason) {
    counter("tenantwatch.commands.dropped", "Command deliveries ended without an acknowledgement, by reason",
        "reason", reason).increment();
  }

  /** The registered workers as they stand now. */
  public void workers(int registered, int failing) {
    workers.set(registered);
    failingWorkers.set(failing);
  }

  // ---- listeners ----

  /** The connections {@code listener} holds open now, beside its {@code maxConnections}. */
  public void connectionsOpen(String listener, Supplier<Number> open) {
    gauge("tenantwatch.http.connections.open", "Connections the listener holds open now (at most its "
        + "maxConnections)", open, "listener", listener);
  }

  /** A connection closed at once because {@code listener} already held its {@code maxConnections}. */
  public void connectionRefused(String listener) {
    counter("tenantwatch.http.connections.refused", "Connections closed at once because the listener held "
        + "its maxConnections", "listener", listener).increment();
  }

  /**
   * A connection cut by {@code listener}'s request deadline: {@code headers} when not even a request's
   * headers had come (hung up on), {@code body} when its body had not (answered 408).
   */
  public void requestTimedOut(String listener, String missing) {
    counter("tenantwatch.http.requests.timed.out", "Connections cut because a request's headers or body did "
        + "not arrive within requestTimeoutMs", "listener", listener, "missing", missing).increment();
  }

  // ---- event stream ----

  /** A client connected to ({@code +1}) or left ({@code -1}) the event stream. */
  public void streamClients(int change) {
    streamClients.addAndGet(change);
  }

  /** An event written to an event-stream client, or dropped because the client did not keep up. */
  public void streamEvent(boolean written) {
    counter("tenantwatch.event.stream.events", "Events for event-stream clients, written or dropped for a "
        + "client that did not keep up", "outcome", written ? "written" : "dropped").increment();
  }

  // ---- store ----

  /** A tenant's change the store refused for its data (it is set aside so the others are written). */
  public void storeRowRejected() {
    counter("tenantwatch.store.rows.rejected", "Tenant changes the store refused for their data and set aside")
        .increment();
  }

  /**
   * {@code count} tenants' changes a cluster node's store refused because this node no longer holds their
   * shard's lease under the change's epoch (they are dropped).
   */
  public void storeWritesFenced(int count) {
    counter("tenantwatch.store.writes.fenced", "Tenant changes the store refused because their writer no longer "
        + "held the shard's lease under their epoch, and dropped").increment(count);
  }

  // ---- cluster ----

  /** A cluster node's members and the shards it holds, as they stand whenever {@code /metrics} is read. */
  public void cluster(Supplier<Number> members, Supplier<Number> shardsOwned) {
    gauge("tenantwatch.cluster.members", "Members of the cluster as this node sees them, itself included", members);
    gauge("tenantwatch.cluster.shards.owned", "Shards whose lease this node holds", shardsOwned);
  }

  /**
   * A round's renewal of the leases this node holds: {@code renewed} (all of them), {@code lost} (another node
   * had taken one) or {@code failed} (the database did not answer).
   */
  public void leaseRenewal(String outcome) {
    counter("tenantwatch.cluster.lease.renewals", "Renewals of this node's shard leases, by outcome",
        "outcome", outcome).increment();
  }

  /**
   * {@code count} shards changed hands here: {@code move} is {@code taken}, {@code handed-over} or
   * {@code dropped}; {@code cause} says why ({@code unowned}, {@code owner-left}, {@code rebalance},
   * {@code leave}, {@code lease-lost}, {@code lease-deadline}).
   */
  public void shardsMoved(String move, String cause, int count) {
    counter("tenantwatch.cluster.handovers", "Shards taken, handed over or dropped by this node, by cause",
        "move", move, "cause", cause).increment(count);
  }

  /** Removes the engine's meters from the registry (and closes it when it is the engine's own). */
  public void close() {
    synchronized (registered) {
      registered.forEach(registry::remove);
      registered.clear();
    }
    if (ownRegistry) {
      registry.close();
    }
  }

  private Counter counter(String name, String description, String... tags) {
    String key = name + String.join("\u0000", tags);
    return counters.computeIfAbsent(key, k -> remember(Counter.builder(name).description(description).tags(tags)
        .register(registry)));
  }

  private void gauge(String name, String description, Supplier<Number> value, String... tags) {
    remember(Gauge.builder(name, value).description(description).tags(tags).strongReference(true)
        .register(registry));
  }

  private <M extends Meter> M remember(M meter) {
    synchronized (registered) {
      registered.add(meter);
    }
    return meter;
  }

  /** Registers a gauge; {@link TenantCensus} uses it to add its own. */
  @FunctionalInterface
  interface GaugeRegistrar {
    void gauge(String name, String description, Supplier<Number> value, String... tags);
  }
}
