package io.tenantwatch.store;

import io.tenantwatch.bus.ShardList;
import io.tenantwatch.cluster.TenantShard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Which tenants a {@code restore} asks for: all of them, or, for a cluster node that has just taken shards,
 * only those of {@code "shards"} out of {@code "shardCount"} ({@link TenantShard}).
 */
record ShardFilter(Set<Integer> shards, int shardCount) {
  static final ShardFilter ALL = new ShardFilter(null, 0);

  /** @throws IllegalArgumentException when the shards or their count are not what a shard is */
  static ShardFilter of(JsonObject restore) {
    if (!(restore.getValue("shards") instanceof JsonArray list)) {
      return ALL;
    }
    if (!(restore.getValue("shardCount") instanceof Integer count) || count < 1) {
      throw new IllegalArgumentException("a restore of shards needs shardCount, an integer of at least 1");
    }
    Set<Integer> shards = ShardList.shards(list, count);
    return new ShardFilter(shards, count);
  }

  boolean keeps(String tenant) {
    if (shards == null) {
      return true;
    }
    try {
      return shards.contains(TenantShard.shard(tenant, shardCount));
    } catch (IllegalArgumentException notAContextId) {
      return false;
    }
  }
}
