package io.tenantwatch.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * Goes ahead of a route while the engine runs; while it drains on its way down, answers 503
 * {@code {"error":"shutting-down"}} with {@code Retry-After} instead, so SuperOffice sends the
 * notification again later (to this engine's successor) rather than have it half handled.
 */
final class ShuttingDown implements Handler<RoutingContext> {
  /** Seconds a client is asked to wait: about as long as a restart takes. */
  static final String RETRY_AFTER_SECONDS = "5";

  private final BooleanSupplier draining;

  ShuttingDown(BooleanSupplier draining) {
    this.draining = draining;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!draining.getAsBoolean()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    ctx.fail(unavailable());
  }

  static HttpError unavailable() {
    return new HttpError(503, "shutting-down", "the engine is shutting down; try again shortly");
  }
}
