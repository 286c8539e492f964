package io.tenantwatch.poll;

import io.tenantwatch.fetch.BoundedExchange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/**
 * One poll's exchange with the state API under a hard deadline: whatever the server does (refuse,
 * never answer, trickle its answer a byte at a time), the poll settles exactly once, at the latest
 * {@code requestTimeoutMs} after it began. The deadline and the byte cap are {@link BoundedExchange}'s,
 * which resets the request when either wins, so a trickling answer neither keeps its connection in the
 * pool nor reaches the tenant late.
 */
final class StateApiCall {

  private static final String USER_AGENT = "tenantwatch-poller";

  private StateApiCall() {
  }

  /**
   * Polls {@code ctx} once; the future always succeeds, with the answer or the classified failure.
   *
   * @param stillWanted asked once a connection is there, just before the request goes out: false, and the poll is
   *     not made ({@link BoundedExchange.NotSent})
   */
  static Future<PollResult> poll(Vertx vertx, HttpClient client, PollerOptions options, StateApiTarget target,
      Clock clock, String ctx, BooleanSupplier stillWanted) {
    RequestOptions get = target.get(ctx)
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    return BoundedExchange.send(vertx, client, get, options.requestTimeoutMs(), StatePoller.MAX_BODY_BYTES,
            stillWanted)
        .map(answer -> StateApiAnswers.fromAnswer(ctx, answer.statusCode(), answer.headers().get("Retry-After"),
            answer.body(), clock.instant()))
        .otherwise(error -> StateApiAnswers.fromError(ctx, error, options.requestTimeoutMs()));
  }
}
