package io.tenantwatch.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the shard lists of event-bus requests (the shard owner's to the directory, the directory's restore of
 * shards from the store), refusing any entry that is not a shard of the cluster.
 */
public final class ShardList {
  private ShardList() {
  }

  /**
   * {@code {"shards":[n,...]}}.
   *
   * @throws IllegalArgumentException when there is no list, or an entry is not an integer in {@code [0, shardCount)}
   */
  public static Set<Integer> shards(JsonObject body, int shardCount) {
    return shards(array(body), shardCount);
  }

  /** The entries of {@code list}, each an integer in {@code [0, shardCount)}. */
  public static Set<Integer> shards(JsonArray list, int shardCount) {
    Set<Integer> shards = new TreeSet<>();
    for (int i = 0; i < list.size(); i++) {
      shards.add(shard(list.getValue(i), shardCount));
    }
    return shards;
  }

  /** {@code {"shards":[{"shard":n,"epoch":e},...]}}. */
  public static Map<Integer, Long> epochs(JsonObject body, int shardCount) {
    JsonArray list = array(body);
    Map<Integer, Long> epochs = new TreeMap<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject entry)) {
        throw new IllegalArgumentException("each taken shard is {\"shard\":n,\"epoch\":e}");
      }
      Object epoch = entry.getValue("epoch");
      if (!(epoch instanceof Integer || epoch instanceof Long) || ((Number) epoch).longValue() < 1) {
        throw new IllegalArgumentException("a taken shard's epoch is an integer of at least 1");
      }
      epochs.put(shard(entry.getValue("shard"), shardCount), ((Number) epoch).longValue());
    }
    return epochs;
  }

  /**
   * The shards of {@code {"shards":[{"shard":n,"epoch":e,"released":true},...]}} marked {@code "released"}:
   * handed over by their previous owner rather than taken after a lapse.
   */
  public static Set<Integer> released(JsonObject body, int shardCount) {
    Set<Integer> released = new TreeSet<>();
    for (Object entry : array(body)) {
      if (entry instanceof JsonObject taken && Boolean.TRUE.equals(taken.getValue("released"))) {
        released.add(shard(taken.getValue("shard"), shardCount));
      }
    }
    return released;
  }

  private static JsonArray array(JsonObject body) {
    if (body == null || !(body.getValue("shards") instanceof JsonArray list)) {
      throw new IllegalArgumentException("the request needs a shards list");
    }
    return list;
  }

  private static int shard(Object value, int shardCount) {
    if (!(value instanceof Integer shard) || shard < 0 || shard >= shardCount) {
      throw new IllegalArgumentException("a shard is an integer in [0, " + shardCount + "), was " + value);
    }
    return shard;
  }
}
