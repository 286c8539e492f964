package io.tenantwatch.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds one router to one host and port. The engine deploys the admin listener once and the public
 * listener once per event loop (instances of one listener share its port).
 */
public final class HttpListener extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

  private final String name;
  private final String host;
  private final int port;
  private final Function<Vertx, Router> routes;
  private volatile int actualPort;
  private HttpServer server;

  public HttpListener(String name, String host, int port, Function<Vertx, Router> routes) {
    this.name = name;
    this.host = host;
    this.port = port;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer();
    return server.requestHandler(routes.apply(vertx)).listen(port, host).onSuccess(s -> {
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
