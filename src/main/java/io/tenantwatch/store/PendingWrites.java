package io.tenantwatch.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The changes not yet in the store, one folded change per tenant. A batch taken for writing that fails
 * comes back in front of what arrived meanwhile, so nothing is lost and each tenant's changes keep their
 * order.
 */
final class PendingWrites {
  private Map<String, TenantChange> pending = new LinkedHashMap<>();

  void add(TenantChange change) {
    pending.merge(change.tenant(), change, TenantChange::then);
  }

  /** Everything pending, which is then no longer pending. */
  Map<String, TenantChange> take() {
    Map<String, TenantChange> batch = pending;
    pending = new LinkedHashMap<>();
    return batch;
  }

  /** The {@code max} oldest pending changes (every one when there are fewer), which are then no longer pending. */
  Map<String, TenantChange> take(int max) {
    if (pending.size() <= max) {
      return take();
    }
    Map<String, TenantChange> batch = new LinkedHashMap<>();
    Iterator<Map.Entry<String, TenantChange>> oldestFirst = pending.entrySet().iterator();
    while (batch.size() < max) {
      Map.Entry<String, TenantChange> next = oldestFirst.next();
      batch.put(next.getKey(), next.getValue());
      oldestFirst.remove();
    }
    return batch;
  }

  /** A batch that could not be written: it goes before the changes that came after it. */
  void putBack(Map<String, TenantChange> batch) {
    Map<String, TenantChange> later = pending;
    pending = batch;
    later.values().forEach(this::add);
  }

  Optional<TenantChange> get(String tenant) {
    return Optional.ofNullable(pending.get(tenant));
  }

  boolean contains(String tenant) {
    return pending.containsKey(tenant);
  }

  int size() {
    return pending.size();
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }
}
