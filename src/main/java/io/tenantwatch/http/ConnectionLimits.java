package io.tenantwatch.http;

import io.tenantwatch.config.ListenerLimits;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's {@link ListenerLimits} at work: the idle timeout (Vert.x's own), the connection cap and a
 * {@link RequestDeadline} per connection. One object serves every instance of a listener, so the cap
 * counts the connections of all its event loops together.
 */
public final class ConnectionLimits {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

  private final String listener;
  private final ListenerLimits limits;
  private final EngineMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  private ConnectionLimits(String listener, ListenerLimits limits, EngineMetrics metrics) {
    this.listener = listener;
    this.limits = limits;
    this.metrics = metrics;
    metrics.connectionsOpen(listener, open::get);
  }

  /** The limits of the listener {@code listener} (its metrics label); share it between its instances. */
  public static ConnectionLimits of(String listener, ListenerLimits limits, EngineMetrics metrics) {
    return new ConnectionLimits(listener, limits, metrics);
  }

  /**
   * The server options that carry the idle timeout. Cleartext HTTP/2 is off: neither the webhook's
   * senders nor a browser use it, and a deadline per connection only means something when a connection
   * carries one request at a time.
   */
  HttpServerOptions serverOptions() {
    return new HttpServerOptions().setIdleTimeout((int) limits.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setHttp2ClearTextEnabled(false);
  }

  /**
   * Sets the server's connection and request handlers: the cap and a deadline on every connection, then
   * {@code routes} for every request. The server's handlers run on its own event loop, so the map of
   * deadlines needs no lock; only the count is shared between instances.
   */
  void install(Vertx vertx, HttpServer server, Handler<HttpServerRequest> routes) {
    Map<HttpConnection, RequestDeadline> deadlines = new HashMap<>();
    server.connectionHandler(connection -> {
      if (open.incrementAndGet() > limits.maxConnections()) {
        open.decrementAndGet();
        metrics.connectionRefused(listener);
        LOG.debug("{} listener holds its {} connections: closed one from {}", listener, limits.maxConnections(),
            connection.remoteAddress());
        connection.close();
        return;
      }
      RequestDeadline deadline = new RequestDeadline(vertx, connection, limits.requestTimeout(),
          missing -> metrics.requestTimedOut(listener, missing));
      deadlines.put(connection, deadline);
      connection.closeHandler(v -> {
        open.decrementAndGet();
        deadlines.remove(connection).cancel();
      });
      deadline.arm();
    });
    server.requestHandler(request -> {
      RequestDeadline deadline = deadlines.get(request.connection());
      if (deadline == null) {
        // A connection refused over the cap whose first request was already read: it is closing.
        request.connection().close();
        return;
      }
      deadline.requestArrived(request);
      routes.handle(request);
    });
  }
}
