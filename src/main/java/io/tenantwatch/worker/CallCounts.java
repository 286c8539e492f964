package io.tenantwatch.worker;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a {@link TenantGate}'s calls came to, in total and per tenant, as {@link TenantGate#calls()} answers it: an
 * immutable snapshot.
 *
 * @param total every tenant's calls together
 * @param tenants per tenant, in context-identifier order: every tenant a call was asked for
 */
public record CallCounts(Tally total, SortedMap<String, Tally> tenants) {

  public CallCounts {
    tenants = Collections.unmodifiableSortedMap(new TreeMap<>(tenants));
  }

  /** The tenant's tally; all zero for a tenant no call was asked for. */
  public Tally tenant(String ctx) {
    return tenants.getOrDefault(ctx, Tally.NONE);
  }

  public JsonObject toJson() {
    JsonObject perTenant = new JsonObject();
    tenants.forEach((ctx, tally) -> perTenant.put(ctx, tally.toJson()));
    return new JsonObject().put("total", total.toJson()).put("tenants", perTenant);
  }

  /**
   * One set of counters.
   *
   * @param made calls the gate let through and ran
   * @param refused calls refused with {@link TenantClosed}, never made
   * @param failed calls made that failed at the tenant, by how; every {@link CallFailure} is a key
   * @param inFlight calls made and not yet ended when the snapshot was taken
   */
  public record Tally(long made, long refused, Map<CallFailure, Long> failed, long inFlight) {
    /** No calls at all. */
    public static final Tally NONE = new Tally(0, 0, Map.of(), 0);

    public Tally {
      EnumMap<CallFailure, Long> every = new EnumMap<>(CallFailure.class);
      for (CallFailure kind : CallFailure.values()) {
        every.put(kind, failed.getOrDefault(kind, 0L));
      }
      failed = Collections.unmodifiableMap(every);
    }

    /** The calls made that failed at the tenant in this way. */
    public long failed(CallFailure kind) {
      return failed.get(kind);
    }

    /** Every call made that failed at the tenant. */
    public long failedAtTenant() {
      return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@code {"made","refused","failed":{"421":n,...,"connection":n},"inFlight"}}. */
    public JsonObject toJson() {
      JsonObject byKind = new JsonObject();
      failed.forEach((kind, count) -> byKind.put(kind.wireName(), count));
      return new JsonObject().put("made", made).put("refused", refused).put("failed", byKind).put("inFlight", inFlight);
    }
  }
}
