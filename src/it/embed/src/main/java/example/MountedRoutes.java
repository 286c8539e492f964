package example;

import io.tenantwatch.TenantWatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The engine's routes in the platform's own server (its config sets http.enabled and admin.enabled false). */
public final class MountedRoutes {
  private MountedRoutes() {
  }

  public static Future<HttpServer> serve(Vertx vertx, TenantWatch engine, int port) {
    Router router = Router.router(vertx);
    router.route("/tenantwatch/*").subRouter(engine.publicRouter());  // /health, /ready, the webhook
    router.route("/tenantwatch/*").subRouter(engine.adminRouter());   // /admin/..., /metrics, the dashboard
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
  }
}
