package io.tenantwatch.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Collection;
import java.util.Set;

/**
 * Who may write tenant rows, checked inside each write's transaction: in one engine the holder of the
 * store's engine lock ({@link StoreLock}), in a cluster the holder of the lease on each tenant's shard
 * ({@link LeaseFence}).
 */
interface WriteFence {

  /** Succeeds once writes may be tried at all (the engine lock is held); a ping waits for this too. */
  Future<Void> ready();

  /**
   * In the write's transaction {@code conn}, before anything is written: the tenants of {@code changes}
   * whose changes must not be written. Fails the transaction when nothing may be written.
   */
  Future<Set<String>> refused(SqlConnection conn, Collection<TenantChange> changes);

  /** Lets go of what the fence holds. */
  Future<Void> close();
}
