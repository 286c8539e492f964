package io.tenantwatch.worker;

import io.tenantwatch.machine.Backoff;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * How the {@link WorkerRegistry} delivers a command to one worker: how long it waits for the
 * acknowledgement, how many times it tries in all, and the pause before the first retry (doubling
 * before each further one).
 *
 * @param ackTimeoutMs how long one attempt waits for the worker's acknowledgement, beyond the worker's own drain
 *     timeout ({@link #ackTimeoutFor})
 * @param maxAttempts attempts in all, the first included, before the delivery counts as failed
 * @param retryDelayMs the pause before the second attempt; each later pause is twice the one before
 * @param failingAfter how many deliveries in a row a worker may leave unacknowledged (each after all its
 *     attempts) before {@code /admin/workers} shows it as {@code failing}
 */
public record DeliveryPolicy(long ackTimeoutMs, int maxAttempts, long retryDelayMs, int failingAfter) {

  public static final long DEFAULT_ACK_TIMEOUT_MS = 5000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_RETRY_DELAY_MS = 500;
  public static final int DEFAULT_FAILING_AFTER = 3;
  public static final DeliveryPolicy DEFAULT =
      new DeliveryPolicy(DEFAULT_ACK_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY_MS, DEFAULT_FAILING_AFTER);

  /** The largest first retry delay accepted, so that the doubled delays stay far from overflow. */
  private static final long MAX_RETRY_DELAY_MS = 3_600_000;
  /** Doubling stops after this many steps; a delivery this persistent has long been reported. */
  private static final int MAX_DOUBLINGS = 16;
  private static final Set<String> KEYS = Set.of("ackTimeoutMs", "maxAttempts", "retryDelayMs", "failingAfter");

  public DeliveryPolicy {
    if (ackTimeoutMs < 1) {
      throw new IllegalArgumentException("ackTimeoutMs must be at least 1, was " + ackTimeoutMs);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    // Vert.x timers need at least one millisecond.
    if (retryDelayMs < 1 || retryDelayMs > MAX_RETRY_DELAY_MS) {
      throw new IllegalArgumentException(
          "retryDelayMs must be between 1 and " + MAX_RETRY_DELAY_MS + ", was " + retryDelayMs);
    }
    if (failingAfter < 1) {
      throw new IllegalArgumentException("failingAfter must be at least 1, was " + failingAfter);
    }
  }

  /** A policy that reports a worker failing after {@link #DEFAULT_FAILING_AFTER} failed deliveries in a row. */
  public DeliveryPolicy(long ackTimeoutMs, int maxAttempts, long retryDelayMs) {
    this(ackTimeoutMs, maxAttempts, retryDelayMs, DEFAULT_FAILING_AFTER);
  }

  /**
   * How long one attempt to this worker waits for its acknowledgement: {@code ackTimeoutMs} plus the worker's
   * drain timeout, since a worker holds a {@code pause}'s acknowledgement while its calls in flight end
   * (contracts.md, "Commands", "Drain"); a drain is not a lost delivery, and sending it again only queues a
   * duplicate behind it.
   */
  public long ackTimeoutFor(WorkerRegistration worker) {
    return ackTimeoutMs + worker.drainTimeoutMs();
  }

  /** The pause before the next attempt, once {@code failedAttempts} attempts (at least one) have failed. */
  public long retryDelayAfter(int failedAttempts) {
    return new Backoff(Duration.ofMillis(retryDelayMs), Duration.ofMillis(retryDelayMs << MAX_DOUBLINGS))
        .after(failedAttempts).toMillis();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ackTimeoutMs", ackTimeoutMs)
        .put("maxAttempts", maxAttempts)
        .put("retryDelayMs", retryDelayMs)
        .put("failingAfter", failingAfter);
  }

  /**
   * Reads a policy; absent keys take their defaults.
   *
   * @throws IllegalArgumentException naming the key when a key is unknown or a value is not a valid number
   */
  public static DeliveryPolicy fromJson(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown delivery policy key '" + key + "'");
      }
    }
    return new DeliveryPolicy(
        number(json, "ackTimeoutMs", DEFAULT_ACK_TIMEOUT_MS),
        Math.toIntExact(number(json, "maxAttempts", DEFAULT_MAX_ATTEMPTS)),
        number(json, "retryDelayMs", DEFAULT_RETRY_DELAY_MS),
        Math.toIntExact(number(json, "failingAfter", DEFAULT_FAILING_AFTER)));
  }

  private static long number(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(key + " must be a whole number, was " + value);
    }
    return ((Number) value).longValue();
  }
}
