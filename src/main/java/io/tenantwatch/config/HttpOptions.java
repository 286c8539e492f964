package io.tenantwatch.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code http} section: the public listener that serves the webhook, {@code /health} and {@code /ready}.
 *
 * @param host the interface to listen on
 * @param port the port, 0 for any free one
 */
public record HttpOptions(String host, int port) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;

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
    section.rejectUnknownKeys();
    return new HttpOptions(host, port);
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }
}
