package io.tenantwatch.http;

import io.tenantwatch.config.AdminOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

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
 *
 * <p>Mounted in a platform's own server ({@link #forMountedRoutes}), the rule is the same with the
 * platform server's port, the one the request came in on, and without {@code admin.host} (the engine
 * listens nowhere): {@code localhost}, {@code 127.0.0.1} or {@code [::1]} with that port (none only on
 * the scheme's default port, 80 or 443), or an entry of {@code admin.allowedHosts}. Without an admin
 * token, mounted routes answer only requests that came in on a loopback address, as the engine's own
 * listener may only listen on loopback without one (docs/contracts.md, "Mounted routes").
 */
final class AdminHostGuard implements Handler<RoutingContext> {
  private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.PATCH, HttpMethod.DELETE);
  private static final int DEFAULT_HTTP_PORT = 80;
  private static final int DEFAULT_HTTPS_PORT = 443;
  private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

  private final Set<String> ownNames;
  private final Set<String> allowedHosts;
  private final boolean loopbackOnly;

  private AdminHostGuard(Set<String> ownNames, Set<String> allowedHosts, boolean loopbackOnly) {
    this.ownNames = ownNames;
    this.allowedHosts = allowedHosts;
    this.loopbackOnly = loopbackOnly;
  }

  /** The guard of a listener configured on {@code host}, also accepting {@code allowedHosts}. */
  static AdminHostGuard forListener(String host, Collection<String> allowedHosts) {
    List<String> own = new ArrayList<>(LOOPBACK_NAMES);
    own.add(bracketed(host));
    return new AdminHostGuard(lowered(own), lowered(allowedHosts), false);
  }

  /**
   * The guard of admin routes a platform mounts in its own server: the loopback names and
   * {@code allowedHosts}, with the port each request came in on.
   *
   * @param tokenRequired whether the routes ask for the admin token; without one, only requests that
   *     came in on a loopback address are answered
   */
  static AdminHostGuard forMountedRoutes(Collection<String> allowedHosts, boolean tokenRequired) {
    return new AdminHostGuard(lowered(LOOPBACK_NAMES), lowered(allowedHosts), !tokenRequired);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (loopbackOnly && !onLoopback(request.localAddress())) {
      ctx.fail(new HttpError(403, "loopback-only", "without admin.token the admin routes answer only requests "
          + "that come in on a loopback address"));
      return;
    }
    int port = request.localAddress().port();
    int defaultPort = request.isSSL() ? DEFAULT_HTTPS_PORT : DEFAULT_HTTP_PORT;
    String host = request.getHeader("Host");
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    if (host == null || !accepts(host, port, defaultPort)) {
      ctx.fail(new HttpError(403, "foreign-host", "this admin listener answers only requests addressed to its "
          + "own names (its host, localhost, 127.0.0.1, [::1]) or to a name in admin.allowedHosts"));
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && STATE_CHANGING.contains(request.method()) && !acceptsOrigin(origin, port, defaultPort)) {
      ctx.fail(new HttpError(403, "foreign-origin", "a request that changes something is refused when it "
          + "comes from a web page of another origin"));
      return;
    }
    ctx.next();
  }

  /** Whether a connection came in on a loopback address ({@code 127.x.x.x}, {@code ::1}), by its local address. */
  static boolean onLoopback(SocketAddress local) {
    return local != null && local.hostAddress() != null && AdminOptions.isLoopback(local.hostAddress());
  }

  /** Whether a {@code Host} value ({@code name}, {@code name:port}, {@code [v6]:port}) is one of ours. */
  boolean accepts(String hostValue, int listenerPort) {
    return accepts(hostValue, listenerPort, DEFAULT_HTTP_PORT);
  }

  /** As {@link #accepts(String, int)}, where a name without a port means {@code defaultPort}. */
  private boolean accepts(String hostValue, int listenerPort, int defaultPort) {
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
      return listenerPortNamed || (port == null && listenerPort == defaultPort);
    }
    return allowedHosts.contains(name) && (port == null || listenerPortNamed);
  }

  private boolean acceptsOrigin(String origin, int listenerPort, int defaultPort) {
    try {
      URI uri = new URI(origin.trim());
      String scheme = uri.getScheme();
      String authority = uri.getRawAuthority();
      boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
      return web && authority != null && uri.getRawUserInfo() == null
          && accepts(authority, listenerPort, defaultPort);
    } catch (URISyntaxException e) {
      // "null" (an opaque origin) and anything else that is not an origin is foreign.
      return false;
    }
  }

  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static Set<String> lowered(Collection<String> names) {
    return names.stream().map(AdminHostGuard::lower).collect(Collectors.toUnmodifiableSet());
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
