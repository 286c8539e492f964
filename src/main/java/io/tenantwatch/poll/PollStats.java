package io.tenantwatch.poll;

import io.vertx.core.json.JsonObject;

/**
 * The StatePoller's counters, as answered on {@link io.tenantwatch.bus.Addresses#POLL_STATS}:
 * {@code {"queued":N,"inFlight":N,"started":N,"succeeded":N,"failed":N}}.
 *
 * @param queued polls waiting for the limiter
 * @param inFlight polls sent and not yet answered
 * @param started polls sent since the poller started
 * @param succeeded polls that brought a usable status
 * @param failed polls that ended in a classified failure
 */
public record PollStats(int queued, int inFlight, long started, long succeeded, long failed) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("queued", queued)
        .put("inFlight", inFlight)
        .put("started", started)
        .put("succeeded", succeeded)
        .put("failed", failed);
  }

  /** Reads what {@link #toJson()} wrote; absent counters read as 0. */
  public static PollStats fromJson(JsonObject json) {
    return new PollStats(json.getInteger("queued", 0), json.getInteger("inFlight", 0),
        json.getLong("started", 0L), json.getLong("succeeded", 0L), json.getLong("failed", 0L));
  }
}
