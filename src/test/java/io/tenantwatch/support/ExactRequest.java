package io.tenantwatch.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 request written byte for byte to a listener on 127.0.0.1, so its {@code Host} and
 * {@code Origin} are exactly what the test says (an HTTP client would set its own), and the whole answer.
 */
public final class ExactRequest {
  private ExactRequest() {
  }

  /**
   * @param origin the {@code Origin} header, none when null
   * @param authorization the {@code Authorization} header, none when null
   * @return the answer as the server wrote it, status line first, once it closed the connection
   */
  public static String answer(NetClient net, int port, String method, String path, String host, String origin,
      String authorization) throws Exception {
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    if (authorization != null) {
      request.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (origin != null) {
      request.append("Origin: ").append(origin).append("\r\n");
    }
    request.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
    Future<String> answer = net.connect(port, "127.0.0.1").compose(socket -> {
      Promise<String> done = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> done.tryComplete(received.toString()));
      socket.exceptionHandler(done::tryFail);
      return socket.write(request.toString()).compose(v -> done.future());
    });
    return answer.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
