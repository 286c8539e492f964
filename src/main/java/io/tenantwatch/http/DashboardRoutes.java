package io.tenantwatch.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operator dashboard at {@code GET /admin/}: one HTML page with its script and style, served from
 * the classpath ({@code dashboard/}), no build step. The page holds nothing secret, so it is served
 * without the admin token; the page asks the operator for the token and sends it with every API call.
 */
public final class DashboardRoutes {
  /** Where the page lives on the admin listener. */
  public static final String PATH = "/admin/";
  private static final String ASSETS = "/admin/assets/*";
  private static final String CLASSPATH_ROOT = "dashboard";
  /**
   * Only the engine itself: the page loads nothing from elsewhere, runs no inline script and may not be
   * framed. No referrer leaves the page, since the event stream's URL carries the token.
   */
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private DashboardRoutes() {
  }

  /** Adds the page and its assets to an admin router; call it before the router's bearer check. */
  public static void install(Router router) {
    // The page needs the slash, for its relative links (assets/, tenants, events) to resolve under
    // /admin/. vertx-web lets this route also match /admin/, which goes on to the page.
    router.get("/admin").handler(ctx -> {
      if (ctx.request().path().equals("/admin")) {
        ctx.redirect(PATH);
      } else {
        ctx.next();
      }
    });
    router.get(PATH).handler(DashboardRoutes::headers).handler(ctx -> ctx.response()
        .putHeader("Cache-Control", "no-cache")
        .sendFile(CLASSPATH_ROOT + "/index.html")
        .onFailure(ctx::fail));
    router.get(ASSETS).handler(DashboardRoutes::headers)
        .handler(StaticHandler.create(CLASSPATH_ROOT + "/assets").setCachingEnabled(false));
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
