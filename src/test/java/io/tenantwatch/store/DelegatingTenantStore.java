package io.tenantwatch.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * A store that hands every call to another one: a test overrides the call it watches or breaks, and the rest
 * behaves as the store behind it.
 */
public class DelegatingTenantStore implements TenantStore {
  private final TenantStore store;

  public DelegatingTenantStore(TenantStore store) {
    this.store = store;
  }

  @Override
  public Future<Long> begin() {
    return store.begin();
  }

  @Override
  public Future<List<StoredTenant>> load(Instant now, String after, int limit) {
    return store.load(now, after, limit);
  }

  @Override
  public Future<WriteOutcome> write(Collection<TenantChange> changes) {
    return store.write(changes);
  }

  @Override
  public Future<Void> ping() {
    return store.ping();
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }
}
