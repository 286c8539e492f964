package io.tenantwatch.http;

import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.webhook.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** The public listener's routes: {@code GET /health} and the SuperOffice webhook. */
public final class PublicRoutes {
  private PublicRoutes() {
  }

  /**
   * @param webhook the webhook settings
   * @param verifier the token verifier the webhook shares across listener instances
   */
  public static Router create(Vertx vertx, WebhookOptions webhook, TokenVerifier verifier) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").encode()));
    WebhookRoutes.mount(router, vertx, webhook, verifier);
    return ErrorResponses.install(router);
  }
}
