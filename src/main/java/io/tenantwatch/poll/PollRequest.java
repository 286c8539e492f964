package io.tenantwatch.poll;

import io.tenantwatch.domain.ContextId;
import io.tenantwatch.machine.PollReason;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A request on {@link io.tenantwatch.bus.Addresses#POLL}: {@code {"tenant":"Cust1","reason":"timer"}}.
 *
 * @param tenant a valid context identifier
 * @param reason why the poll is wanted; decides its place in the queue
 */
public record PollRequest(String tenant, PollReason reason) {

  private static final String REASONS = Arrays.stream(PollReason.values())
      .map(PollReason::wireName).collect(Collectors.joining(", "));
  /** Looked up once per request on the poller's event loop, so built once rather than searched. */
  private static final Map<String, PollReason> BY_WIRE_NAME = Arrays.stream(PollReason.values())
      .collect(Collectors.toUnmodifiableMap(PollReason::wireName, Function.identity()));

  public PollRequest {
    ContextId.require(tenant);
    Objects.requireNonNull(reason, "reason");
  }

  public JsonObject toJson() {
    return new JsonObject().put("tenant", tenant).put("reason", reason.wireName());
  }

  /**
   * Reads a request; the exception's message never repeats the offending value.
   *
   * @throws IllegalArgumentException when the tenant or the reason is missing or invalid
   */
  public static PollRequest fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("a poll request is a JSON object {\"tenant\",\"reason\"}");
    }
    Object tenant = json.getValue("tenant");
    if (!(tenant instanceof String ctx) || !ContextId.isValid(ctx)) {
      throw new IllegalArgumentException(
          "tenant must be a context identifier: 'Cust' followed by 1 to 12 digits");
    }
    Object reason = json.getValue("reason");
    PollReason parsed = reason instanceof String name ? BY_WIRE_NAME.get(name) : null;
    if (parsed == null) {
      throw new IllegalArgumentException("reason must be one of " + REASONS);
    }
    return new PollRequest(ctx, parsed);
  }
}
