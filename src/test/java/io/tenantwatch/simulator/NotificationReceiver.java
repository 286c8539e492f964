package io.tenantwatch.simulator;

import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny webhook on 127.0.0.1 that keeps every notification posted to it and answers once it has
 * looked at what the state API serves at that moment, so a test can tell whether a notification arrived
 * before or after the change it announces.
 */
final class NotificationReceiver {
  static final String PATH = "/superoffice/state-change";

  /** One request as it arrived, with the tenant's status as the state API served it then (null if not probed). */
  record Arrival(String method, String path, String contentType, JsonObject body, TenantStatus served) {
    int changeType() {
      return body.getInteger("ChangeType");
    }
  }

  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile int answer = 200;
  private volatile Function<String, Future<TenantStatus>> probe = ctx -> Future.succeededFuture(null);

  private NotificationReceiver(HttpServer server) {
    this.server = server;
  }

  static Future<NotificationReceiver> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    NotificationReceiver receiver = new NotificationReceiver(server);
    server.requestHandler(request -> request.body()
        .compose(body -> {
          JsonObject json = body.toJsonObject();
          return receiver.probe.apply(json.getString("ContextIdentifier"))
              .map(served -> new Arrival(request.method().name(), request.path(),
                  request.getHeader("Content-Type"), json, served));
        })
        .onSuccess(arrival -> {
          receiver.arrivals.add(arrival);
          request.response().setStatusCode(receiver.answer).end("{\"accepted\":true}");
        })
        .onFailure(failure -> request.response().setStatusCode(500).end()));
    return server.listen(0, Simulator.HOST).map(listening -> receiver);
  }

  /** The URL to hand to {@link Simulator#sendNotificationsTo}. */
  String url() {
    return "http://" + Simulator.HOST + ":" + server.actualPort() + PATH;
  }

  /** Answers this status from now on. */
  void answerWith(int status) {
    answer = status;
  }

  /** Asks this for the tenant's served status before answering each notification. */
  void probeOnArrival(Function<String, Future<TenantStatus>> newProbe) {
    probe = newProbe;
  }

  List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  List<Arrival> arrivalsFor(String ctx) {
    return arrivals.stream().filter(arrival -> ctx.equals(arrival.body().getString("ContextIdentifier"))).toList();
  }
}
