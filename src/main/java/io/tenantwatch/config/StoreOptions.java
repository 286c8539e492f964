package io.tenantwatch.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code store} section: where watched tenants and their snapshots live (R11).
 *
 * @param type {@code embedded} (a PostgreSQL the engine starts itself, files under {@code dataDir}),
 *     {@code postgres} (an external server at {@code url}) or {@code memory} (nothing survives a restart)
 * @param dataDir the directory for the embedded store's files
 * @param url the external PostgreSQL server ({@code postgresql://user@host:port/database}), null when none;
 *     its password may instead come from the environment variable {@value #PASSWORD_VARIABLE}
 */
public record StoreOptions(String type, String dataDir, String url) {

  public static final String EMBEDDED = "embedded";
  public static final String POSTGRES = "postgres";
  public static final String MEMORY = "memory";
  public static final String DEFAULT_TYPE = EMBEDDED;
  public static final String DEFAULT_DATA_DIR = "data";
  public static final String DEFAULT_URL = null;
  /** The environment variable that carries the external PostgreSQL server's password. */
  public static final String PASSWORD_VARIABLE = "TENANTWATCH_STORE_PASSWORD";

  private static final List<String> TYPES = List.of(EMBEDDED, POSTGRES, MEMORY);

  public static StoreOptions defaults() {
    return new StoreOptions(DEFAULT_TYPE, DEFAULT_DATA_DIR, DEFAULT_URL);
  }

  /** The in-memory store, for tests and benchmarks. */
  public static StoreOptions memory() {
    return new StoreOptions(MEMORY, DEFAULT_DATA_DIR, DEFAULT_URL);
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
    if (!TYPES.contains(type)) {
      throw section.invalid("type", "\"embedded\", \"postgres\" or \"memory\"", type);
    }
    if (type.equals(POSTGRES) && url == null) {
      throw section.failure("url", "is required when store.type is \"postgres\" "
          + "(postgresql://user@host:port/database)");
    }
    if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw section.failure("url", "must start with postgresql:// (the value is not shown: it may carry a password)");
    }
    return new StoreOptions(type, dataDir, url);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("dataDir", dataDir).put("url", url);
  }

  /** Never shows the URL, which may carry a password. */
  @Override
  public String toString() {
    return "StoreOptions[type=" + type + ", dataDir=" + dataDir + ", url=" + (url == null ? "none" : "set") + "]";
  }
}
