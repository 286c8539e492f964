package io.tenantwatch.fetch;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP exchange under a hard deadline and a byte cap: whatever the server does (refuse, never
 * answer, trickle its answer a byte at a time, send far too much), the exchange settles exactly once, at
 * the latest {@code deadlineMs} after it began (connect, headers and body together). When the deadline
 * or the cap wins, the request is reset, so the rest of the answer neither keeps its connection in the
 * pool nor reaches the caller late.
 *
 * <p>Runs on the caller's context: the deadline timer and every HTTP callback share it, so the state
 * below needs no locking when the caller is on an event loop.
 */
public final class BoundedExchange {

  /** The whole answer, read within the deadline and the cap. */
  public record Answer(int statusCode, MultiMap headers, Buffer body) {
  }

  /** The deadline passed before the whole answer was read. */
  public static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed(long deadlineMs) {
      super("no whole answer within " + deadlineMs + " ms", null, false, false);
    }
  }

  /** Reset code for HTTP/2 CANCEL; an HTTP/1.1 reset simply closes the connection. */
  private static final long CANCEL = 8;

  private final Vertx vertx;
  private final long deadlineMs;
  private final int maxBytes;
  private final Promise<Answer> result = Promise.promise();
  private long deadline;
  private HttpClientRequest request;
  private boolean answered;

  private BoundedExchange(Vertx vertx, long deadlineMs, int maxBytes) {
    this.vertx = vertx;
    this.deadlineMs = deadlineMs;
    this.maxBytes = maxBytes;
  }

  /**
   * Sends {@code request} (its connect timeout is set to the deadline too, so an abandoned connection
   * attempt does not linger). Completes with the answer, or fails with {@link DeadlinePassed},
   * {@link BoundedBody.TooLarge} or the connection's own failure.
   */
  public static Future<Answer> send(Vertx vertx, HttpClient client, RequestOptions request, long deadlineMs,
      int maxBytes) {
    return new BoundedExchange(vertx, deadlineMs, maxBytes).start(client, request);
  }

  private Future<Answer> start(HttpClient client, RequestOptions options) {
    deadline = vertx.setTimer(Math.max(1, deadlineMs), id -> settle(null, new DeadlinePassed(deadlineMs)));
    client.request(options.setConnectTimeout(deadlineMs)).onSuccess(this::send).onFailure(this::fail);
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
    BoundedBody.read(response, maxBytes)
        .onSuccess(body -> {
          answered = true;
          settle(new Answer(response.statusCode(), response.headers(), body), null);
        })
        .onFailure(this::fail);
  }

  private void fail(Throwable error) {
    settle(null, error);
  }

  /** The first outcome wins; whatever the exchange does after it is ignored. */
  private void settle(Answer answer, Throwable failure) {
    if (!(failure == null ? result.tryComplete(answer) : result.tryFail(failure))) {
      return;
    }
    vertx.cancelTimer(deadline);
    if (request != null && !answered) {
      // Stops a slow or oversized answer at once; on a request that already failed this does nothing.
      request.reset(CANCEL);
    }
  }
}
