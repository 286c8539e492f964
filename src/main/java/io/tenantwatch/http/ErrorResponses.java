package io.tenantwatch.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler of a listener: every error leaves as {@code {"error","message"}} JSON. */
final class ErrorResponses implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  /** Installs the failure handler and JSON answers for unknown paths and methods on a router. */
  static Router install(Router router) {
    ErrorResponses handler = new ErrorResponses();
    // No catch-all route for unknown paths: it would match every method too and hide the router's own
    // 405 for a known path asked with the wrong method. The router calls these error handlers instead.
    router.route().failureHandler(handler);
    router.errorHandler(404, ctx -> write(ctx, 404, "not-found", "no such resource"));
    router.errorHandler(405, ctx -> write(ctx, 405, "method-not-allowed", "method not allowed here"));
    return router;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpError error) {
      write(ctx, error.status(), error.code(), error.getMessage());
    } else if (failure == null && ctx.statusCode() >= 400) {
      int status = ctx.statusCode();
      switch (status) {
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
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }
}
