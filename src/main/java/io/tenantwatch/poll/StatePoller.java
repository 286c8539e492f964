package io.tenantwatch.poll;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.machine.PollReason;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls tenants' state API on request and sends each result to the tenant's verticle.
 *
 * <p>Consumes {@link Addresses#POLL} ({@code {"tenant":"Cust1","reason":"timer"|"notification"|"admin"|"start"}},
 * see {@link PollRequest}): a valid request is acknowledged at once with {@code {"queued":true}}, passes
 * the {@link PollLimiter} (R9) and ends as one {@code poll-result} ({@link PollResult#toJson()}) sent to
 * {@link Addresses#tenant(String)}, success or failure. A request for a tenant already waiting or in flight
 * joins that poll, except a notification for a tenant in flight, which polls it once more after that
 * poll's result (see {@link PollLimiter.Admission#FOLLOW_UP}). An invalid request is failed with code 400
 * and reaches no URL.
 *
 * <p>Answers {@link #STATS} with {@link PollStats#toJson()}.
 */
public final class StatePoller extends VerticleBase {

  /** Request address for the poller's counters; any body; the reply is {@link PollStats#toJson()}. */
  public static final String STATS = "tenantwatch.poll.stats";
  /** A state-API answer is a few hundred bytes; anything this large is not one. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(StatePoller.class);
  private static final int BAD_REQUEST = 400;
  private static final int LOGGED_EXCERPT = 16;

  private final PollerOptions options;
  private final StateApiTarget target;
  private final Clock clock;
  private PollLimiter limiter;
  private HttpClientAgent client;
  private long pacingTimer = -1;
  private boolean stopped;
  private long started;
  private long succeeded;
  private long failed;

  public StatePoller(PollerOptions options) {
    this(options, Clock.systemUTC());
  }

  /** @param clock paces the limiter and dates {@code Retry-After} */
  public StatePoller(PollerOptions options, Clock clock) {
    this.options = options;
    this.target = StateApiTarget.of(options);
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    limiter = new PollLimiter(options.maxConcurrentPolls(), options.maxPollsPerSecond(), clock);
    // The pool holds exactly as many connections as polls may be in flight, so no poll waits in it.
    // The core client rather than the WebClient: only its request can be reset when the deadline passes.
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(options.maxConcurrentPolls()));
    return Future.all(
        vertx.eventBus().<Object>consumer(Addresses.POLL, this::onPollRequest).completion(),
        vertx.eventBus().consumer(STATS, message -> message.reply(stats().toJson())).completion());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (pacingTimer != -1) {
      vertx.cancelTimer(pacingTimer);
    }
    client.close();
    return Future.succeededFuture();
  }

  private void onPollRequest(Message<Object> message) {
    PollRequest request;
    try {
      request = PollRequest.fromJson(message.body() instanceof JsonObject json ? json : null);
    } catch (IllegalArgumentException e) {
      if (message.body() instanceof JsonObject json) {
        LOG.warn("Refused a poll request: {} (tenant {}, reason {})", e.getMessage(),
            excerpt(json.getValue("tenant")), excerpt(json.getValue("reason")));
      } else {
        LOG.warn("Refused a poll request: {}", e.getMessage());
      }
      if (message.replyAddress() != null) {
        message.fail(BAD_REQUEST, e.getMessage());
      }
      return;
    }
    PollLimiter.Admission admission = limiter.offer(request.tenant(), request.reason());
    if (LOG.isDebugEnabled()) {
      LOG.debug("Poll of {} for {}: {}", request.tenant(), request.reason().wireName(), admission);
    }
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("queued", true));
    }
    dispatch();
  }

  /** Starts every poll the limiter allows now, and arms the one pacing timer when it says to wait. */
  private void dispatch() {
    while (!stopped) {
      PollLimiter.Decision next = limiter.next();
      if (next instanceof PollLimiter.Start start) {
        poll(start.tenant(), start.reason());
      } else {
        if (next instanceof PollLimiter.Wait wait && pacingTimer == -1) {
          pacingTimer = vertx.setTimer(Math.max(1, ceilMillis(wait.delay())), id -> {
            pacingTimer = -1;
            dispatch();
          });
        }
        return;
      }
    }
  }

  private void poll(String ctx, PollReason reason) {
    started++;
    if (LOG.isDebugEnabled()) {
      LOG.debug("Polling {} ({})", ctx, reason.wireName());
    }
    StateApiCall.poll(vertx, client, options, target, clock, ctx).onSuccess(result -> complete(ctx, result));
  }

  private void complete(String ctx, PollResult result) {
    limiter.finish(ctx);
    if (result.ok()) {
      succeeded++;
    } else {
      failed++;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("Polled {}: {}", ctx, result.ok()
          ? result.status().state() + ", running " + result.status().running()
          : "failed, " + result.failure().describe());
    }
    if (!stopped) {
      vertx.eventBus().send(Addresses.tenant(ctx), result.toJson());
      dispatch();
    }
  }

  private PollStats stats() {
    return new PollStats(limiter.queued(), limiter.inFlight(), started, succeeded, failed);
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
}
