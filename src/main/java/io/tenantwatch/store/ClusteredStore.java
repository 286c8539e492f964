package io.tenantwatch.store;

import io.vertx.core.Future;

/**
 * A cluster node's store: its tenants, written only under the leases this node holds, and the shard leases
 * themselves, both over one pool to the database all nodes share ({@link TenantStores#clustered}).
 *
 * @param tenants the node's tenant store; its writes are fenced by the leases
 * @param leases the shard leases
 */
public record ClusteredStore(PostgresTenantStore tenants, ShardLeases leases) {

  /** Closes the pool both use. */
  public Future<Void> close() {
    return tenants.close();
  }
}
