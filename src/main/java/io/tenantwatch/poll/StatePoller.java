package io.tenantwatch.poll;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Waiters;
import io.micrometer.core.instrument.Timer;
import io.tenantwatch.machine.PollReason;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.function.Predicate;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls tenants' state API on request and sends each result to the tenant's verticle.
 *
 * <p>Consumes {@link Addresses#POLL} ({@code {"tenant":"Cust1","reason":"timer"|"notification"|"report"|"admin"|"start"}},
 * see {@link PollRequest}): a valid request is acknowledged at once with {@code {"queued":true}}, passes
 * the {@link PollLimiter} (R9) and ends as one {@code poll-result} ({@link PollResult#toJson()}) sent to
 * {@link Addresses#tenant(String)}, success or failure. A request for a tenant already waiting or in flight
 * joins that poll, except a notification for a tenant in flight, which polls it once more after that
 * poll's result (see {@link PollLimiter.Admission#FOLLOW_UP}). An invalid request is failed with code 400
 * and reaches no URL.
 *
 * <p>Answers {@link Addresses#POLL_STATS} with {@link PollStats#toJson()} and {@link Addresses#POLL_PROGRESS} with
 * {@code {"inFlight":N,"lastProgressAt":"<instant>"}} (the readiness check's "not wedged"). On {@link Addresses#POLL_DRAIN} it starts no more polls and
 * answers once those in flight have sent their results (the engine's graceful stop).
 *
 * <p>A bug in its own handling (an unexpected exception, which would leave the limiter's books in an
 * unknown state) stops it from starting polls: it logs the failure once at WARN and reports itself on
 * {@link Addresses#POLL_FAILED}, where the {@link PollerSupervisor} replaces it with a fresh poller. Polls it had
 * queued are not handed over; each tenant asks again when its {@link io.tenantwatch.tenant.PollWatchdog}
 * runs out.
 */
public final class StatePoller extends VerticleBase {

  /** A state-API answer is a few hundred bytes; anything this large is not one. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(StatePoller.class);
  private static final int LOGGED_EXCERPT = 16;

  private final PollerOptions options;
  private final StateApiTarget target;
  private final Clock clock;
  private final EngineMetrics metrics;
  private PollLimiter limiter;
  private HttpClientAgent client;
  private final Waiters<Object> drainWaiters = new Waiters<>();
  private long pacingTimer = -1;
  /** Volatile for the supervisor, which reads it from its own thread; see {@link #isUndeployed()}. */
  private volatile Lifecycle lifecycle = Lifecycle.SERVING;
  private final Predicate<String> runsHere;
  private long started;
  private long succeeded;
  private long failedPolls;
  private Instant lastProgressAt;

  public StatePoller(PollerOptions options) {
    this(options, Clock.systemUTC());
  }

  /** @param clock paces the limiter and dates {@code Retry-After} */
  public StatePoller(PollerOptions options, Clock clock) {
    this(options, clock, EngineMetrics.unscraped());
  }

  /** @param metrics counts each poll by outcome, times it, and follows the limiter's queue */
  public StatePoller(PollerOptions options, Clock clock, EngineMetrics metrics) {
    this(options, clock, metrics, tenant -> true);
  }

  /**
   * @param runsHere whether this node still runs a tenant, asked as each poll starts and again just before its
   *     request goes out: on a cluster node, whether it holds the tenant's shard within the lease's deadline. A poll
   *     of a tenant it no longer runs (a node woken from a pause longer than its lease, whose tenants' timers fire
   *     before their shards are dropped, or whose poll was waiting for its connection) is not made: the tenant's
   *     new owner polls it.
   */
  public StatePoller(PollerOptions options, Clock clock, EngineMetrics metrics, Predicate<String> runsHere) {
    this.runsHere = runsHere;
    this.options = options;
    this.target = StateApiTarget.of(options);
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    limiter = new PollLimiter(options.maxConcurrentPolls(), options.maxPollsPerSecond(), clock);
    // The pool holds exactly as many connections as polls may be in flight, so no poll waits in it.
    // The core client rather than the WebClient: only its request can be reset when the deadline passes.
    client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(options.maxConcurrentPolls()))
        // A broken answer (a bad chunk, no status line) already fails its poll (R7); without a handler of
        // its own the connection would also log it at ERROR, so a broken state API could flood the log.
        .withConnectHandler(connection -> connection.exceptionHandler(
            e -> LOG.debug("state API connection failed: {}", e.getClass().getSimpleName())))
        .build();
    return Future.all(
        vertx.eventBus().<Object>localConsumer(Addresses.POLL, this::onPollRequest).completion(),
        vertx.eventBus().localConsumer(Addresses.POLL_STATS, message -> message.reply(stats().toJson())).completion(),
        vertx.eventBus().localConsumer(Addresses.POLL_PROGRESS, message -> message.reply(new JsonObject()
            .put("inFlight", limiter.inFlight())
            .put("lastProgressAt", lastProgressAt == null ? null : lastProgressAt.toString()))).completion(),
        vertx.eventBus().<Object>localConsumer(Addresses.POLL_DRAIN, this::onDrain).completion());
  }

  @Override
  public Future<?> stop() {
    lifecycle = Lifecycle.STOPPED;
    metrics.pollQueue(0, 0);
    cancelPacing();
    answerDrainWaiters();
    client.close();
    return Future.succeededFuture();
  }

  /**
   * Whether this poller has been undeployed (its {@link #stop()} has run): what the supervisor checks,
   * at a cost that does not grow with the number of deployments, as {@code vertx.deploymentIDs()} does
   * (a copy of a million tenants' ids, every check).
   */
  public boolean isUndeployed() {
    return lifecycle == Lifecycle.STOPPED;
  }

  private void onDrain(Message<Object> message) {
    if (lifecycle == Lifecycle.SERVING) {
      LOG.info("Starting no more polls: {} queued, {} in flight", limiter.queued(), limiter.inFlight());
      lifecycle = Lifecycle.DRAINING;
    }
    cancelPacing();
    drainWaiters.add(message);
    if (limiter.inFlight() == 0) {
      answerDrainWaiters();
    }
  }

  private void answerDrainWaiters() {
    drainWaiters.answer(new JsonObject().put("queued", limiter.queued()));
  }

  private void cancelPacing() {
    if (pacingTimer != -1) {
      vertx.cancelTimer(pacingTimer);
      pacingTimer = -1;
    }
  }

  /**
   * Runs a step of the poller's own bookkeeping; an exception there is a bug that leaves the limiter in
   * an unknown state, so the poller stops starting polls and asks to be replaced rather than carry on.
   */
  private void guarded(Runnable step) {
    if (lifecycle == Lifecycle.FAILED || lifecycle == Lifecycle.STOPPED) {
      return;
    }
    try {
      step.run();
    } catch (RuntimeException e) {
      lifecycle = Lifecycle.FAILED;
      cancelPacing();
      LOG.warn("The state poller failed ({} polls queued, {} in flight); a fresh one takes over and tenants "
          + "ask again for their polls", limiter.queued(), limiter.inFlight(), e);
      vertx.eventBus().send(Addresses.POLL_FAILED, new JsonObject().put("deployment", deploymentID()).put("error", e.toString()));
    }
  }

  private void onPollRequest(Message<Object> message) {
    PollRequest request;
    try {
      request = message.body() instanceof PollRequest asked ? asked // a tenant's, as it is
          : PollRequest.fromJson(message.body() instanceof JsonObject json ? json : null);
    } catch (IllegalArgumentException e) {
      if (message.body() instanceof JsonObject json) {
        LOG.warn("Refused a poll request: {} (tenant {}, reason {})", e.getMessage(),
            excerpt(json.getValue("tenant")), excerpt(json.getValue("reason")));
      } else {
        LOG.warn("Refused a poll request: {}", e.getMessage());
      }
      if (message.replyAddress() != null) {
        message.fail(Failures.MALFORMED, e.getMessage());
      }
      return;
    }
    if (lifecycle == Lifecycle.FAILED) {
      // Dropped: the tenant's watchdog asks the poller that replaces this one.
      if (message.replyAddress() != null) {
        message.fail(Failures.UNAVAILABLE, "the state poller failed and is being replaced");
      }
      return;
    }
    guarded(() -> {
      PollLimiter.Admission admission = limiter.offer(request.tenant(), request.reason());
      if (LOG.isDebugEnabled()) {
        LOG.debug("Poll of {} for {}: {}", request.tenant(), request.reason().wireName(), admission);
      }
      if (message.replyAddress() != null) {
        message.reply(new JsonObject().put("queued", true));
      }
      dispatch();
    });
  }

  /**
   * Starts every poll the limiter allows now, and arms the one pacing timer when it says to wait. While that
   * timer is armed the rate allows no start before it fires, whatever arrives or finishes meanwhile, so the
   * limiter is not asked again: a start that queues a hundred thousand tenants would ask it as often.
   */
  private void dispatch() {
    if (pacingTimer == -1) {
      startAllowed();
    }
    metrics.pollQueue(limiter.queued(), limiter.inFlight());
  }

  private void startAllowed() {
    while (lifecycle == Lifecycle.SERVING) {
      PollLimiter.Decision next = limiter.next();
      if (next instanceof PollLimiter.Start start) {
        poll(start.tenant(), start.reason());
      } else {
        if (next instanceof PollLimiter.Wait wait && pacingTimer == -1) {
          pacingTimer = vertx.setTimer(Math.max(1, ceilMillis(wait.delay())), id -> {
            pacingTimer = -1;
            guarded(this::dispatch);
          });
        }
        return;
      }
    }
  }

  private void poll(String ctx, PollReason reason) {
    if (!runsHere.test(ctx)) {
      LOG.debug("Not polling {}: this node no longer runs it", ctx);
      limiter.finish(ctx);
      return;
    }
    started++;
    if (limiter.inFlight() == 1) {
      // Idle until now: the time to judge progress by starts here, not at the last poll long ago.
      lastProgressAt = clock.instant();
    }
    Timer.Sample timing = metrics.pollStarted();
    if (LOG.isDebugEnabled()) {
      LOG.debug("Polling {} ({})", ctx, reason.wireName());
    }
    // Asked again just before the request goes out: a node frozen while it connected may have lost the shard.
    StateApiCall.poll(vertx, client, options, target, clock, ctx, () -> runsHere.test(ctx)).onSuccess(result -> {
      metrics.pollFinished(timing, result);
      complete(ctx, result);
    });
  }

  private void complete(String ctx, PollResult result) {
    if (result.ok()) {
      succeeded++;
    } else {
      failedPolls++;
    }
    lastProgressAt = clock.instant();
    if (LOG.isDebugEnabled()) {
      LOG.debug("Polled {}: {}", ctx, result.ok()
          ? result.status().state() + ", running " + result.status().running()
          : "failed, " + result.failure().describe());
    }
    if (lifecycle == Lifecycle.STOPPED) {
      return;
    }
    // The result goes out even from a poller that failed meanwhile: the answer itself is sound.
    vertx.eventBus().send(Addresses.tenant(ctx), result.toJson());
    guarded(() -> {
      limiter.finish(ctx);
      dispatch();
      if (lifecycle == Lifecycle.DRAINING && limiter.inFlight() == 0) {
        answerDrainWaiters();
      }
    });
  }

  private PollStats stats() {
    return new PollStats(limiter.queued(), limiter.inFlight(), started, succeeded, failedPolls);
  }

  private static long ceilMillis(Duration delay) {
    long millis = delay.toMillis();
    return delay.minusMillis(millis).isZero() ? millis : millis + 1;
  }

  /** A short form of a refused value that is safe for a log line: letters and digits only, truncated. */
  private static String excerpt(Object value) {
    if (value == null) {
      return "absent";
    }
    if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
      return "a non-text value";
    }
    String text = String.valueOf(value);
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < text.length() && safe.length() < LOGGED_EXCERPT; i++) {
      char c = text.charAt(i);
      safe.append(c < 128 && Character.isLetterOrDigit(c) ? c : '?');
    }
    return '"' + safe.toString() + (text.length() > LOGGED_EXCERPT ? "...\"" : "\"");
  }

  /**
   * Where the poller is in its life. It serves until the engine drains it (no more polls start; the
   * drain is answered once none is in flight) or its own bookkeeping fails (it starts nothing more and
   * asks to be replaced); once undeployed it sends nothing.
   */
  private enum Lifecycle { SERVING, DRAINING, FAILED, STOPPED }
}
