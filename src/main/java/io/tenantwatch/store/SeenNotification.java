package io.tenantwatch.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A notification a tenant applied, by its replay id, remembered until its token expires.
 *
 * @param id the replay id the webhook derived from the notification's token
 * @param rememberUntil when the token expires; after that the token itself is refused
 */
public record SeenNotification(String id, Instant rememberUntil) {

  public SeenNotification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rememberUntil, "rememberUntil");
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("rememberUntilMs", rememberUntil.toEpochMilli());
  }

  /** @throws IllegalArgumentException when a field is missing or of the wrong type */
  public static SeenNotification fromJson(JsonObject json) {
    try {
      String id = json.getString("id");
      Long until = json.getLong("rememberUntilMs");
      if (id == null || until == null) {
        throw new IllegalArgumentException("a seen notification needs id and rememberUntilMs");
      }
      return new SeenNotification(id, Instant.ofEpochMilli(until));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed seen notification: " + e.getMessage(), e);
    }
  }
}
