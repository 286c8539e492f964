package io.tenantwatch.hostile;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes no HTTP client library would send (a broken request line, a header without a colon, two
 * lengths) and reads back the status of the answer, if any. Each exchange has its own connection.
 */
final class RawHttp {
  /** No answer: the server closed the connection without one. */
  static final int CLOSED = 0;
  /** No answer and no close: the server was still silent at the deadline. */
  static final int SILENT = -2;
  /** An answer that does not begin with an HTTP status line. */
  static final int NOT_HTTP = -1;

  private final Vertx vertx;
  private final NetClient client;
  private final long deadlineMs;

  RawHttp(Vertx vertx, long deadlineMs) {
    this.vertx = vertx;
    this.client = vertx.createNetClient();
    this.deadlineMs = deadlineMs;
  }

  /** The status code of the answer to {@code request}, or {@link #CLOSED}, {@link #SILENT}, {@link #NOT_HTTP}. */
  Future<Integer> exchange(int port, Buffer request) {
    Promise<Integer> status = Promise.promise();
    client.connect(port, "127.0.0.1").onFailure(status::tryFail).onSuccess(socket -> {
      Buffer answer = Buffer.buffer();
      long deadline = vertx.setTimer(deadlineMs, id -> {
        status.tryComplete(SILENT);
        socket.close();
      });
      socket.handler(chunk -> {
        answer.appendBuffer(chunk);
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        if (lineEnd >= 0) {
          vertx.cancelTimer(deadline);
          status.tryComplete(statusOf(text.substring(0, lineEnd)));
          socket.close();
        }
      });
      socket.closeHandler(v -> {
        vertx.cancelTimer(deadline);
        status.tryComplete(CLOSED);
      });
      socket.write(request);
    });
    return status.future();
  }

  Future<Void> close() {
    return client.close();
  }

  /** {@code HTTP/1.1 400 Bad Request} -> 400; anything else is {@link #NOT_HTTP}. */
  private static int statusOf(String line) {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
      return NOT_HTTP;
    }
    return Integer.parseInt(parts[1]);
  }
}
