package io.tenantwatch.poll;

import io.tenantwatch.config.StateApiOptions;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.fetch.HttpUrl;
import java.net.URI;

/**
 * How the {@link StatePoller} reaches the state API and how hard it may press it (R9).
 *
 * @param baseUrl the state API's root, for example {@code https://sod.superoffice.com/api/state/}; a
 *     missing trailing slash is added, so the request URL is always {@code baseUrl + ctx}
 * @param requestTimeoutMs how long a whole poll may take, from asking for a connection to the answer's last
 *     byte: a hard deadline, so a state API that trickles its answer still times out
 * @param maxConcurrentPolls the most polls in flight at once
 * @param maxPollsPerSecond the most polls started in any one second
 */
public record PollerOptions(String baseUrl, long requestTimeoutMs, int maxConcurrentPolls, int maxPollsPerSecond) {

  /**
   * @throws IllegalArgumentException naming the value at fault
   */
  public PollerOptions {
    baseUrl = normalise(baseUrl);
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("requestTimeoutMs must be positive, was " + requestTimeoutMs);
    }
    if (maxConcurrentPolls <= 0) {
      throw new IllegalArgumentException("maxConcurrentPolls must be positive, was " + maxConcurrentPolls);
    }
    if (maxPollsPerSecond <= 0) {
      throw new IllegalArgumentException("maxPollsPerSecond must be positive, was " + maxPollsPerSecond);
    }
  }

  /** The given state API with every limit at its default (the {@code stateApi} section's). */
  public static PollerOptions of(String baseUrl) {
    return from(StateApiOptions.defaults(), baseUrl);
  }

  /** The {@code stateApi} section's limits, for the state API at {@code baseUrl}. */
  public static PollerOptions from(StateApiOptions stateApi, String baseUrl) {
    return new PollerOptions(baseUrl, stateApi.requestTimeoutMs(), stateApi.maxConcurrentPolls(),
        stateApi.maxPollsPerSecond());
  }

  /** The URL to poll for one tenant; refuses anything that is not a context identifier (R10). */
  public String urlFor(String ctx) {
    return baseUrl + ContextId.require(ctx);
  }

  private static String normalise(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("baseUrl is required, for example https://sod.superoffice.com/api/state/");
    }
    String trimmed = baseUrl.trim();
    URI uri = HttpUrl.parse(trimmed).orElseThrow(
        () -> new IllegalArgumentException("baseUrl must be an absolute http or https URL: " + trimmed));
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("baseUrl must not have a query or fragment: " + trimmed);
    }
    return trimmed.endsWith("/") ? trimmed : trimmed + "/";
  }
}
