package io.tenantwatch.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code store} section: where watched tenants and their snapshots live (R11). {@code type} has no
 * default: an engine never starts a PostgreSQL, or forgets every tenant at a restart, unless its
 * configuration says so, and {@link #checkChosen()} refuses the start until it does (docs/contracts.md,
 * "Configuration").
 *
 * @param type null when the configuration chose none, else {@code embedded} (a PostgreSQL the engine starts itself, files under {@code dataDir}),
 *     {@code postgres} (an external server at {@code url}) or {@code memory} (nothing survives a restart)
 * @param dataDir the directory for the embedded store's files
 * @param url the external PostgreSQL server ({@code postgresql://user@host:port/database}), null when none;
 *     its password may instead come from the environment variable {@value #PASSWORD_VARIABLE}
 */
public record StoreOptions(String type, String dataDir, String url) {

  public static final String EMBEDDED = "embedded";
  public static final String POSTGRES = "postgres";
  public static final String MEMORY = "memory";
  /** No default type: the configuration must choose one. */
  public static final String DEFAULT_TYPE = null;
  public static final String DEFAULT_DATA_DIR = "data";
  public static final String DEFAULT_URL = null;
  /** The environment variable that carries the external PostgreSQL server's password. */
  public static final String PASSWORD_VARIABLE = "TENANTWATCH_STORE_PASSWORD";

  private static final List<String> TYPES = List.of(EMBEDDED, POSTGRES, MEMORY);
  /** The three choices, as the refusal of a missing or unknown type spells them out. */
  static final String CHOICES = "\"postgres\" (your PostgreSQL at store.url, for production), \"embedded\" "
      + "(a PostgreSQL the engine starts itself, its files under store.dataDir; needs the optional dependency "
      + OptionalDependency.EMBEDDED_STORE.coordinates() + ") or \"memory\" (nothing survives a restart)";

  /** The section as an empty configuration reads: no store chosen yet. */
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
    if (type != null && !TYPES.contains(type)) {
      throw section.invalid("type", CHOICES, type);
    }
    if (POSTGRES.equals(type) && url == null) {
      throw section.failure("url", "is required when store.type is \"postgres\" "
          + "(postgresql://user@host:port/database)");
    }
    if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw section.failure("url", "must start with postgresql:// (the value is not shown: it may carry a password)");
    }
    return new StoreOptions(type, dataDir, url);
  }

  /**
   * Refuses a start whose configuration chose no store, or chose {@code embedded} without its optional
   * dependency on the classpath.
   *
   * @return these options, for chaining
   * @throws ConfigException naming {@code store.type}, with the three choices or the dependency to add
   */
  public StoreOptions checkChosen() {
    if (type == null) {
      throw ConfigException.of("store.type", "is required: choose " + CHOICES);
    }
    if (type.equals(EMBEDDED) && !OptionalDependency.EMBEDDED_STORE.isPresent()) {
      throw OptionalDependency.EMBEDDED_STORE.missing("store.type", "\"embedded\"", ", or choose \"postgres\"");
    }
    return this;
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
