package io.tenantwatch.node;

import io.tenantwatch.config.ClusterOptions;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What a member tells the others about itself, in its Vert.x cluster node metadata
 * ({@code {"nodeId":"127.0.0.1:5701","shards":128}}): its tenantwatch name, which differs from the random
 * id Vert.x gives the node, and its shard count, which must be the same on every member.
 *
 * @param nodeId the member's {@code cluster.nodeId}
 * @param shards the member's {@code cluster.shards}
 */
public record MemberInfo(String nodeId, int shards) {
  private static final String NODE_ID = "nodeId";
  private static final String SHARDS = "shards";

  /** This node's, from its options. */
  public static MemberInfo of(ClusterOptions options) {
    return new MemberInfo(options.nodeId(), options.shards());
  }

  /**
   * A member's, from its metadata; empty when the metadata carries none (a node that is not a tenantwatch
   * engine, or one whose metadata is not yet readable).
   */
  public static Optional<MemberInfo> readFrom(JsonObject metadata) {
    if (metadata == null || !(metadata.getValue(NODE_ID) instanceof String nodeId)
        || !(metadata.getValue(SHARDS) instanceof Integer shards)) {
      return Optional.empty();
    }
    return Optional.of(new MemberInfo(nodeId, shards));
  }

  /** A copy of {@code metadata} (null reads as empty) with these two fields set, the others kept. */
  public JsonObject writeTo(JsonObject metadata) {
    JsonObject copy = metadata == null ? new JsonObject() : metadata.copy();
    return copy.put(NODE_ID, nodeId).put(SHARDS, shards);
  }
}
