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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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

  /** The request was not sent: by the time a connection was there, its caller no longer wanted it. */
  public static final class NotSent extends RuntimeException {
    NotSent() {
      super("not sent: no longer wanted once a connection was there", null, false, false);
    }
  }

  /** Reset code for HTTP/2 CANCEL; an HTTP/1.1 reset simply closes the connection. */
  private static final long CANCEL = 8;

  private final Vertx vertx;
  private final long deadlineMs;
  private final int maxBytes;
  private final BooleanSupplier stillWanted;
  private final Promise<Answer> result = Promise.promise();
  private long deadline;
  /** When the deadline passes, by {@link System#nanoTime()}. */
  private long deadlineNanos;
  private HttpClientRequest request;
  private boolean answered;

  private BoundedExchange(Vertx vertx, long deadlineMs, int maxBytes, BooleanSupplier stillWanted) {
    this.vertx = vertx;
    this.deadlineMs = deadlineMs;
    this.maxBytes = maxBytes;
    this.stillWanted = stillWanted;
  }

  /**
   * Sends {@code request} (its connect timeout is set to the deadline too, so an abandoned connection
   * attempt does not linger). Completes with the answer, or fails with {@link DeadlinePassed},
   * {@link BoundedBody.TooLarge} or the connection's own failure.
   */
  public static Future<Answer> send(Vertx vertx, HttpClient client, RequestOptions request, long deadlineMs,
      int maxBytes) {
    return send(vertx, client, request, deadlineMs, maxBytes, () -> true);
  }

  /**
   * As {@link #send(Vertx, HttpClient, RequestOptions, long, int)}, asking {@code stillWanted} again once a
   * connection is there, just before the request goes out: when it says no, the request is not sent and the
   * exchange fails with {@link NotSent}. A process frozen while it waited for the connection (a SIGSTOP, a long GC
   * pause) finds out so that what it meant to ask is no longer its to ask.
   */
  public static Future<Answer> send(Vertx vertx, HttpClient client, RequestOptions request, long deadlineMs,
      int maxBytes, BooleanSupplier stillWanted) {
    return new BoundedExchange(vertx, deadlineMs, maxBytes, stillWanted).start(client, request);
  }

  private Future<Answer> start(HttpClient client, RequestOptions options) {
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
    deadline = vertx.setTimer(Math.max(1, deadlineMs), id -> settle(null, new DeadlinePassed(deadlineMs)));
    client.request(options.setConnectTimeout(deadlineMs)).onSuccess(this::send).onFailure(this::fail);
    return result.future();
  }

  private void send(HttpClientRequest obtained) {
    request = obtained;
    // A request reset before it is sent fails through this handler only (Vert.x logs it at ERROR when none is set);
    // the exchange has settled by then, so the failure is ignored as every outcome after the first is.
    obtained.exceptionHandler(this::fail);
    // After a freeze the connection's event may come before the deadline's timer: the clock decides.
    if (!result.future().isComplete() && System.nanoTime() - deadlineNanos >= 0) {
      settle(null, new DeadlinePassed(deadlineMs));
    } else if (!result.future().isComplete() && !stillWanted.getAsBoolean()) {
      settle(null, new NotSent());
    }
    if (result.future().isComplete()) {
      // Settled while waiting for a connection: give it back unused.
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
