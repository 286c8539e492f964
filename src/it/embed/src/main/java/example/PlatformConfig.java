package example;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The engine's config for production: SuperOffice Online and the platform's own PostgreSQL. */
public final class PlatformConfig {
  private PlatformConfig() {
  }

  public static JsonObject production() {
    return new JsonObject()
        .put("environment", "online")
        .put("tenants", new JsonArray().add("Cust12345").add("Cust23456"))
        // The one key without a default: "postgres", "embedded" or "memory".
        .put("store", new JsonObject()
            .put("type", "postgres")
            .put("url", "postgresql://tenantwatch@db.internal:5432/tenantwatch"))
        // 8080 and 8081 by default; port 0 takes any free port (engine.httpPort() says which).
        .put("http", new JsonObject().put("host", "0.0.0.0").put("port", 9080))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 9081));
  }
}
