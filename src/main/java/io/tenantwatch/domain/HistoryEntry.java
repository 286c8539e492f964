package io.tenantwatch.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One step in a tenant's history: a change of state or a step that sent commands ({@code from} may
 * equal {@code to}). Also the body published on {@code tenantwatch.events}.
 */
public record HistoryEntry(
    String tenant, Instant at, String from, String to, String cause, List<Command> commands) {

  public HistoryEntry {
    commands = List.copyOf(commands);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    commands.forEach(c -> list.add(c.toJson()));
    return new JsonObject()
        .put("tenant", tenant)
        .put("from", from)
        .put("to", to)
        .put("cause", cause)
        .put("commands", list)
        .put("at", InstantText.format(at));
  }
}
