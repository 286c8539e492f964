package io.tenantwatch.hostile;

import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A state API on 127.0.0.1 that speaks raw bytes, so it can answer anything at all: a plain running status
 * by default, or per tenant whatever bytes the test sets (a broken status line, a lying
 * {@code Content-Length}, invalid UTF-8, ten thousand nested arrays). Every answer ends the connection,
 * so one answer never leaks into the next.
 */
final class HostileStateApi {
  static final String PATH = "/api/state/";

  private final Instant validUntil;
  private final Map<String, Buffer> answers = new ConcurrentHashMap<>();
  private NetServer server;

  private HostileStateApi(Instant validUntil) {
    this.validUntil = validUntil;
  }

  /** Starts the server; plain answers say Running until {@code validUntil}. */
  static Future<HostileStateApi> start(Vertx vertx, Instant validUntil) {
    HostileStateApi api = new HostileStateApi(validUntil);
    return vertx.createNetServer().connectHandler(api::serve).listen(0, "127.0.0.1").map(server -> {
      api.server = server;
      return api;
    });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + PATH;
  }

  /** The body of a plain answer: Running, open, at a fixed endpoint, valid until the fixed instant. */
  JsonObject plainBody(String ctx) {
    String endpoint = "https://sod2.superoffice.com/" + ctx;
    return new JsonObject()
        .put("ContextIdentifier", ctx)
        .put("Endpoint", endpoint)
        .put("State", "Running")
        .put("IsRunning", true)
        .put("ValidUntil", TenantStatus.formatValidUntil(validUntil))
        .put("Api", endpoint + "/api")
        .put("Version", "Release_11.10");
  }

  /** Answers {@code ctx} with exactly these bytes from now on. */
  void answer(String ctx, Buffer raw) {
    answers.put(ctx, raw);
  }

  /** Answers {@code ctx} plainly again. */
  void answerPlainly(String ctx) {
    answers.remove(ctx);
  }

  /** A well-formed HTTP/1.1 answer with this status, extra header lines and body. */
  static Buffer http(int status, String headerLines, Buffer body) {
    String head = "HTTP/1.1 " + status + " Answer\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n"
        + headerLines + "\r\n";
    return Buffer.buffer(head.getBytes(StandardCharsets.ISO_8859_1)).appendBuffer(body);
  }

  private void serve(NetSocket socket) {
    Buffer request = Buffer.buffer();
    boolean[] answered = {false};
    socket.handler(chunk -> {
      if (answered[0]) {
        return;
      }
      request.appendBuffer(chunk);
      String head = request.toString(StandardCharsets.ISO_8859_1);
      int end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      answered[0] = true;
      String ctx = tenantOf(head.substring(0, head.indexOf("\r\n")));
      Buffer raw = answers.get(ctx);
      socket.write(raw != null ? raw : http(200, "Content-Type: application/json\r\n", plainBody(ctx).toBuffer()))
          .onComplete(written -> socket.close());
    });
  }

  /** {@code GET /api/state/Cust1 HTTP/1.1} -> {@code Cust1}. */
  private static String tenantOf(String requestLine) {
    String[] parts = requestLine.split(" ");
    String path = parts.length > 1 ? parts[1] : "";
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
