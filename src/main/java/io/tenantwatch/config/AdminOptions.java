package io.tenantwatch.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code admin} section: the operator listener. Anyone who reaches it can pause polling and unwatch
 * tenants, so it stays on loopback unless a token guards it.
 *
 * @param host the interface to listen on
 * @param port the port, 0 for any free one
 * @param token the bearer token every request must carry, null for none (loopback only); the environment
 *     variable {@value #TOKEN_VARIABLE}, when set and not blank, wins over {@code admin.token}
 * @param allowedHosts further names (with or without a port) a request's {@code Host} may carry, beside
 *     the listener's own: the names a proxy or an operator reaches it by
 * @param limits its idle timeout, request deadline and connection cap ({@code admin.idleTimeoutMs},
 *     {@code admin.requestTimeoutMs}, {@code admin.maxConnections})
 * @param enabled whether the engine opens this listener ({@code admin.enabled}); a platform that mounts
 *     {@link io.tenantwatch.TenantWatch#adminRouter()} in its own server turns it off
 */
public record AdminOptions(String host, int port, String token, List<String> allowedHosts, ListenerLimits limits,
    boolean enabled) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_TOKEN = null;
  /** Shorter tokens are guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;
  /** The environment variable that may carry the token instead of the file; it wins when both are set. */
  public static final String TOKEN_VARIABLE = "TENANTWATCH_ADMIN_TOKEN";
  /**
   * An operator's dashboard keeps one event stream open and a few requests in flight: 60 s idle (the
   * stream's keep-alives come well within it), 10 s for a request, 100 connections.
   */
  public static final ListenerLimits DEFAULT_LIMITS = new ListenerLimits(60_000, 10_000, 100);

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private static final Pattern HOST_NAME = Pattern.compile(
      "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))(:\\d{1,5})?");

  public AdminOptions {
    allowedHosts = List.copyOf(allowedHosts);
  }

  public AdminOptions(String host, int port, String token, List<String> allowedHosts, ListenerLimits limits) {
    this(host, port, token, allowedHosts, limits, true);
  }

  public AdminOptions(String host, int port, String token, List<String> allowedHosts) {
    this(host, port, token, allowedHosts, DEFAULT_LIMITS);
  }

  public AdminOptions(String host, int port, String token) {
    this(host, port, token, List.of());
  }

  public static AdminOptions defaults() {
    return new AdminOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TOKEN);
  }

  /** Reads and checks the section; see {@link TenantWatchOptions#fromJson(JsonObject)}. */
  public static AdminOptions fromJson(JsonObject json) {
    return read(ConfigSection.at(json, "admin"), System::getenv);
  }

  static AdminOptions read(ConfigSection section, Function<String, String> variables) {
    String host = section.text("host", DEFAULT_HOST);
    int port = section.integer("port", DEFAULT_PORT, 0, 65535);
    String fileToken = readToken(section);
    List<String> allowedHosts = section.textList("allowedHosts", h -> HOST_NAME.matcher(h).matches(),
        "a host name or address, optionally with :port (no scheme, no path)");
    ListenerLimits limits = ListenerLimits.read(section, DEFAULT_LIMITS);
    boolean enabled = section.bool("enabled", true);
    section.rejectUnknownKeys();
    String token = environmentToken(variables).orElse(fileToken);
    if (token == null && !isLoopback(host)) {
      throw new ConfigException(section.keyPath("token"), section.keyPath("token") + " is required when "
          + section.keyPath("host") + " is not loopback (got " + ConfigSection.show(host) + ")");
    }
    return new AdminOptions(host, port, token, allowedHosts == null ? List.of() : allowedHosts, limits, enabled);
  }

  /** Whether a request must carry {@code Authorization: Bearer <token>}. */
  public boolean requiresToken() {
    return token != null;
  }

  public JsonObject toJson() {
    return limits.writeTo(new JsonObject().put("enabled", enabled).put("host", host).put("port", port).put("token", token)
        .put("allowedHosts", new JsonArray(allowedHosts)));
  }

  /** Never shows the token: this record ends up in logs. */
  @Override
  public String toString() {
    return "AdminOptions[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "set")
        + ", allowedHosts=" + allowedHosts + ", limits=" + limits + "]";
  }

  /**
   * Whether the host is a loopback address: {@code localhost}, {@code 127.x.x.x} or {@code ::1}. Only
   * literals are resolved, so no name lookup happens while reading the configuration.
   */
  public static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (IPV4.matcher(bare).matches()) {
      return bare.startsWith("127.") && Arrays.stream(bare.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
    }
    if (!bare.contains(":")) {
      return false;
    }
    try {
      // A name with a colon is only ever read as an IPv6 literal, never looked up.
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The token from {@value #TOKEN_VARIABLE}, checked as the file's is; blank reads as unset. */
  private static Optional<String> environmentToken(Function<String, String> variables) {
    String token = variables.apply(TOKEN_VARIABLE);
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new ConfigException(TOKEN_VARIABLE, TOKEN_VARIABLE + ": must be at least " + MIN_TOKEN_LENGTH
          + " characters, got " + token.length() + " (the value is not shown: it is a secret)");
    }
    return Optional.of(token);
  }

  /** The token's value never appears in a message, only its length. */
  private static String readToken(ConfigSection section) {
    String token = section.secret("token");
    if (token != null && token.length() < MIN_TOKEN_LENGTH) {
      throw section.failure("token", "must be at least " + MIN_TOKEN_LENGTH + " characters, got "
          + token.length() + " (the value is not shown: it is a secret)");
    }
    return token;
  }
}
