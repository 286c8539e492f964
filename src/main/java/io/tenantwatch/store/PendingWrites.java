package io.tenantwatch.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The changes not yet in the store, one folded change per tenant. A change is made ({@link PendingChange#make})
 * only when a batch is taken for writing. A batch that fails comes back in front of what arrived meanwhile, so
 * nothing is lost and each tenant's changes keep their order.
 */
final class PendingWrites {
  private Map<String, PendingChange> pending = new LinkedHashMap<>();

  void add(PendingChange change) {
    pending.merge(change.tenant(), change, PendingChange::then);
  }

  /** Everything pending, made, which is then no longer pending. */
  Map<String, TenantChange> take() {
    return take(Integer.MAX_VALUE);
  }

  /** The {@code max} oldest pending changes (every one when there are fewer), made, which are then no longer pending. */
  Map<String, TenantChange> take(int max) {
    Map<String, TenantChange> batch = new LinkedHashMap<>();
    Iterator<Map.Entry<String, PendingChange>> oldestFirst = pending.entrySet().iterator();
    while (oldestFirst.hasNext() && batch.size() < max) {
      Map.Entry<String, PendingChange> next = oldestFirst.next();
      batch.put(next.getKey(), next.getValue().make());
      oldestFirst.remove();
    }
    return batch;
  }

  /** A batch that could not be written: it goes before the changes that came after it. */
  void putBack(Map<String, TenantChange> batch) {
    Map<String, PendingChange> later = pending;
    pending = new LinkedHashMap<>(batch);
    later.values().forEach(this::add);
  }

  Optional<PendingChange> get(String tenant) {
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
