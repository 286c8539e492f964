package io.tenantwatch.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** The one check for "an absolute http or https URL with a host", shared by the config, the poller and the JWKS. */
public final class HttpUrl {
  private HttpUrl() {
  }

  /** The URL, when the text is an absolute {@code http} or {@code https} URL (any case) with a host. */
  public static Optional<URI> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean web = scheme.equals("http") || scheme.equals("https");
      return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  public static boolean isValid(String text) {
    return parse(text).isPresent();
  }
}
