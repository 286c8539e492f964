package io.tenantwatch.worker;

import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tenant API the test controls, on 127.0.0.1 and a free port: every request is recorded and answered with the
 * status set by {@link #answer}, or held open until {@link #release} when the status is {@link #HOLD}.
 */
final class TenantApiServer {
  /** The status that holds requests open. */
  static final int HOLD = 0;

  /** One request as the server read it. */
  record Received(String method, String uri, MultiMap headers, String body) {
  }

  private final Vertx vertx;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
  private volatile int status = 200;
  private HttpServer server;

  private TenantApiServer(Vertx vertx) {
    this.vertx = vertx;
  }

  static Future<TenantApiServer> start(Vertx vertx) {
    TenantApiServer api = new TenantApiServer(vertx);
    return vertx.createHttpServer().requestHandler(api::handle).listen(0, "127.0.0.1").map(server -> {
      api.server = server;
      return api;
    });
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int answer = status;
      if (answer == HOLD) {
        held.add(request);
      }
      received.add(new Received(request.method().name(), request.uri(), request.headers(), body.toString()));
      if (answer != HOLD) {
        request.response().setStatusCode(answer).end("{\"status\":" + answer + "}");
      }
    });
  }

  /** The api base of a tenant here: {@code http://127.0.0.1:<port>/<prefix>/}. */
  String api(String prefix) {
    return "http://127.0.0.1:" + server.actualPort() + "/" + prefix + "/";
  }

  int port() {
    return server.actualPort();
  }

  /** Answers later requests with this status; {@link #HOLD} holds them open. */
  TenantApiServer answer(int status) {
    this.status = status;
    return this;
  }

  /** Answers every request held open so far with this status. */
  void release(int status) {
    for (HttpServerRequest request = held.poll(); request != null; request = held.poll()) {
      request.response().setStatusCode(status).end();
    }
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Completes once this many requests have arrived in all. */
  Future<List<Received>> awaitReceived(int count) {
    return Eventually.until(vertx, () -> Future.succeededFuture(received()), all -> all.size() >= count);
  }

  Future<Void> close() {
    return server.close();
  }
}
