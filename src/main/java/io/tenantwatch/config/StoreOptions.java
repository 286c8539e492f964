package io.tenantwatch.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code store} section: where watched tenants and their snapshots live (R11). This version has
 * only the in-memory store; {@code embedded} and {@code postgres} are refused with a clear message
 * rather than silently running without durability.
 *
 * @param type {@code memory}
 * @param dataDir the directory for the embedded store's files
 * @param url the external PostgreSQL server, null when none
 */
public record StoreOptions(String type, String dataDir, String url) {

  public static final String MEMORY = "memory";
  public static final String DEFAULT_TYPE = MEMORY;
  public static final String DEFAULT_DATA_DIR = "data";
  public static final String DEFAULT_URL = null;

  public static StoreOptions defaults() {
    return new StoreOptions(DEFAULT_TYPE, DEFAULT_DATA_DIR, DEFAULT_URL);
  }

  /** Reads and checks the section; see {@link TenantWatchOptions#fromJson(JsonObject)}. */
  public static StoreOptions fromJson(JsonObject json) {
    return read(ConfigSection.at(json, "store"));
  }

  static StoreOptions read(ConfigSection section) {
    String type = section.text("type", DEFAULT_TYPE);
    String dataDir = section.filePath("dataDir", DEFAULT_DATA_DIR);
    // The URL may carry a password, so a bad one is reported without its value.
    String url = section.secret("url");
    section.rejectUnknownKeys();
    if (!type.equals(MEMORY)) {
      throw unavailable(section, type);
    }
    return new StoreOptions(type, dataDir, url);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("dataDir", dataDir).put("url", url);
  }

  private static ConfigException unavailable(ConfigSection section, String type) {
    if (type.equals("embedded") || type.equals("postgres")) {
      return section.failure("type", "the durable store (" + ConfigSection.show(type)
          + ") is not available in this version; use \"memory\"");
    }
    return section.invalid("type", "\"memory\" (\"embedded\" and \"postgres\" are not available in this version)",
        type);
  }

  /** Never shows the URL, which may carry a password. */
  @Override
  public String toString() {
    return "StoreOptions[type=" + type + ", dataDir=" + dataDir + ", url=" + (url == null ? "none" : "set") + "]";
  }
}
