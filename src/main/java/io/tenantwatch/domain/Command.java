package io.tenantwatch.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A command from the engine to the registered workers about one tenant. {@code seq} rises strictly per
 * tenant; a worker ignores a command whose {@code seq} is not above the last it applied.
 *
 * @param type pause, resume, endpoint, resync or retire
 * @param tenant the context identifier
 * @param state the tenant's state name when the command was made
 * @param running whether workers may call the tenant after this command
 * @param endpoint the tenant's root URL, may be null before the first successful poll
 * @param api the tenant's REST base URL, may be null before the first successful poll
 * @param reason why: {@code poll}, {@code notification:<ChangeType>}, {@code admin}, {@code unwatched},
 *     {@code restored} (announced by a tenant loaded from the store), or {@code snapshot} for an entry of
 *     the snapshot a worker is answered when it registers (there a {@code resync} may carry a seq below its
 *     tenant's other entry: it is the resync still owed, see {@code WorkerRegistry})
 * @param seq the per-tenant sequence number
 * @param at when the engine made the command
 */
public record Command(
    CommandType type, String tenant, String state, boolean running, String endpoint, String api,
    String reason, long seq, Instant at) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type.wireName())
        .put("tenant", tenant)
        .put("state", state)
        .put("running", running)
        .put("endpoint", endpoint)
        .put("api", api)
        .put("reason", reason)
        .put("seq", seq)
        .put("at", InstantText.format(at));
  }

  /**
   * Reads a command from an event-bus message body.
   *
   * @throws IllegalArgumentException when the body is not a JSON object or not a command
   */
  public static Command fromBody(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("a command is a JSON object");
    }
    return fromJson(json);
  }

  /**
   * Reads a command from its JSON form.
   *
   * @throws IllegalArgumentException when a field is missing or malformed
   */
  public static Command fromJson(JsonObject json) {
    try {
      CommandType type = CommandType.byWireName(json.getString("type"))
          .orElseThrow(() -> new IllegalArgumentException("unknown command type"));
      Object seqValue = json.getValue("seq");
      if (!(seqValue instanceof Integer) && !(seqValue instanceof Long)) {
        throw new IllegalArgumentException("a command needs an integer seq");
      }
      long seq = ((Number) seqValue).longValue();
      if (seq < 1) {
        throw new IllegalArgumentException("a command's seq must be positive");
      }
      Boolean running = json.getBoolean("running");
      String at = json.getString("at");
      if (running == null || at == null) {
        throw new IllegalArgumentException("a command needs running and at");
      }
      return new Command(type, ContextId.require(json.getString("tenant")), json.getString("state"),
          running, json.getString("endpoint"), json.getString("api"), json.getString("reason"), seq,
          InstantText.parse(at));
    } catch (ClassCastException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("malformed command: " + e.getMessage(), e);
    }
  }
}
