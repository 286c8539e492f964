package io.tenantwatch.config;

import io.tenantwatch.machine.PollSettings;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code stateApi} section: where the state API is and how hard and how often to poll it (R6, R7, R9).
 *
 * @param baseUrl the state API's base URL when the file sets it, ending in a slash; null when it does
 *     not, so {@link TenantWatchOptions#stateApiBaseUrl(String)} can fall back to the simulator or the
 *     environment
 * @param requestTimeoutMs how long one poll may take before it counts as failed
 * @param maxConcurrentPolls polls in flight at once, over all tenants
 * @param maxPollsPerSecond polls started per second, over all tenants
 * @param minPollIntervalMs the soonest a timer poll may follow the last one
 * @param maxPollIntervalMs the latest the next poll may be, whatever {@code ValidUntil} says
 * @param transitionalPollIntervalMs the cap while the state is transitional or a notification hold is on
 * @param jitterRatio the share of the time to {@code ValidUntil} added at random, in [0, 1]
 * @param retryMinMs the first retry delay after a failed poll
 * @param retryMaxMs the longest retry delay
 * @param notificationHoldMs how long a pause by notification holds against polls that say running
 *
 * <p>Every duration has an upper bound ({@link #MAX_INTERVAL_MS}, a week, for the poll intervals;
 * {@link #MAX_DELAY_MS}, a day, for the request timeout, the retry delays and the notification hold), so
 * the schedule's arithmetic and the timers armed from it stay far from overflow; a larger value is
 * refused at start with its key named.
 */
public record StateApiOptions(
    String baseUrl,
    long requestTimeoutMs,
    int maxConcurrentPolls,
    int maxPollsPerSecond,
    long minPollIntervalMs,
    long maxPollIntervalMs,
    long transitionalPollIntervalMs,
    double jitterRatio,
    long retryMinMs,
    long retryMaxMs,
    long notificationHoldMs) {

  /** The longest poll interval the section accepts: a week. */
  public static final long MAX_INTERVAL_MS = 7L * 24 * 3_600_000;
  /** The longest request timeout, retry delay or notification hold the section accepts: a day. */
  public static final long MAX_DELAY_MS = 24L * 3_600_000;
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_CONCURRENT_POLLS = 16;
  public static final int DEFAULT_MAX_POLLS_PER_SECOND = 20;
  public static final long DEFAULT_MIN_POLL_INTERVAL_MS = 5_000;
  public static final long DEFAULT_MAX_POLL_INTERVAL_MS = 3_600_000;
  public static final long DEFAULT_TRANSITIONAL_POLL_INTERVAL_MS = 30_000;
  public static final double DEFAULT_JITTER_RATIO = 0.1;
  public static final long DEFAULT_RETRY_MIN_MS = 1_000;
  public static final long DEFAULT_RETRY_MAX_MS = 300_000;
  public static final long DEFAULT_NOTIFICATION_HOLD_MS = 120_000;

  /** Every key at its default, with no explicit base URL. */
  public static StateApiOptions defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads and checks the section; see {@link TenantWatchOptions#fromJson(JsonObject)}. */
  public static StateApiOptions fromJson(JsonObject json) {
    return read(ConfigSection.at(json, "stateApi"));
  }

  static StateApiOptions read(ConfigSection section) {
    String baseUrl = section.httpUrl("baseUrl", null);
    if (baseUrl != null && (baseUrl.contains("?") || baseUrl.contains("#"))) {
      throw section.invalid("baseUrl", "a URL without query or fragment (the context identifier is appended)", baseUrl);
    }
    long requestTimeout = section.integer("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, 1, Long.MAX_VALUE);
    int concurrent = section.integer("maxConcurrentPolls", DEFAULT_MAX_CONCURRENT_POLLS, 1, Integer.MAX_VALUE);
    int perSecond = section.integer("maxPollsPerSecond", DEFAULT_MAX_POLLS_PER_SECOND, 1, Integer.MAX_VALUE);
    long min = section.integer("minPollIntervalMs", DEFAULT_MIN_POLL_INTERVAL_MS, 1, Long.MAX_VALUE);
    long max = section.integer("maxPollIntervalMs", DEFAULT_MAX_POLL_INTERVAL_MS, 1, Long.MAX_VALUE);
    long transitional = section.integer(
        "transitionalPollIntervalMs", DEFAULT_TRANSITIONAL_POLL_INTERVAL_MS, 1, Long.MAX_VALUE);
    double jitter = section.number("jitterRatio", DEFAULT_JITTER_RATIO, 0, 1);
    long retryMin = section.integer("retryMinMs", DEFAULT_RETRY_MIN_MS, 1, Long.MAX_VALUE);
    long retryMax = section.integer("retryMaxMs", DEFAULT_RETRY_MAX_MS, 1, Long.MAX_VALUE);
    // Zero is allowed: an operator may choose to let the next poll decide at once after a notification.
    long hold = section.integer("notificationHoldMs", DEFAULT_NOTIFICATION_HOLD_MS, 0, Long.MAX_VALUE);
    section.rejectUnknownKeys();

    requireAtMost(section, "requestTimeoutMs", requestTimeout, MAX_DELAY_MS, "a day");
    requireAtMost(section, "minPollIntervalMs", min, MAX_INTERVAL_MS, "a week");
    requireAtMost(section, "maxPollIntervalMs", max, MAX_INTERVAL_MS, "a week");
    requireAtMost(section, "transitionalPollIntervalMs", transitional, MAX_INTERVAL_MS, "a week");
    requireAtMost(section, "retryMinMs", retryMin, MAX_DELAY_MS, "a day");
    requireAtMost(section, "retryMaxMs", retryMax, MAX_DELAY_MS, "a day");
    requireAtMost(section, "notificationHoldMs", hold, MAX_DELAY_MS, "a day");
    requireAtMost(section, "minPollIntervalMs", min, "transitionalPollIntervalMs", transitional);
    requireAtMost(section, "transitionalPollIntervalMs", transitional, "maxPollIntervalMs", max);
    requireAtMost(section, "retryMinMs", retryMin, "retryMaxMs", retryMax);
    return new StateApiOptions(withTrailingSlash(baseUrl), requestTimeout, concurrent, perSecond, min, max,
        transitional, jitter, retryMin, retryMax, hold);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("baseUrl", baseUrl)
        .put("requestTimeoutMs", requestTimeoutMs)
        .put("maxConcurrentPolls", maxConcurrentPolls)
        .put("maxPollsPerSecond", maxPollsPerSecond)
        .put("minPollIntervalMs", minPollIntervalMs)
        .put("maxPollIntervalMs", maxPollIntervalMs)
        .put("transitionalPollIntervalMs", transitionalPollIntervalMs)
        .put("jitterRatio", jitterRatio)
        .put("retryMinMs", retryMinMs)
        .put("retryMaxMs", retryMaxMs)
        .put("notificationHoldMs", notificationHoldMs);
  }

  /** The timing rules in the state machine's terms, with the default history length. */
  public PollSettings pollSettings() {
    return new PollSettings(
        Duration.ofMillis(minPollIntervalMs),
        Duration.ofMillis(maxPollIntervalMs),
        Duration.ofMillis(transitionalPollIntervalMs),
        jitterRatio,
        Duration.ofMillis(retryMinMs),
        Duration.ofMillis(retryMaxMs),
        Duration.ofMillis(notificationHoldMs),
        PollSettings.DEFAULT_HISTORY_LIMIT);
  }

  /** How long one poll may take. */
  public Duration requestTimeout() {
    return Duration.ofMillis(requestTimeoutMs);
  }

  /**
   * How long {@code POST /admin/tenants/{ctx}/poll} waits for the poll it asked for before answering 504:
   * a poll already in flight, then its own, and a second for the bus.
   */
  public Duration pollNowWait() {
    return requestTimeout().multipliedBy(2).plusSeconds(1);
  }

  private static void requireAtMost(ConfigSection section, String key, long value, long bound, String what) {
    if (value > bound) {
      throw section.failure(key, "must be at most " + bound + " (" + what + "), got " + value);
    }
  }

  private static void requireAtMost(ConfigSection section, String lowKey, long low, String highKey, long high) {
    if (low > high) {
      throw section.failure(lowKey, "must not exceed " + section.keyPath(highKey) + " (" + high + "), got " + low);
    }
  }

  /** The poller appends the context identifier, so a base URL written without the last slash still works. */
  private static String withTrailingSlash(String url) {
    return url == null || url.endsWith("/") ? url : url + "/";
  }
}
