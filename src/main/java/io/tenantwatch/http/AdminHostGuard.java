package io.tenantwatch.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps web pages out of the admin listener (docs/contracts.md, "The admin listener"), with or without a token: a
 * page in the operator's browser reaches a loopback listener through DNS rebinding (its own name, so a
 * foreign {@code Host}) or through a plain cross-site form or fetch (a foreign {@code Origin}).
 *
 * <p>A {@code Host} is the listener's own when it names the configured host, {@code localhost},
 * {@code 127.0.0.1} or {@code [::1]} with the port the request came in on (no port only on port 80), or
 * an entry of {@code admin.allowedHosts}: an entry without a port matches that name alone or with the
 * listener's port, one with a port matches exactly. A state-changing request (POST, PUT, PATCH, DELETE)
 * that carries an {@code Origin} is refused unless that origin's host and port pass the same test. Both
 * refusals are 403 with the JSON error; neither echoes the header.
 */
final class AdminHostGuard implements Handler<RoutingContext> {
  private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.PATCH, HttpMethod.DELETE);
  private static final int DEFAULT_HTTP_PORT = 80;

  private final Set<String> ownNames;
  private final Set<String> allowedHosts;

  private AdminHostGuard(Set<String> ownNames, Set<String> allowedHosts) {
    this.ownNames = ownNames;
    this.allowedHosts = allowedHosts;
  }

  /** The guard of a listener configured on {@code host}, also accepting {@code allowedHosts}. */
  static AdminHostGuard forListener(String host, Collection<String> allowedHosts) {
    Set<String> own = Stream.of(bracketed(host), "localhost", "127.0.0.1", "[::1]")
        .map(AdminHostGuard::lower).collect(Collectors.toUnmodifiableSet());
    return new AdminHostGuard(own, allowedHosts.stream().map(AdminHostGuard::lower)
        .collect(Collectors.toUnmodifiableSet()));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    int port = request.localAddress().port();
    String host = request.getHeader("Host");
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    if (host == null || !accepts(host, port)) {
      ctx.fail(new HttpError(403, "foreign-host", "this admin listener answers only requests addressed to its "
          + "own names (its host, localhost, 127.0.0.1, [::1]) or to a name in admin.allowedHosts"));
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && STATE_CHANGING.contains(request.method()) && !acceptsOrigin(origin, port)) {
      ctx.fail(new HttpError(403, "foreign-origin", "a request that changes something is refused when it "
          + "comes from a web page of another origin"));
      return;
    }
    ctx.next();
  }

  /** Whether a {@code Host} value ({@code name}, {@code name:port}, {@code [v6]:port}) is one of ours. */
  boolean accepts(String hostValue, int listenerPort) {
    String value = lower(hostValue.trim());
    if (allowedHosts.contains(value)) {
      return true;
    }
    int colon = value.lastIndexOf(':');
    boolean hasPort = colon > value.lastIndexOf(']');
    String name = hasPort ? value.substring(0, colon) : value;
    String port = hasPort ? value.substring(colon + 1) : null;
    boolean listenerPortNamed = String.valueOf(listenerPort).equals(port);
    if (ownNames.contains(name)) {
      return listenerPortNamed || (port == null && listenerPort == DEFAULT_HTTP_PORT);
    }
    return allowedHosts.contains(name) && (port == null || listenerPortNamed);
  }

  private boolean acceptsOrigin(String origin, int listenerPort) {
    try {
      URI uri = new URI(origin.trim());
      String scheme = uri.getScheme();
      String authority = uri.getRawAuthority();
      boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
      return web && authority != null && uri.getRawUserInfo() == null && accepts(authority, listenerPort);
    } catch (URISyntaxException e) {
      // "null" (an opaque origin) and anything else that is not an origin is foreign.
      return false;
    }
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
