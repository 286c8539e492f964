package io.tenantwatch.http;

import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.webhook.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/** The public listener's routes: {@code GET /health} and the SuperOffice webhook. */
public final class PublicRoutes {
  private PublicRoutes() {
  }

  /** The routes of an engine that is not shutting down. */
  public static Router create(Vertx vertx, WebhookOptions webhook, TokenVerifier verifier) {
    return create(vertx, webhook, verifier, () -> false);
  }

  /**
   * @param webhook the webhook settings
   * @param verifier the token verifier the webhook shares across listener instances
   * @param draining true once the engine is shutting down: every route then answers 503
   *     {@code {"error":"shutting-down"}} with {@code Retry-After}
   */
  public static Router create(Vertx vertx, WebhookOptions webhook, TokenVerifier verifier,
      BooleanSupplier draining) {
    Router router = Router.router(vertx);
    ShuttingDown shuttingDown = new ShuttingDown(draining);
    router.get("/health").handler(shuttingDown).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "UP").encode()));
    // Ahead of the webhook's own routes, so a notification is refused before its body is read.
    router.post(webhook.path()).handler(shuttingDown);
    WebhookRoutes.mount(router, vertx, webhook, verifier);
    return ErrorResponses.install(router);
  }
}
