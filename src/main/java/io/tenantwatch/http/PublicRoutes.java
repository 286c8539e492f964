package io.tenantwatch.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** The public listener's routes: {@code GET /health} (and the webhook, when it is configured). */
public final class PublicRoutes {
  private PublicRoutes() {
  }

  public static Router create(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").encode()));
    return ErrorResponses.install(router);
  }
}
