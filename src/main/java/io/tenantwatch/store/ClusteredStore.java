package io.tenantwatch.store;

import io.vertx.core.Future;

/**
 * A cluster node's store: its tenants, written only under the leases this node holds, and the shard leases
 * themselves, on the database all nodes share ({@link TenantStores#clustered}). Each has a pool of its own,
 * so a renewal never waits behind tenant writes, and a {@link StoreVerticle} that closes {@link #tenants}
 * when it stops leaves the leases open for the node to release.
 *
 * @param tenants the node's tenant store; its writes are fenced by the leases
 * @param leases the shard leases
 */
public record ClusteredStore(PostgresTenantStore tenants, ShardLeases leases) {

  /** Closes both (use {@code leases().close()} alone when a store verticle closed the tenants already). */
  public Future<Void> close() {
    return Future.all(tenants.close(), leases.close()).mapEmpty();
  }
}
