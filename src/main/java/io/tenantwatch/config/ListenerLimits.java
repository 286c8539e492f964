package io.tenantwatch.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * What one HTTP listener grants a connection, so that slow or hostile clients cannot hold it: the
 * {@code http} and {@code admin} sections both carry these three keys (docs/contracts.md, "Limits on every connection").
 *
 * @param idleTimeoutMs a connection with no byte either way for this long is closed
 * @param requestTimeoutMs a request's headers and body must arrive within this long of the connection
 *     opening or of the previous answer being sent; a request with its headers but not its whole body then
 *     gets 408, one without its headers is hung up on
 * @param maxConnections the open connections the listener holds at most (all its instances together);
 *     one more is closed at once
 */
public record ListenerLimits(long idleTimeoutMs, long requestTimeoutMs, int maxConnections) {

  /** Below this a timeout would cut ordinary clients on a busy network. */
  public static final long MIN_TIMEOUT_MS = 100;
  /** A day: anything longer is no limit at all. */
  public static final long MAX_TIMEOUT_MS = 86_400_000;
  public static final int MAX_CONNECTIONS = 1_000_000;

  static ListenerLimits read(ConfigSection section, ListenerLimits defaults) {
    long idle = section.integer("idleTimeoutMs", defaults.idleTimeoutMs(), MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    long request = section.integer("requestTimeoutMs", defaults.requestTimeoutMs(), MIN_TIMEOUT_MS,
        MAX_TIMEOUT_MS);
    int connections = section.integer("maxConnections", defaults.maxConnections(), 1, MAX_CONNECTIONS);
    return new ListenerLimits(idle, request, connections);
  }

  /** Adds the three keys to a section's JSON. */
  JsonObject writeTo(JsonObject section) {
    return section.put("idleTimeoutMs", idleTimeoutMs).put("requestTimeoutMs", requestTimeoutMs)
        .put("maxConnections", maxConnections);
  }

  public Duration idleTimeout() {
    return Duration.ofMillis(idleTimeoutMs);
  }

  public Duration requestTimeout() {
    return Duration.ofMillis(requestTimeoutMs);
  }
}
