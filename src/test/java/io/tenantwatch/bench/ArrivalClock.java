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
import java.util.function.ToIntFunction;

/**
 * The server-side arrival time of benchmark requests, taken without touching the server's routes: Vert.x
 * calls {@link HttpServerMetrics#requestBegin} on the server's event loop as soon as a request's head is
 * decoded, before any handler or body. A request the clock numbers gets the {@link System#nanoTime()} of the
 * first arrival with its number since the last reset; every other request costs one look at its head.
 */
final class ArrivalClock implements VertxMetricsFactory {
  /** The header naming a request's number, for {@link #byHeader()}. */
  static final String HEADER = "x-bench-seq";

  private final ToIntFunction<HttpRequest> numbering;
  private volatile AtomicLongArray arrivals;

  private ArrivalClock(ToIntFunction<HttpRequest> numbering, int size) {
    this.numbering = numbering;
    this.arrivals = new AtomicLongArray(size);
  }

  /** Numbers the requests that carry {@link #HEADER} by its value. */
  static ArrivalClock byHeader() {
    return new ArrivalClock(request -> {
      String number = request.headers().get(HEADER);
      return number == null ? -1 : Integer.parseInt(number);
    }, 0);
  }

  /**
   * Numbers the state-API requests ({@code /api/state/Cust<number>}) of {@code tenants} tenants by their number
   * less {@code firstTenant}'s: when the simulator is first asked for each.
   */
  static ArrivalClock stateApi(long firstTenant, int tenants) {
    String prefix = Simulator.STATE_PATH + "Cust";
    return new ArrivalClock(request -> {
      String uri = request.uri();
      int at = uri.indexOf(prefix);
      if (at < 0) {
        return -1;
      }
      try {
        long index = Long.parseLong(uri.substring(at + prefix.length())) - firstTenant;
        return index >= 0 && index <= Integer.MAX_VALUE ? (int) index : -1;
      } catch (NumberFormatException e) {
        return -1; // not a tenant this bench made (a query string, another id): not counted
      }
    }, tenants);
  }

  /** Starts a new series of {@code size} requests, numbered from 0; earlier arrivals are forgotten. */
  void reset(int size) {
    arrivals = new AtomicLongArray(size);
  }

  /** Starts a new series as long as the last one. */
  void reset() {
    reset(arrivals.length());
  }

  /** When request {@code index} first arrived since the reset ({@link System#nanoTime()}), 0 when it has not. */
  long arrival(int index) {
    return arrivals.get(index);
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    HttpServerMetrics<Void, Void, Void> server = new HttpServerMetrics<>() {
      @Override
      public Void requestBegin(Void socket, HttpRequest request) {
        long now = System.nanoTime();
        int index = numbering.applyAsInt(request);
        AtomicLongArray series = arrivals;
        if (index >= 0 && index < series.length()) {
          series.compareAndSet(index, 0, now);
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
