package io.tenantwatch.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The store of {@code store.type} {@code memory}: the same behaviour as PostgreSQL, kept in this
 * object, so nothing survives the process. For tests and benchmarks. One instance can serve several
 * engines in turn, which is how tests restart an engine on the same store without a database.
 */
public final class MemoryTenantStore implements TenantStore {

  private static final class Row {
    private final String origin;
    /** Encoded: a JSON tree would cost several times the heap, and a benchmark may hold many tenants. */
    private String snapshot;
    /** Encoded, apart from the snapshot, as PostgreSQL keeps it. */
    private String history = "[]";
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    private Row(String origin) {
      this.origin = origin;
    }
  }

  private final NavigableMap<String, Row> rows = new TreeMap<>();
  private long epoch = -1;

  @Override
  public synchronized Future<Long> begin() {
    epoch++;
    return Future.succeededFuture(epoch);
  }

  @Override
  public synchronized Future<List<StoredTenant>> load(Instant now, String after, int limit) {
    List<StoredTenant> tenants = new ArrayList<>(Math.min(limit, rows.size()));
    for (Map.Entry<String, Row> stored : (after == null ? rows : rows.tailMap(after, false)).entrySet()) {
      if (tenants.size() >= limit) {
        break;
      }
      Row row = stored.getValue();
      row.seen.values().removeIf(until -> !now.isBefore(until));
      List<SeenNotification> seen = new ArrayList<>();
      row.seen.forEach((id, until) -> seen.add(new SeenNotification(id, until)));
      seen.sort((a, b) -> a.rememberUntil().compareTo(b.rememberUntil()));
      JsonObject snapshot = row.snapshot == null ? null : new JsonObject(row.snapshot).put("history", new JsonArray(row.history));
      tenants.add(new StoredTenant(stored.getKey(), row.origin, snapshot, seen));
    }
    return Future.succeededFuture(tenants);
  }

  /** Writes every change: a store in memory serves one engine, never a cluster, so it fences nothing. */
  @Override
  public synchronized Future<WriteOutcome> write(Collection<TenantChange> changes) {
    for (TenantChange change : changes) {
      if (change.reset()) {
        rows.remove(change.tenant());
      }
      if (change.origin() != null) {
        rows.putIfAbsent(change.tenant(), new Row(change.origin()));
      }
      Row row = rows.get(change.tenant());
      if (row == null) {
        continue;
      }
      if (change.snapshot() != null) {
        row.snapshot = change.snapshot().encode();
      }
      if (change.history() != null) {
        row.history = change.history().applyTo(new JsonArray(row.history)).encode();
      }
      change.seen().forEach(s -> row.seen.putIfAbsent(s.id(), s.rememberUntil()));
    }
    return Future.succeededFuture(WriteOutcome.ALL_WRITTEN);
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
