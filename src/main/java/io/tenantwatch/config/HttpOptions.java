package io.tenantwatch.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code http} section: the public listener that serves the webhook, {@code /health} and {@code /ready}.
 *
 * @param host the interface to listen on
 * @param port the port, 0 for any free one
 * @param limits its idle timeout, request deadline and connection cap ({@code http.idleTimeoutMs},
 *     {@code http.requestTimeoutMs}, {@code http.maxConnections})
 * @param enabled whether the engine opens this listener ({@code http.enabled}); a platform that mounts
 *     {@link io.tenantwatch.TenantWatch#publicRouter()} in its own server turns it off
 */
public record HttpOptions(String host, int port, ListenerLimits limits, boolean enabled) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  /**
   * The SuperOffice webhook sends small bodies at once and keeps no connection open between
   * notifications: 30 s idle, 10 s for a request, 1000 connections.
   */
  public static final ListenerLimits DEFAULT_LIMITS = new ListenerLimits(30_000, 10_000, 1_000);

  public HttpOptions(String host, int port, ListenerLimits limits) {
    this(host, port, limits, true);
  }

  public HttpOptions(String host, int port) {
    this(host, port, DEFAULT_LIMITS);
  }

  public static HttpOptions defaults() {
    return new HttpOptions(DEFAULT_HOST, DEFAULT_PORT);
  }

  /** Reads and checks the section; see {@link TenantWatchOptions#fromJson(JsonObject)}. */
  public static HttpOptions fromJson(JsonObject json) {
    return read(ConfigSection.at(json, "http"));
  }

  static HttpOptions read(ConfigSection section) {
    String host = section.text("host", DEFAULT_HOST);
    int port = section.integer("port", DEFAULT_PORT, 0, 65535);
    ListenerLimits limits = ListenerLimits.read(section, DEFAULT_LIMITS);
    boolean enabled = section.bool("enabled", true);
    section.rejectUnknownKeys();
    return new HttpOptions(host, port, limits, enabled);
  }

  public JsonObject toJson() {
    return limits.writeTo(new JsonObject().put("enabled", enabled).put("host", host).put("port", port));
  }
}
