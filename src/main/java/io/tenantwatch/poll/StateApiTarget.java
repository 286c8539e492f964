package io.tenantwatch.poll;

import io.tenantwatch.domain.ContextId;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * Where the state API lives, taken apart once from {@link PollerOptions#baseUrl()} instead of parsing
 * {@code baseUrl + ctx} as a URL for every poll, which cost a noticeable share of each poll.
 *
 * @param host the host, as the URL names it
 * @param port the port, the scheme's default when the URL names none
 * @param ssl whether the scheme is https
 * @param basePath the URL's path, ending in {@code /}; a tenant's path is this plus its context identifier
 */
record StateApiTarget(String host, int port, boolean ssl, String basePath) {

  static StateApiTarget of(PollerOptions options) {
    // PollerOptions already checked the URL: absolute http(s), a host, no query or fragment, a final slash.
    URI uri = URI.create(options.baseUrl());
    boolean ssl = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
    return new StateApiTarget(uri.getHost(), port, ssl, uri.getRawPath());
  }

  /** A GET of one tenant's state: what {@code setAbsoluteURI(options.urlFor(ctx))} would give. */
  RequestOptions get(String ctx) {
    return new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(basePath + ContextId.require(ctx));
  }
}
