package io.tenantwatch.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The store verticle's answer to {@code restore}: the engine's start epoch and one page of the stored
 * tenants ({@link TenantStore#load(java.time.Instant, String, int)}); a page shorter than the one asked
 * for is the last. It goes to the directory of the same node as it is, neither copied nor turned into
 * JSON ({@link #CODEC}): the directory only reads it, and a million tenants copied on their way would be
 * seconds of CPU and a second heap's worth of garbage.
 *
 * @param epoch the engine's start epoch on this store
 * @param tenants the page, in the order of the tenants' context identifiers
 */
public record StoredPage(long epoch, List<StoredTenant> tenants) {

  /**
   * Hands a page over on the same node as the very object. A page never leaves its node (the store's
   * addresses are local), so there is no wire form.
   */
  static final MessageCodec<StoredPage, StoredPage> CODEC = new MessageCodec<>() {
    @Override
    public void encodeToWire(Buffer buffer, StoredPage page) {
      throw new UnsupportedOperationException("a page of stored tenants stays on its node");
    }

    @Override
    public StoredPage decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("a page of stored tenants stays on its node");
    }

    @Override
    public StoredPage transform(StoredPage page) {
      return page;
    }

    @Override
    public String name() {
      return "tenantwatch-stored-page";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  };

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
    try {
      bus.registerDefaultCodec(StoredPage.class, CODEC);
    } catch (IllegalStateException alreadyRegistered) {
      // Registered by an earlier store verticle on this Vert.x: the same stateless codec.
    }
  }
}
