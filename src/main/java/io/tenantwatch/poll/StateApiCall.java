package io.tenantwatch.poll;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;

/**
 * One poll's exchange with the state API under a hard deadline: whatever the server does (refuse,
 * never answer, trickle its answer a byte at a time), the poll settles exactly once, at the latest
 * {@code requestTimeoutMs} after it began. When the deadline wins, the request is reset, so a trickling
 * answer neither keeps its connection in the pool nor reaches the tenant late.
 *
 * <p>Runs on the poller's event loop: the deadline timer and every HTTP callback share that context, so
 * the state below needs no locking.
 */
final class StateApiCall {

  private static final String USER_AGENT = "tenantwatch-poller";
  /** Reset code for HTTP/2 CANCEL; an HTTP/1.1 reset simply closes the connection. */
  private static final long CANCEL = 8;

  private final Vertx vertx;
  private final HttpClient client;
  private final PollerOptions options;
  private final StateApiTarget target;
  private final Clock clock;
  private final String ctx;
  private final Promise<PollResult> result = Promise.promise();
  private long deadline;
  private HttpClientRequest request;
  private boolean answered;

  private StateApiCall(Vertx vertx, HttpClient client, PollerOptions options, StateApiTarget target, Clock clock,
      String ctx) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.target = target;
    this.clock = clock;
    this.ctx = ctx;
  }

  /** Polls {@code ctx} once; the future always succeeds, with the answer or the classified failure. */
  static Future<PollResult> poll(Vertx vertx, HttpClient client, PollerOptions options, StateApiTarget target,
      Clock clock, String ctx) {
    return new StateApiCall(vertx, client, options, target, clock, ctx).start();
  }

  private Future<PollResult> start() {
    RequestOptions get = target.get(ctx)
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
        // Also ends a connection attempt the deadline has abandoned, so it does not linger.
        .setConnectTimeout(options.requestTimeoutMs());
    deadline = vertx.setTimer(options.requestTimeoutMs(), id -> expire());
    client.request(get).onSuccess(this::send).onFailure(this::fail);
    return result.future();
  }

  private void send(HttpClientRequest obtained) {
    request = obtained;
    if (result.future().isComplete()) {
      // The deadline passed while waiting for a connection: give it back unused.
      obtained.reset(CANCEL);
      return;
    }
    obtained.send().onSuccess(this::receive).onFailure(this::fail);
  }

  private void receive(HttpClientResponse response) {
    BoundedBody.read(response, StatePoller.MAX_BODY_BYTES)
        .onSuccess(body -> answered(response, body))
        .onFailure(this::fail);
  }

  private void answered(HttpClientResponse response, Buffer body) {
    answered = true;
    settle(StateApiAnswers.fromAnswer(ctx, response.statusCode(), response.getHeader("Retry-After"), body,
        clock.instant()));
  }

  private void expire() {
    settle(StateApiAnswers.timedOut(ctx, options.requestTimeoutMs()));
  }

  private void fail(Throwable error) {
    settle(StateApiAnswers.fromError(ctx, error, options.requestTimeoutMs()));
  }

  /** The first outcome wins; whatever the exchange does after it is ignored. */
  private void settle(PollResult outcome) {
    if (!result.tryComplete(outcome)) {
      return;
    }
    vertx.cancelTimer(deadline);
    if (request != null && !answered) {
      // Stops a slow or oversized answer at once; on a request that already failed this does nothing.
      request.reset(CANCEL);
    }
  }
}
