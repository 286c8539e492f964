package io.tenantwatch.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler of a listener: every error leaves as {@code {"error","message"}} JSON. */
final class ErrorResponses implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** Installs the failure handler and JSON answers for unknown paths and methods on a router. */
  static Router install(Router router) {
    // No catch-all route for unknown paths: it would match every method too and hide the router's own
    // 405 for a known path asked with the wrong method. The router calls these error handlers instead.
    router.route().failureHandler(new ErrorResponses());
    return installErrorHandlers(router);
  }

  /**
   * Installs the failure handler for {@code paths} only (route paths such as {@code /admin/*}): a router
   * a platform mounts in its own must not answer the failures of the platform's routes too, which pass
   * through the mounted router's failure handlers on their way.
   */
  static Router installOn(Router router, List<String> paths) {
    ErrorResponses handler = new ErrorResponses();
    paths.forEach(path -> router.route(path).failureHandler(handler));
    return installErrorHandlers(router);
  }

  /** The answers for unknown paths and methods (a mounted router leaves those to the platform's router). */
  private static Router installErrorHandlers(Router router) {
    router.errorHandler(404, ctx -> write(ctx, 404, "not-found", "no such resource"));
    router.errorHandler(405, ctx -> write(ctx, 405, "method-not-allowed", "method not allowed here"));
    // A path the router cannot even decode (%zz) fails before any route; without this handler vertx-web
    // answers 400 itself but logs the client's mistake at ERROR.
    router.errorHandler(400, ctx -> write(ctx, 400, "bad-request", "the request could not be read"));
    return router;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    if (failure != null && status >= 200 && status < 400) {
      // vertx-web's BodyHandler passes on an exception of the request stream (a chunk size that is no
      // number, say) with the status it had, 200: the request could not be read.
      status = 400;
    }
    if (failure instanceof HttpError error) {
      if (error.retryAfterSeconds() > 0 && !ctx.response().headWritten()) {
        ctx.response().putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
      }
      write(ctx, error.status(), error.code(), error.getMessage());
    } else if ((status >= 400 && status < 500) || (failure == null && status >= 400)) {
      // Vert.x or vertx-web judged the request itself (a Host header that is no host, a query or body it
      // cannot decode, a body too large): a 4xx is the client's fault, whatever exception came with it.
      // Neither path nor message is logged: both may carry the client's bytes.
      LOG.debug("{} refused with {} ({})", ctx.request().method(), status,
          failure == null ? "no exception" : failure.getClass().getSimpleName());
      switch (status) {
        case 400 -> write(ctx, status, "bad-request", "the request could not be read");
        case 404 -> write(ctx, status, "not-found", "no such resource");
        case 405 -> write(ctx, status, "method-not-allowed", "method not allowed here");
        case 413 -> write(ctx, status, "body-too-large", "the body is larger than this endpoint accepts");
        default -> write(ctx, status, "refused", "the request was refused");
      }
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), failure);
      write(ctx, 500, "internal", "the engine could not answer this request");
    }
  }

  static void write(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    write(ctx.response(), status, code, message);
  }

  /** The same body on a bare response, for answers given outside the router (a request deadline). */
  static Future<Void> write(HttpServerResponse response, int status, String code, String message) {
    return response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }
}
