package io.tenantwatch.domain;

import io.vertx.core.json.JsonObject;

/**
 * A verified state-change notification from SuperOffice, reduced to what the engine acts on.
 *
 * @param contextIdentifier the tenant
 * @param changeType what happened (any integer is kept)
 * @param versionName the installation's version name, may be null
 * @param fileVersion the file-set version, may be empty or null
 * @param publicEndpoint the new host on a Move (a bare host name), null otherwise
 */
public record Notification(
    String contextIdentifier, ChangeType changeType, String versionName, String fileVersion,
    String publicEndpoint) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("ContextIdentifier", contextIdentifier)
        .put("ChangeType", changeType.code())
        .put("VersionName", versionName)
        .put("FileVersion", fileVersion)
        .put("PublicEndpoint", publicEndpoint);
  }

  /** Reads a notification this engine wrote with {@link #toJson()} (already validated at the edge). */
  public static Notification fromJson(JsonObject json) {
    return new Notification(
        ContextId.require(json.getString("ContextIdentifier")),
        ChangeType.of(json.getInteger("ChangeType")),
        json.getString("VersionName"),
        json.getString("FileVersion"),
        json.getString("PublicEndpoint"));
  }
}
