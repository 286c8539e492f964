package io.tenantwatch.worker;

import io.tenantwatch.domain.Command;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What cluster members' worker registries tell each other on {@code tenantwatch.workers.peer}
 * (docs/contracts.md, "Workers anywhere"):
 * <ul>
 *   <li>{@code {"type":"registered","node","registration","snapshot":bool}}: a worker registered on
 *       {@code node}; answered {@code {"tenants":[command...]}}, the snapshot entries of the tenants the
 *       receiver runs, when {@code snapshot} is true, else {@code {}};</li>
 *   <li>{@code {"type":"unregistered","node","address"}}: it unregistered there; answered {@code {}};</li>
 *   <li>{@code {"type":"workers"}}: answered {@code {"workers":[registration...]}}, the workers registered on
 *       the receiver itself, for a registry that has just started.</li>
 * </ul>
 */
final class PeerMessages {
  static final String REGISTERED = "registered";
  static final String UNREGISTERED = "unregistered";
  static final String WORKERS = "workers";

  private PeerMessages() {
  }

  static JsonObject registered(String node, WorkerRegistration registration, boolean snapshot) {
    return new JsonObject().put("type", REGISTERED).put("node", node).put("registration", registration.toJson())
        .put("snapshot", snapshot);
  }

  static JsonObject unregistered(String node, String address) {
    return new JsonObject().put("type", UNREGISTERED).put("node", node).put("address", address);
  }

  static JsonObject workers() {
    return new JsonObject().put("type", WORKERS);
  }

  static JsonObject entries(List<Command> entries) {
    JsonArray list = new JsonArray();
    entries.forEach(entry -> list.add(entry.toJson()));
    return new JsonObject().put("tenants", list);
  }

  /**
   * A registration's snapshot from the parts each member gave: tenant by tenant in context-identifier order,
   * each tenant's entries from the part whose latest {@code (epoch, seq)} is highest (a tenant appears in two
   * parts only while its shard changes hands, and then the newer owner's part is the truth).
   *
   * @throws IllegalArgumentException when a part holds an entry that is not a command
   */
  static List<Command> merged(List<List<Command>> parts) {
    Map<String, List<Command>> byTenant = new TreeMap<>();
    for (List<Command> part : parts) {
      Map<String, List<Command>> own = new TreeMap<>();
      part.forEach(entry -> own.computeIfAbsent(entry.tenant(), t -> new ArrayList<>()).add(entry));
      own.forEach((tenant, entries) -> byTenant.merge(tenant, entries,
          (kept, other) -> latest(other).fence().isAbove(latest(kept).fence()) ? other : kept));
    }
    List<Command> all = new ArrayList<>();
    byTenant.values().forEach(all::addAll);
    return all;
  }

  /** A part's entry for the tenant's latest command: its first (a resume, pause or retire). */
  private static Command latest(List<Command> entries) {
    return entries.get(0);
  }

  /** The commands of an answer's {@code "tenants"}. */
  static List<Command> commands(JsonObject answer) {
    List<Command> commands = new ArrayList<>();
    answer.getJsonArray("tenants", new JsonArray()).forEach(entry -> commands.add(Command.fromBody(entry)));
    return commands;
  }
}
