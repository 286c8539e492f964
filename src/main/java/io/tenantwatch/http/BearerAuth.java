package io.tenantwatch.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Requires {@code Authorization: Bearer <token>}; compares in constant time and never echoes it.
 *
 * <p>On the paths given as {@code queryTokenPaths} (only the event stream) a request without the header
 * may carry the token as {@code ?token=} instead: a browser's {@code EventSource} cannot set headers. That
 * puts the token in the URL, where a proxy's access log may keep it, so no other route accepts it there.
 */
final class BearerAuth implements Handler<RoutingContext> {
  private static final String PREFIX = "Bearer ";
  private final byte[] expected;
  private final Set<String> queryTokenPaths;

  BearerAuth(String token) {
    this(token, Set.of());
  }

  BearerAuth(String token, Set<String> queryTokenPaths) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
    this.queryTokenPaths = Set.copyOf(queryTokenPaths);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String queryToken = header == null && queryTokenPaths.contains(MountedPath.normalized(ctx))
        ? ctx.queryParams().get("token") : null;
    String offered = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        ? header.substring(PREFIX.length()).trim() : queryToken;
    if (offered != null && MessageDigest.isEqual(expected, offered.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tenantwatch-admin\"");
      ctx.fail(new HttpError(401, "unauthorized",
          header == null && queryToken == null ? "an admin token is required: Authorization: Bearer <admin.token>"
              : "the admin token is not valid"));
    }
  }
}
