package io.tenantwatch.worker;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ContextId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * How a {@link TenantGate} presents itself to the engine.
 *
 * @param name a name for operators, shown in {@code GET /admin/workers}; required
 * @param tenants the tenants the gate follows, or null for every tenant
 * @param address the event-bus address the gate listens on, or null for a unique one made from the name
 *     ({@value io.tenantwatch.bus.Addresses#WORKER_PREFIX}{@code <name>.<uuid>})
 * @param drainTimeoutMs how long after its arrival a {@code pause}, {@code retire} or {@code endpoint} waits for the
 *     tenant's calls in flight to end before it is acknowledged anyway (contracts.md, "Commands", "Drain"); 0
 *     acknowledges at once
 */
public record TenantGateOptions(String name, Set<String> tenants, String address, long drainTimeoutMs) {

  /** Follow every tenant. */
  public static final Set<String> DEFAULT_TENANTS = null;
  /** No fixed address: the gate makes a unique one. */
  public static final String DEFAULT_ADDRESS = null;
  /** Ten seconds: long enough for a SuperOffice REST call to end, short enough to close a tenant promptly. */
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

  /**
   * @throws IllegalArgumentException when the name is blank, a tenant is not a context identifier, the
   *     address is blank or the drain timeout is negative or above {@value WorkerRegistration#MAX_DRAIN_TIMEOUT_MS}
   */
  public TenantGateOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a tenant gate needs a non-blank name");
    }
    if (tenants != null) {
      tenants.forEach(ContextId::require);
      tenants = Set.copyOf(tenants);
    }
    if (address != null && address.isBlank()) {
      throw new IllegalArgumentException("a tenant gate's address, when given, must not be blank");
    }
    WorkerRegistration.requireDrainTimeout(drainTimeoutMs);
  }

  /** Options for a gate that follows every tenant at an address of its own. */
  public TenantGateOptions(String name) {
    this(name, DEFAULT_TENANTS, DEFAULT_ADDRESS, DEFAULT_DRAIN_TIMEOUT_MS);
  }

  /** A copy following only these tenants (null: every tenant). */
  public TenantGateOptions withTenants(Set<String> tenants) {
    return new TenantGateOptions(name, tenants, address, drainTimeoutMs);
  }

  /** A copy listening at this fixed address. */
  public TenantGateOptions withAddress(String address) {
    return new TenantGateOptions(name, tenants, address, drainTimeoutMs);
  }

  /** A copy whose drains wait at most this long. */
  public TenantGateOptions withDrainTimeoutMs(long drainTimeoutMs) {
    return new TenantGateOptions(name, tenants, address, drainTimeoutMs);
  }

  /** The address a gate with these options listens on: the given one, else a new unique one. */
  String resolveAddress() {
    return address != null ? address : Addresses.WORKER_PREFIX + name + "." + UUID.randomUUID();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("tenants", tenants == null ? null : new JsonArray(new TreeSet<>(tenants).stream().toList()))
        .put("address", address)
        .put("drainTimeoutMs", drainTimeoutMs);
  }

  /**
   * Reads options from JSON ({@code name}, {@code tenants}, {@code address}, {@code drainTimeoutMs}); absent
   * keys but the name take their defaults.
   *
   * @throws IllegalArgumentException when a field is missing or malformed
   */
  public static TenantGateOptions fromJson(JsonObject json) {
    try {
      JsonArray tenants = json.getJsonArray("tenants");
      Set<String> set = null;
      if (tenants != null) {
        set = new TreeSet<>();
        for (Object item : tenants) {
          set.add((String) item);
        }
      }
      Object drain = json.getValue("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS);
      if (!(drain instanceof Integer || drain instanceof Long)) {
        throw new IllegalArgumentException("tenant gate options: drainTimeoutMs must be a whole number, was " + drain);
      }
      return new TenantGateOptions(json.getString("name"), set, json.getString("address"), ((Number) drain).longValue());
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("tenant gate options: name and address are strings, tenants an array of "
          + "context identifiers", e);
    }
  }
}
