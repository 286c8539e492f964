package io.tenantwatch.bench;

import io.tenantwatch.simulator.Simulator;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When SuperOffice (the simulator, on a Vert.x built with this factory) is first asked for each tenant's
 * state: Vert.x calls {@link HttpServerMetrics#requestBegin} on the server's event loop as soon as a
 * request's head is decoded, before any handler. Tenants are told apart by their number
 * ({@code /api/state/Cust<number>}) minus the first one's; later requests for a tenant are ignored.
 */
final class StateApiArrivals implements VertxMetricsFactory {
  private final long firstTenant;
  private volatile AtomicLongArray first;

  StateApiArrivals(long firstTenant, int tenants) {
    this.firstTenant = firstTenant;
    this.first = new AtomicLongArray(tenants);
  }

  /** Forgets every arrival so far: only the requests from now on count. */
  void reset() {
    first = new AtomicLongArray(first.length());
  }

  /** The {@link System#nanoTime()} the tenant at this index was first asked for since the reset, 0 if not. */
  long firstAt(int index) {
    return first.get(index);
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    HttpServerMetrics<Void, Void, Void> server = new HttpServerMetrics<>() {
      @Override
      public Void requestBegin(Void socket, HttpRequest request) {
        long now = System.nanoTime();
        String uri = request.uri();
        int at = uri.indexOf(Simulator.STATE_PATH + "Cust");
        if (at >= 0) {
          try {
            long index = Long.parseLong(uri.substring(at + Simulator.STATE_PATH.length() + 4)) - firstTenant;
            AtomicLongArray arrivals = first;
            if (index >= 0 && index < arrivals.length()) {
              arrivals.compareAndSet((int) index, 0, now);
            }
          } catch (NumberFormatException e) {
            // Not a tenant this bench made (a query string, another id): not counted.
          }
        }
        return null;
      }
    };
    return new VertxMetrics() {
      @Override
      public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions serverOptions,
          SocketAddress localAddress) {
        return server;
      }
    };
  }
}
