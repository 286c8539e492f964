package io.tenantwatch.webhook;

import io.tenantwatch.fetch.BoundedBody;
import io.tenantwatch.fetch.BoundedExchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys published at a JWKS URL, fetched on first need and kept. Safe to use from any event loop.
 *
 * <p>A refresh is started at most once per {@link #MIN_REFRESH_INTERVAL} (callers asking meanwhile join
 * the fetch in flight or get the keys as they are), and lazily once the keys are older than
 * {@link #MAX_AGE}. A fetch is one {@link BoundedExchange}: connect, headers and body together end
 * at the timeout, and a body past {@link #MAX_BODY_BYTES} is dropped and its connection closed, so a
 * JWKS that trickles or floods holds up a token with a new {@code kid} for the timeout at most. A failed
 * fetch (down, timeout, too large, not a JWKS) keeps the previous keys and never fails
 * the caller; it is logged at WARN once per streak of failures.
 */
final class JwksSource {
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
  static final Duration MAX_AGE = Duration.ofHours(1);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** A JWKS holds a handful of keys; anything this large is not one. */
  static final int MAX_BODY_BYTES = 256 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);

  private final Vertx vertx;
  private final String url;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient client;
  private final KeySet pinned;
  private final AtomicReference<Fetch> lastFetch = new AtomicReference<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile KeySet fetched = KeySet.EMPTY;
  private volatile KeySet known;
  private volatile Instant fetchedAt;
  private volatile boolean closed;

  private record Fetch(Instant startedAt, Future<Void> done) {
  }

  /** @param pinned the keys trusted whatever the JWKS says */
  JwksSource(Vertx vertx, String url, Duration timeout, Clock clock, KeySet pinned) {
    this.vertx = vertx;
    this.pinned = pinned;
    this.known = pinned;
    this.url = url;
    this.timeout = timeout;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  /**
   * The pinned keys plus those of the last good fetch: swapped as one immutable set, so a verification
   * sees either the old set or the new one.
   */
  KeySet keys() {
    return known;
  }

  /**
   * Fetches the JWKS again unless one was started less than {@link #MIN_REFRESH_INTERVAL} ago. Completes
   * (never fails) once the fetch in flight, if any, is over; then {@link #keys()} holds what is known.
   */
  Future<Void> refresh() {
    if (closed) {
      return Future.succeededFuture();
    }
    Instant now = clock.instant();
    Fetch previous = lastFetch.get();
    if (previous != null
        && (!previous.done().isComplete() || now.isBefore(previous.startedAt().plus(MIN_REFRESH_INTERVAL)))) {
      return previous.done();
    }
    Promise<Void> done = Promise.promise();
    if (!lastFetch.compareAndSet(previous, new Fetch(now, done.future()))) {
      return lastFetch.get().done();
    }
    fetch(now).onComplete(ignored -> done.complete());
    return done.future();
  }

  /** Starts a refresh in the background when the keys are older than {@link #MAX_AGE}. */
  void refreshIfStale() {
    Instant fetched = fetchedAt;
    if (fetched != null && !clock.instant().isBefore(fetched.plus(MAX_AGE))) {
      refresh();
    }
  }

  /** Stops fetching; the keys already known stay usable. */
  void close() {
    closed = true;
    client.close();
  }

  private Future<KeySet> fetch(Instant startedAt) {
    Future<BoundedExchange.Answer> answer;
    try {
      RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
          .putHeader(HttpHeaders.ACCEPT, "application/json")
          .putHeader(HttpHeaders.USER_AGENT, "tenantwatch-webhook");
      answer = BoundedExchange.send(vertx, client, get, timeout.toMillis(), MAX_BODY_BYTES);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    return answer.map(this::keysOf).andThen(result -> {
      if (result.succeeded()) {
        fetched = result.result();
        known = pinned.plus(fetched);
        fetchedAt = startedAt;
        if (failing.getAndSet(false)) {
          LOG.info("JWKS {} answers again: {} signing keys", url, fetched.size());
        } else {
          LOG.debug("JWKS {}: {} signing keys", url, fetched.size());
        }
      } else if (closed) {
        LOG.debug("JWKS {} fetch ended by close: {}", url, describe(result.cause()));
      } else if (!failing.getAndSet(true)) {
        LOG.warn("JWKS {} could not be fetched ({}); pinned keys still verify, {} JWKS keys kept",
            url, describe(result.cause()), fetched.size());
      } else {
        LOG.debug("JWKS {} still failing: {}", url, describe(result.cause()));
      }
    });
  }

  private KeySet keysOf(BoundedExchange.Answer answer) {
    if (answer.statusCode() != 200) {
      throw new IllegalArgumentException("it answered HTTP " + answer.statusCode());
    }
    return JwksDocument.keys(answer.body());
  }

  private String describe(Throwable failure) {
    if (failure instanceof BoundedExchange.DeadlinePassed || failure instanceof TimeoutException
        || failure instanceof io.netty.channel.ConnectTimeoutException) {
      return "no answer within " + timeout.toMillis() + " ms";
    }
    if (failure instanceof BoundedBody.TooLarge) {
      return "its answer is larger than " + MAX_BODY_BYTES + " bytes";
    }
    return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
  }
}
