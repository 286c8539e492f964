package io.tenantwatch.store;

import io.tenantwatch.cluster.TenantShard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The write fence of a cluster node: a tenant's change is written only while this node holds the lease of
 * the tenant's shard under the change's epoch. Several nodes share the database by design, so there is no
 * engine lock; instead each write's transaction locks the lease rows of its shards {@code FOR SHARE} before
 * it writes. A takeover's compare-and-set updates those rows, so it waits for every write that checked them
 * to commit, and every write that checks them after it sees the new owner and is refused: no stale write
 * can commit after a takeover. A change of epoch 0 (unclustered) or of a tenant id outside every shard is
 * refused too.
 */
final class LeaseFence implements WriteFence {
  // Ascending, so that writes and takes (which also go by ascending shard) lock rows in one order.
  private static final String CURRENT = "SELECT shard, owner, epoch FROM shard_lease "
      + "WHERE shard = ANY($1::int[]) ORDER BY shard FOR SHARE";

  private final String nodeId;
  private final int shards;

  LeaseFence(String nodeId, int shards) {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("a node id must not be null or blank");
    }
    this.nodeId = nodeId;
    this.shards = TenantShard.requireShardCount(shards);
  }

  int shards() {
    return shards;
  }

  @Override
  public Future<Void> ready() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Set<String>> refused(SqlConnection conn, Collection<TenantChange> changes) {
    Map<TenantChange, Integer> shardOf = new HashMap<>();
    Set<String> refused = new LinkedHashSet<>();
    for (TenantChange change : changes) {
      try {
        shardOf.put(change, TenantShard.shard(change.tenant(), shards));
      } catch (IllegalArgumentException notInAShard) {
        refused.add(change.tenant());
      }
    }
    if (shardOf.isEmpty()) {
      return Future.succeededFuture(refused);
    }
    Integer[] locked = new TreeSet<>(shardOf.values()).toArray(new Integer[0]);
    return conn.preparedQuery(CURRENT).execute(Tuple.of((Object) locked)).map(rows -> {
      Map<Integer, Row> current = new HashMap<>();
      rows.forEach(row -> current.put(row.getInteger("shard"), row));
      shardOf.forEach((change, shard) -> {
        Row lease = current.get(shard);
        if (lease == null || !nodeId.equals(lease.getString("owner")) || lease.getLong("epoch") != change.epoch()) {
          refused.add(change.tenant());
        }
      });
      return refused;
    });
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
