package io.tenantwatch.poll;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only state API on 127.0.0.1: {@code GET /api/state/:ctx} answered by the test's handler. It records
 * every request's tenant and arrival time and how many requests it held open at once.
 */
final class StateApiStub {

  /** One request as the server saw it arrive. */
  record Arrival(String tenant, long nanos) {
  }

  private final List<Arrival> arrivals = new ArrayList<>();
  private final Map<Integer, Promise<Void>> arrivalWaiters = new HashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private HttpServer server;

  private StateApiStub() {
  }

  static Future<StateApiStub> start(Vertx vertx, Handler<RoutingContext> answer) {
    StateApiStub stub = new StateApiStub();
    Router router = Router.router(vertx);
    router.get("/api/state/:ctx").handler(rc -> {
      stub.arrived(rc.pathParam("ctx"));
      AtomicBoolean done = new AtomicBoolean();
      Runnable closed = () -> {
        if (done.compareAndSet(false, true)) {
          stub.open.decrementAndGet();
        }
      };
      rc.response().closeHandler(v -> closed.run());
      rc.addEndHandler(v -> closed.run());
      answer.handle(rc);
    });
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").map(server -> {
      stub.server = server;
      return stub;
    });
  }

  /** A state-API body for a running tenant. */
  static JsonObject running(String ctx) {
    return TenantStatus.of(ctx, TenantState.RUNNING, "https://sod2.superoffice.com/" + ctx,
        "https://sod2.superoffice.com/" + ctx + "/api", Instant.parse("2026-02-23T09:52:01Z"), "Release_11").toJson();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/state/";
  }

  synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  List<String> tenants() {
    return arrivals().stream().map(Arrival::tenant).toList();
  }

  int maxOpen() {
    return maxOpen.get();
  }

  /** Completes once the server has seen {@code count} requests. */
  synchronized Future<Void> arrivalsReach(int count) {
    if (arrivals.size() >= count) {
      return Future.succeededFuture();
    }
    return arrivalWaiters.computeIfAbsent(count, n -> Promise.promise()).future();
  }

  private void arrived(String ctx) {
    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    Promise<Void> waiter;
    synchronized (this) {
      arrivals.add(new Arrival(ctx, System.nanoTime()));
      waiter = arrivalWaiters.remove(arrivals.size());
    }
    if (waiter != null) {
      waiter.complete();
    }
  }
}
