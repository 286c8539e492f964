package io.tenantwatch.bench;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The server-side arrival time of benchmark requests, taken without touching the engine's routes: Vert.x
 * calls {@link HttpServerMetrics#requestBegin} on the server's event loop as soon as a request's head is
 * decoded, before any handler or body. A request that carries {@link #HEADER} (its index) gets its
 * {@link System#nanoTime()} recorded; every other request costs one header lookup.
 */
final class ArrivalClock implements VertxMetricsFactory {
  /** The header naming a request's index in {@link #arrivals()}. */
  static final String HEADER = "x-bench-seq";

  private volatile AtomicLongArray arrivals = new AtomicLongArray(0);

  /** Starts a new series of {@code size} requests, numbered from 0; earlier arrivals are forgotten. */
  void reset(int size) {
    arrivals = new AtomicLongArray(size);
  }

  /** When request {@code index} arrived ({@link System#nanoTime()}), 0 when it has not. */
  long arrival(int index) {
    return arrivals.get(index);
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    HttpServerMetrics<Void, Void, Void> server = new HttpServerMetrics<>() {
      @Override
      public Void requestBegin(Void socket, HttpRequest request) {
        long now = System.nanoTime();
        String index = request.headers().get(HEADER);
        if (index != null) {
          AtomicLongArray series = arrivals;
          int i = Integer.parseInt(index);
          if (i < series.length()) {
            series.set(i, now);
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
