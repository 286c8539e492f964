package io.tenantwatch.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Requires {@code Authorization: Bearer <token>}; compares in constant time and never echoes it. */
final class BearerAuth implements Handler<RoutingContext> {
  private static final String PREFIX = "Bearer ";
  private final byte[] expected;

  BearerAuth(String token) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    boolean ok = header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
        && MessageDigest.isEqual(expected, header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8));
    if (ok) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tenantwatch-admin\"");
      ctx.fail(new HttpError(401, "unauthorized",
          header == null ? "an admin token is required: Authorization: Bearer <admin.token>"
              : "the admin token is not valid"));
    }
  }
}
