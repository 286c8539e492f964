package io.tenantwatch.config;

import io.tenantwatch.simulator.SimulatorOptions;
import io.vertx.core.json.JsonObject;

/**
 * The {@code simulator} section: whether the engine starts its fake SuperOffice beside itself (for the
 * demo and the tests). Named apart from the simulator's own options, which it maps onto.
 *
 * @param enabled whether to start the simulator; while it runs, its state API is the default base URL
 *     and its signing key is trusted
 * @param port the simulator's port on loopback, 0 for any free one
 * @param tenants how many tenants it simulates
 * @param seed the seed of its scripted scenarios, so a run can be repeated
 */
public record SimulatorSection(boolean enabled, int port, int tenants, long seed) {

  public static final boolean DEFAULT_ENABLED = false;
  public static final int DEFAULT_PORT = SimulatorOptions.DEFAULT_PORT;
  public static final int DEFAULT_TENANTS = SimulatorOptions.DEFAULT_TENANTS;
  public static final int MAX_TENANTS = 1_000_000;
  public static final long DEFAULT_SEED = SimulatorOptions.DEFAULT_SEED;

  public static SimulatorSection defaults() {
    return new SimulatorSection(DEFAULT_ENABLED, DEFAULT_PORT, DEFAULT_TENANTS, DEFAULT_SEED);
  }

  /** Reads and checks the section; see {@link TenantWatchOptions#fromJson(JsonObject)}. */
  public static SimulatorSection fromJson(JsonObject json) {
    return read(ConfigSection.at(json, "simulator"));
  }

  static SimulatorSection read(ConfigSection section) {
    boolean enabled = section.bool("enabled", DEFAULT_ENABLED);
    int port = section.integer("port", DEFAULT_PORT, 0, 65535);
    int tenants = section.integer("tenants", DEFAULT_TENANTS, 1, MAX_TENANTS);
    long seed = section.integer("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    section.rejectUnknownKeys();
    return new SimulatorSection(enabled, port, tenants, seed);
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("port", port).put("tenants", tenants).put("seed", seed);
  }
}
