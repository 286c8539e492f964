package io.tenantwatch.node;

import io.tenantwatch.simulator.Simulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One node's way to the simulator's state API, in the test's JVM: a real HTTP server on 127.0.0.1 that
 * notes each poll (which tenant, when, by this JVM's monotonic clock) and passes it on to the simulator,
 * answering with the simulator's status and body. A node in a JVM of its own shows nothing else of what
 * it runs, so the polls are how a test sees which node runs which tenant, and when.
 */
final class StateApiProxy {
  /** One poll as it reached the proxy: the tenant and {@link System#nanoTime()} on arrival. */
  record Poll(String tenant, long atNanos) {
  }

  private final HttpServer server;
  private final HttpClient client;
  private final ConcurrentLinkedQueue<Poll> polls;

  private StateApiProxy(HttpServer server, HttpClient client, ConcurrentLinkedQueue<Poll> polls) {
    this.server = server;
    this.client = client;
    this.polls = polls;
  }

  /** Listens on a free loopback port and passes every state-API request on to {@code simulatorPort}. */
  static Future<StateApiProxy> start(Vertx vertx, int simulatorPort) {
    HttpClient client = vertx.createHttpClient();
    ConcurrentLinkedQueue<Poll> polls = new ConcurrentLinkedQueue<>();
    return vertx.createHttpServer()
        .requestHandler(request -> forward(client, simulatorPort, polls, request))
        .listen(0, Simulator.HOST)
        .map(server -> new StateApiProxy(server, client, polls));
  }

  private static void forward(HttpClient client, int simulatorPort, ConcurrentLinkedQueue<Poll> polls,
      HttpServerRequest request) {
    String path = request.path();
    if (!path.startsWith(Simulator.STATE_PATH)) {
      request.response().setStatusCode(404).end();
      return;
    }
    polls.add(new Poll(path.substring(Simulator.STATE_PATH.length()), System.nanoTime()));
    client.request(HttpMethod.GET, simulatorPort, Simulator.HOST, request.uri())
        .compose(out -> out.send())
        .compose(answer -> answer.body().map(body -> {
          copyHeader(answer, request, HttpHeaders.CONTENT_TYPE);
          copyHeader(answer, request, "Retry-After");
          return request.response().setStatusCode(answer.statusCode()).end(body);
        }))
        .onFailure(e -> request.response().setStatusCode(502).end());
  }

  private static void copyHeader(HttpClientResponse from, HttpServerRequest to, CharSequence name) {
    String value = from.getHeader(name);
    if (value != null) {
      to.response().putHeader(name, value);
    }
  }

  /** The {@code stateApi.baseUrl} of the node that polls through this proxy. */
  String baseUrl() {
    return "http://" + Simulator.HOST + ":" + server.actualPort() + Simulator.STATE_PATH;
  }

  /** The polls that arrived at or after {@code nanos}, in order of arrival. */
  List<Poll> since(long nanos) {
    List<Poll> found = new ArrayList<>();
    for (Poll poll : polls) {
      if (poll.atNanos() - nanos >= 0) {
        found.add(poll);
      }
    }
    return found;
  }

  /** Polls per tenant at or after {@code nanos}. */
  Map<String, Integer> countsSince(long nanos) {
    Map<String, Integer> counts = new TreeMap<>();
    since(nanos).forEach(poll -> counts.merge(poll.tenant(), 1, Integer::sum));
    return counts;
  }

  Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
