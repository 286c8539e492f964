package io.tenantwatch.store;

import io.tenantwatch.bus.LocalObjects;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The store verticle's answer to {@code restore}: the engine's start epoch and one page of the stored
 * tenants ({@link TenantStore#load(java.time.Instant, String, int)}); a page shorter than the one asked
 * for is the last. It goes to the directory of the same node as it is, neither copied nor turned into
 * JSON ({@link LocalObjects}): the directory only reads it, and a million tenants copied on their way would be
 * seconds of CPU and a second heap's worth of garbage.
 *
 * @param epoch the engine's start epoch on this store
 * @param tenants the page, in the order of the tenants' context identifiers
 */
public record StoredPage(long epoch, List<StoredTenant> tenants) {

  public StoredPage {
    tenants = List.copyOf(tenants);
  }

  /** The page as JSON, for a reader that looks at it whole (a test, a log). */
  public JsonObject toJson() {
    JsonArray list = new JsonArray(new ArrayList<>(tenants.size()));
    tenants.forEach(tenant -> list.add(tenant.toJson()));
    return new JsonObject().put("epoch", epoch).put("tenants", list);
  }

  /** The tenant the next page starts after, null when this page is the last of {@code limit}-sized pages. */
  public String nextAfter(int limit) {
    return tenants.size() < limit || tenants.isEmpty() ? null : tenants.get(tenants.size() - 1).tenant();
  }

  /**
   * Lets {@code bus} carry pages. Codecs are per Vert.x instance, and an engine may start again on the same
   * one: a page codec registered by an earlier start is this very codec, and stays.
   */
  static void registerOn(EventBus bus) {
    LocalObjects.carry(bus, StoredPage.class, "tenantwatch-stored-page");
  }
}
