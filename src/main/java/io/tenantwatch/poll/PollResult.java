package io.tenantwatch.poll;

import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.machine.FailureKind;
import io.tenantwatch.machine.PollFailure;
import io.tenantwatch.machine.TenantEvent;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code poll-result} message the StatePoller sends to a tenant's verticle: either the parsed status
 * or the classified failure.
 */
public record PollResult(String tenant, TenantStatus status, PollFailure failure) {

  public static final String TYPE = "poll-result";

  public static PollResult success(String tenant, TenantStatus status) {
    return new PollResult(tenant, status, null);
  }

  public static PollResult failure(String tenant, PollFailure failure) {
    return new PollResult(tenant, null, failure);
  }

  public boolean ok() {
    return status != null;
  }

  /** The machine event this result stands for. */
  public TenantEvent event() {
    return ok() ? new TenantEvent.PollSucceeded(status) : new TenantEvent.PollFailed(failure);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", TYPE).put("tenant", tenant).put("ok", ok());
    if (ok()) {
      json.put("status", status.toJson());
    } else {
      json.put("failure", new JsonObject()
          .put("kind", failure.kind().wireName())
          .put("detail", failure.detail())
          .put("httpStatus", failure.httpStatus())
          .put("retryAfterMs", failure.retryAfter() == null ? null : failure.retryAfter().toMillis()));
    }
    return json;
  }

  /**
   * Reads a message written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException when it is not such a message
   */
  public static PollResult fromJson(JsonObject json) {
    String tenant = json.getString("tenant");
    if (Boolean.TRUE.equals(json.getBoolean("ok"))) {
      try {
        return success(tenant, TenantStatus.fromJson(json.getJsonObject("status")));
      } catch (StatusParseException e) {
        throw new IllegalArgumentException("poll-result with a malformed status: " + e.getMessage(), e);
      }
    }
    JsonObject f = json.getJsonObject("failure");
    if (f == null) {
      throw new IllegalArgumentException("poll-result without status or failure");
    }
    FailureKind kind = FailureKind.byWireName(f.getString("kind"))
        .orElseThrow(() -> new IllegalArgumentException("poll-result with an unknown failure kind"));
    Long retryAfter = f.getLong("retryAfterMs");
    return failure(tenant, new PollFailure(kind, f.getString("detail", ""), f.getInteger("httpStatus", 0),
        retryAfter == null ? null : Duration.ofMillis(retryAfter)));
  }
}
