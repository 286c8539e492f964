package io.tenantwatch.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.Predicate;

/**
 * The operator dashboard at {@code GET /admin/}: one HTML page with its script and style, served from
 * the classpath ({@code dashboard/}), no build step. The page holds nothing secret, so it is served
 * without the admin token; the page asks the operator for the token and sends it with every API call.
 *
 * <p>Every link of the page is relative ({@code assets/...}, {@code tenants}, {@code events}), so it works
 * as well with the admin router mounted under a prefix in a platform's own server: at
 * {@code /tenantwatch/admin/} for {@code router.route("/tenantwatch/*").subRouter(engine.adminRouter())}.
 */
public final class DashboardRoutes {
  /** Where the page lives on the admin listener. */
  public static final String PATH = "/admin/";
  private static final String ASSETS = "/admin/assets/";
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
    // The page needs the trailing slash for its relative links (assets/, tenants, events).
    router.get("/admin").handler(asSent("/admin"::equals, ctx -> ctx.redirect(MountedPath.prefix(ctx) + PATH)));
    router.get(PATH).handler(asSent(PATH::equals, ctx -> headers(ctx)
        .putHeader("Cache-Control", "no-cache")
        .sendFile(CLASSPATH_ROOT + "/index.html")
        .onFailure(ctx::fail)));
    StaticHandler assets = StaticHandler.create(CLASSPATH_ROOT + "/assets").setCachingEnabled(false);
    router.get(ASSETS + "*").handler(asSent(DashboardRoutes::plainAsset, ctx -> {
      headers(ctx);
      assets.handle(ctx);
    }));
  }

  /**
   * Routes match the normalised path, so {@code /admin/tenants/..} would be the page: a request gets the
   * page or an asset only for the path as the browser sends it; any other goes on to the API's routes
   * and their answer (400, 401, 404).
   */
  private static Handler<RoutingContext> asSent(Predicate<String> rawPath,
      Handler<RoutingContext> handler) {
    return ctx -> {
      String raw = MountedPath.raw(ctx);
      if (raw != null && rawPath.test(raw)) {
        handler.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  private static boolean plainAsset(String raw) {
    return raw.startsWith(ASSETS) && raw.indexOf('%') < 0 && !raw.contains("..") && !raw.contains("//");
  }

  private static HttpServerResponse headers(RoutingContext ctx) {
    return ctx.response()
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
  }
}
