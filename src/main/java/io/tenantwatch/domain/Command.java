package io.tenantwatch.domain;

import io.tenantwatch.cluster.Fence;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A command from the engine to the registered workers about one tenant. Commands are ordered by
 * {@code (epoch, seq)}, their {@link #fence()}: {@code epoch} is the owner's lease epoch for the tenant's
 * shard in a cluster (0 on a single node, where {@code seq} alone decides), and {@code seq} rises strictly per
 * tenant under one owner. A worker applies a command only when its pair is lexicographically above the last
 * one it applied for the tenant, and acknowledges and ignores any other: so a new owner's first command is
 * applied whatever its seq, and a stale owner's never is (docs/contracts.md, "Commands").
 *
 * @param type pause, resume, endpoint, resync or retire
 * @param tenant the context identifier
 * @param state the tenant's state name when the command was made
 * @param running whether workers may call the tenant after this command
 * @param endpoint the tenant's root URL, may be null before the first successful poll
 * @param api the tenant's REST base URL, may be null before the first successful poll
 * @param reason why: {@code poll}, {@code notification:<ChangeType>}, {@code admin}, {@code unwatched},
 *     {@code restored} (announced by a tenant loaded from the store at the engine's start), {@code handover}
 *     (announced by a tenant a node has just taken over, at its new epoch), or {@code snapshot} for an entry of
 *     the snapshot a worker is answered when it registers (there a {@code resync} may carry a seq below its
 *     tenant's other entry: it is the resync still owed, see {@code WorkerRegistry})
 * @param seq the per-tenant sequence number
 * @param epoch the owner's lease epoch for the tenant's shard, at least 0 (0 on a single node)
 * @param at when the engine made the command
 */
public record Command(
    CommandType type, String tenant, String state, boolean running, String endpoint, String api,
    String reason, long seq, long epoch, Instant at) {

  public Command {
    if (epoch < 0) {
      throw new IllegalArgumentException("a command's epoch must not be negative, got " + epoch);
    }
  }

  /** Where this command stands among the tenant's commands: {@code (epoch, seq)}. */
  public Fence fence() {
    return new Fence(epoch, seq);
  }

  /** This command with another reason and made at another instant, as the registry's snapshot repeats it. */
  public Command repeated(CommandType asType, String asReason, Instant madeAt) {
    return new Command(asType, tenant, state, running, endpoint, api, asReason, seq, epoch, madeAt);
  }

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
        .put("epoch", epoch)
        .put("at", InstantText.format(at));
  }

  /**
   * Reads a command from an event-bus message body.
   *
   * @throws IllegalArgumentException when the body is not a JSON object or not a command
   */
  public static Command fromBody(Object body) {
    if (body instanceof Command command) {
      return command; // from a tenant of this node, as it is (io.tenantwatch.bus.LocalObjects)
    }
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
      long seq = integer(json, "seq");
      if (seq < 1) {
        throw new IllegalArgumentException("a command's seq must be positive");
      }
      long epoch = integer(json, "epoch");
      if (epoch < 0) {
        throw new IllegalArgumentException("a command's epoch must not be negative");
      }
      Boolean running = json.getBoolean("running");
      String at = json.getString("at");
      if (running == null || at == null) {
        throw new IllegalArgumentException("a command needs running and at");
      }
      return new Command(type, ContextId.require(json.getString("tenant")), json.getString("state"),
          running, json.getString("endpoint"), json.getString("api"), json.getString("reason"), seq,
          epoch, InstantText.parse(at));
    } catch (ClassCastException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("malformed command: " + e.getMessage(), e);
    }
  }

  private static long integer(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      throw new IllegalArgumentException("a command needs an integer " + key);
    }
    return ((Number) value).longValue();
  }
}
