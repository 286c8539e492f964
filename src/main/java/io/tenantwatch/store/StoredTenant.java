package io.tenantwatch.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One watched tenant as the store keeps it.
 *
 * @param tenant the context identifier
 * @param origin how it came to be watched: {@code config}, {@code admin} or {@code notification}
 * @param snapshot its last snapshot ({@code SnapshotJson}), null when none was written yet
 * @param seen the notifications it applied whose tokens still live, oldest first
 */
public record StoredTenant(String tenant, String origin, JsonObject snapshot, List<SeenNotification> seen) {

  public StoredTenant {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(origin, "origin");
    seen = List.copyOf(seen);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    seen.forEach(s -> list.add(s.toJson()));
    return new JsonObject().put("tenant", tenant).put("origin", origin).put("snapshot", snapshot)
        .put("seen", list);
  }

  /** @throws IllegalArgumentException when a field is missing or of the wrong type */
  public static StoredTenant fromJson(JsonObject json) {
    try {
      String tenant = json.getString("tenant");
      String origin = json.getString("origin");
      if (tenant == null || origin == null) {
        throw new IllegalArgumentException("a stored tenant needs tenant and origin");
      }
      JsonArray list = json.getJsonArray("seen", new JsonArray());
      List<SeenNotification> seen = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        seen.add(SeenNotification.fromJson(list.getJsonObject(i)));
      }
      return new StoredTenant(tenant, origin, json.getJsonObject("snapshot"), seen);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed stored tenant: " + e.getMessage(), e);
    }
  }
}
