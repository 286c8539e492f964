package io.tenantwatch.worker;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ContextId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body a worker sends to {@code tenantwatch.workers.register}:
 * {@code {"address":"...","name":"...","tenants":null | ["Cust1",...],"drainTimeoutMs":n}}. {@link TenantGate}
 * sends it for its platform; a worker built without the gate sends the same JSON.
 *
 * @param address the worker's own event-bus address, where commands are delivered
 * @param name a name for operators
 * @param tenants the tenants the worker follows, or null for every tenant
 * @param drainTimeoutMs how long the worker may hold an acknowledgement while its calls in flight end
 *     (contracts.md, "Commands", "Drain"): the registry waits that much longer for each of its acknowledgements,
 *     so a drain is not taken for a lost delivery; 0 (also when absent) for a worker that does not drain
 */
public record WorkerRegistration(String address, String name, Set<String> tenants, long drainTimeoutMs) {

  /** The longest drain a worker may ask for: five minutes, beyond which a closed tenant is not closed. */
  public static final long MAX_DRAIN_TIMEOUT_MS = 300_000;

  /** The registry's own namespace: a worker listening there would receive the registry's traffic. */

  public WorkerRegistration {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("a worker registration needs a non-blank 'address'");
    }
    if (address.startsWith(Addresses.WORKERS_NAMESPACE)) {
      throw new IllegalArgumentException(
          "a worker's 'address' may not lie in the registry's own namespace " + Addresses.WORKERS_NAMESPACE + "*");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a worker registration needs a non-blank 'name'");
    }
    if (tenants != null) {
      tenants.forEach(ContextId::require);
      tenants = Set.copyOf(tenants);
    }
    requireDrainTimeout(drainTimeoutMs);
  }

  /** A registration of a worker that does not drain. */
  public WorkerRegistration(String address, String name, Set<String> tenants) {
    this(address, name, tenants, 0);
  }

  static long requireDrainTimeout(long drainTimeoutMs) {
    if (drainTimeoutMs < 0 || drainTimeoutMs > MAX_DRAIN_TIMEOUT_MS) {
      throw new IllegalArgumentException(
          "drainTimeoutMs must be between 0 and " + MAX_DRAIN_TIMEOUT_MS + ", was " + drainTimeoutMs);
    }
    return drainTimeoutMs;
  }

  /** Whether the worker wants commands about this tenant. */
  public boolean follows(String tenant) {
    return tenants == null || tenants.contains(tenant);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("address", address)
        .put("name", name)
        .put("tenants", tenants == null ? null : new JsonArray(new TreeSet<>(tenants).stream().toList()))
        .put("drainTimeoutMs", drainTimeoutMs);
  }

  /**
   * Reads a registration, checking every field.
   *
   * @throws IllegalArgumentException with a message fit to send back to the worker
   */
  public static WorkerRegistration fromJson(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("a worker registration is a JSON object");
    }
    Object drain = json.getValue("drainTimeoutMs", 0);
    if (!(drain instanceof Integer || drain instanceof Long)) {
      throw new IllegalArgumentException("'drainTimeoutMs' must be a whole number of milliseconds");
    }
    return new WorkerRegistration(text(json, "address"), text(json, "name"), tenants(json.getValue("tenants")),
        ((Number) drain).longValue());
  }

  private static String text(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("'" + key + "' must be a string");
    }
    return (String) value;
  }

  private static Set<String> tenants(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray list)) {
      throw new IllegalArgumentException("'tenants' must be null or an array of context identifiers");
    }
    Set<String> tenants = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof String ctx) || !ContextId.isValid(ctx)) {
        throw new IllegalArgumentException(
            "'tenants' may hold only context identifiers: 'Cust' followed by 1 to 12 digits");
      }
      tenants.add(ctx);
    }
    return tenants;
  }
}
