package io.tenantwatch.http;

import io.vertx.ext.web.RoutingContext;

/**
 * A request's path as the engine's own router sees it: without the prefix a platform mounted the router
 * under ({@code router.route("/tenantwatch/*").subRouter(engine.adminRouter())}), so a route that reads
 * the path itself (rather than through its route's pattern) gives the same answer on the engine's own
 * listener and mounted under any prefix.
 */
final class MountedPath {
  private MountedPath() {
  }

  /** The normalised path, without the mount prefix: {@code /admin/events} for {@code /tenantwatch/admin/events}. */
  static String normalized(RoutingContext ctx) {
    return withoutMountPoint(ctx, ctx.normalizedPath());
  }

  /** The path as the client sent it, without the mount prefix; null when the raw path does not start with it. */
  static String raw(RoutingContext ctx) {
    return withoutMountPoint(ctx, ctx.request().path());
  }

  /** The mount prefix without its trailing slash: {@code ""} on the engine's own listener. */
  static String prefix(RoutingContext ctx) {
    String mount = ctx.mountPoint();
    if (mount == null) {
      return "";
    }
    return mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
  }

  private static String withoutMountPoint(RoutingContext ctx, String path) {
    String prefix = prefix(ctx);
    if (path == null || prefix.isEmpty()) {
      return path;
    }
    // "/tenantwatch" is the prefix of "/tenantwatch/admin/", not of "/tenantwatchers/admin/".
    return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')
        ? path.substring(prefix.length()) : null;
  }
}
