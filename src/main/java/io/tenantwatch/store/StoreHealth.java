package io.tenantwatch.store;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store answered its last write or check. An outage is logged once when it starts and once
 * when it ends, however many tenants wait meanwhile.
 */
final class StoreHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);

  private boolean reachable = true;

  void failed(Throwable failure, int pendingWrites) {
    if (reachable) {
      reachable = false;
      LOG.warn("The store is unreachable ({}); the engine goes on from memory and writes the {} pending "
          + "change(s) once it is back", failure.getMessage(), pendingWrites);
    }
  }

  void answered(int writtenNow) {
    if (!reachable) {
      reachable = true;
      LOG.info("The store is reachable again; {} pending change(s) written", writtenNow);
    }
  }

  boolean reachable() {
    return reachable;
  }

  JsonObject toJson(int pendingWrites) {
    return new JsonObject().put("reachable", reachable).put("pendingWrites", pendingWrites);
  }
}
