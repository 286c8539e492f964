package io.tenantwatch.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One connection's deadline for a request's headers and body: it runs from the connection opening and
 * again from each answer being sent, and stops mattering once a request has all arrived, so a long
 * answer (the event stream) is never cut by it, only by the idle timeout. When it passes, a request with
 * its headers but not its whole body is answered 408 and the connection closed; a connection that has
 * not sent a request's headers is closed.
 *
 * <p>Confined to the connection's event loop. A request's end is read when the deadline passes
 * ({@link HttpServerRequest#isEnded()}) rather than from its end handler, which the routes' body
 * handler takes for itself.
 */
final class RequestDeadline {
  static final String TIMED_OUT = "request-timeout";

  private final Vertx vertx;
  private final HttpConnection connection;
  private final Duration timeout;
  private final Consumer<String> timedOut;
  private HttpServerRequest current;
  private long timer = -1;

  /** @param timedOut told {@code headers} or {@code body}: what had not arrived when the connection was cut */
  RequestDeadline(Vertx vertx, HttpConnection connection, Duration timeout, Consumer<String> timedOut) {
    this.vertx = vertx;
    this.connection = connection;
    this.timeout = timeout;
    this.timedOut = timedOut;
  }

  /** Starts the deadline anew, replacing a running one. */
  void arm() {
    cancel();
    timer = vertx.setTimer(timeout.toMillis(), id -> {
      timer = -1;
      expire();
    });
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** A request's headers have arrived; once its answer is sent, the next request has the whole deadline. */
  void requestArrived(HttpServerRequest request) {
    current = request;
    request.response().endHandler(v -> {
      if (current == request) {
        current = null;
      }
      arm();
    });
  }

  private void expire() {
    HttpServerRequest request = current;
    if (request == null) {
      timedOut.accept("headers");
      connection.close();
    } else if (!request.isEnded()) {
      timedOut.accept("body");
      answerTimedOut(request.response());
    } else if (request.response().ended()) {
      // Answered, but its end handler was replaced (vertx-web's addEndHandler takes it): the next request
      // gets a whole deadline from now, which is late but never cuts a connection that did nothing wrong.
      current = null;
      arm();
    }
    // Otherwise the request has arrived and is being answered: the deadline starts again when it is.
  }

  private void answerTimedOut(HttpServerResponse response) {
    if (response.headWritten()) {
      connection.close();
      return;
    }
    response.putHeader("Connection", "close");
    ErrorResponses.write(response, 408, TIMED_OUT,
            "the request did not arrive within the listener's requestTimeoutMs")
        .onComplete(written -> connection.close());
  }
}
