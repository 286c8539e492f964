package io.tenantwatch.http;

import io.tenantwatch.bus.Routing;
import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.health.Readiness;
import io.tenantwatch.health.StoreCheck;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.webhook.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The public listener's routes: {@code GET /health} (alive), {@code GET /ready} (ready for traffic: the
 * {@link Readiness} checks, 200 or 503 with each check in the body) and the SuperOffice webhook.
 */
public final class PublicRoutes {
  private static final String HEALTH = "/health";
  private static final String READY = "/ready";

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
    return create(vertx, webhook, verifier, draining, EngineMetrics.unscraped(),
        Readiness.of(() -> true, StoreCheck.memory(), Duration.ofSeconds(5), Clock.systemUTC()));
  }

  /**
   * @param metrics where the webhook counts notifications by outcome and refusal reason
   * @param readiness the checks behind {@code GET /ready}
   */
  public static Router create(Vertx vertx, WebhookOptions webhook, TokenVerifier verifier,
      BooleanSupplier draining, EngineMetrics metrics, Readiness readiness) {
    return create(vertx, Routing.local(vertx), webhook, verifier, draining, metrics, readiness);
  }

  /** @param routing where each notification's tenant runs: here, or on a cluster node that the routing finds */
  public static Router create(Vertx vertx, Routing routing, WebhookOptions webhook, TokenVerifier verifier,
      BooleanSupplier draining, EngineMetrics metrics, Readiness readiness) {
    return ErrorResponses.install(routes(vertx, routing, webhook, verifier, draining, metrics, readiness));
  }

  /**
   * The same routes for a platform to mount in its own router (docs/contracts.md, "Mounted routes"): the
   * failure handler takes only their paths, so it may be mounted at {@code /*} beside the platform's own
   * routes without answering their failures. The drain's 503 needs nothing more: {@code draining} stays
   * true once the engine has stopped.
   */
  public static Router mounted(Vertx vertx, Routing routing, WebhookOptions webhook, TokenVerifier verifier,
      BooleanSupplier draining, EngineMetrics metrics, Readiness readiness) {
    return ErrorResponses.installOn(routes(vertx, routing, webhook, verifier, draining, metrics, readiness),
        List.of(HEALTH, READY, webhook.path()));
  }

  private static Router routes(Vertx vertx, Routing routing, WebhookOptions webhook, TokenVerifier verifier,
      BooleanSupplier draining, EngineMetrics metrics, Readiness readiness) {
    Router router = Router.router(vertx);
    ShuttingDown shuttingDown = new ShuttingDown(draining);
    router.get(HEALTH).handler(shuttingDown).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").end(new JsonObject().put("status", "UP").encode()));
    // While draining, /ready answers like every route here (503 shutting-down), not with its checks.
    router.get(READY).handler(shuttingDown)
        .handler(HealthCheckHandler.createWithHealthChecks(readiness.checks(vertx)));
    // Ahead of the webhook's own routes, so a notification is refused before its body is read.
    router.post(webhook.path()).handler(shuttingDown);
    WebhookRoutes.mount(router, routing, webhook, verifier, metrics);
    return router;
  }
}
