package io.tenantwatch.http;

import io.tenantwatch.config.HttpOptions;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds one router to one host and port, within its {@link ConnectionLimits}. The engine deploys the
 * admin listener once and the public listener once per event loop (instances of one listener share its
 * port and its limits).
 */
public final class HttpListener extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

  private final String name;
  private final String host;
  private final int port;
  private final Function<Vertx, Router> routes;
  private final ConnectionLimits limits;
  private volatile int actualPort;
  private HttpServer server;

  /** A listener with the public listener's default limits, counted nowhere (tests, benchmarks). */
  public HttpListener(String name, String host, int port, Function<Vertx, Router> routes) {
    this(name, host, port, routes, ConnectionLimits.of(name, HttpOptions.DEFAULT_LIMITS, EngineMetrics.unscraped()));
  }

  /** @param limits the listener's limits, the same object for every instance of one listener */
  public HttpListener(String name, String host, int port, Function<Vertx, Router> routes, ConnectionLimits limits) {
    this.name = name;
    this.host = host;
    this.port = port;
    this.routes = routes;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(limits.serverOptions());
    limits.install(vertx, server, routes.apply(vertx));
    return server.listen(port, host).onSuccess(s -> {
      actualPort = s.actualPort();
      LOG.debug("{} listener on http://{}:{}", name, host, actualPort);
    });
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** The port bound, known once deployed (useful with port 0). */
  public int actualPort() {
    return actualPort;
  }
}
