package io.tenantwatch.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Carries requests to the node that runs a tenant (docs/contracts.md, "Routing"). On a single engine every
 * tenant runs here and a request is a plain local one ({@link #local}); on a cluster node it goes to the
 * tenant's owner over the clustered event bus, through that node's one relay, and a request for a tenant whose
 * shard is moving waits for the new owner within a deadline, then fails with {@link ShardMoving}.
 *
 * <p>Either way the caller sees the failures a local request would give: a {@code NO_HANDLERS} or
 * {@code TIMEOUT} at the owner is that same failure here, and a recipient's failure keeps its code.
 */
public interface Routing {

  /** Every request local: a single engine's routing. */
  static Routing local(Vertx vertx) {
    return new LocalRouting(vertx);
  }

  /**
   * Sends {@code body} to {@code address} (a tenant's own address, or the directory) on the node that runs
   * {@code tenant}.
   *
   * @return the answer and the node that gave it
   */
  Future<Routed> toOwner(String tenant, String address, JsonObject body, DeliveryOptions options);

  /**
   * The shards no member runs now, as this node sees them: a listing of every node's tenants lacks theirs until
   * their new owner runs them. Always empty on a single engine.
   */
  default List<Integer> movingShards() {
    return List.of();
  }

  /** Sends {@code body} to {@code address} on every member, this node included; each member's answer or failure. */
  Future<List<NodeAnswer>> toEveryNode(String address, JsonObject body, DeliveryOptions options);

  /**
   * Hears what every node publishes on {@code address}, each message once, this node's own included: a
   * clustered consumer on a cluster node, a local one on a single engine (which then hears no other engine
   * that shares its clustered {@code Vertx}). Its {@code completion()} says when other nodes' publications
   * reach it.
   */
  <T> MessageConsumer<T> everyNodesPublications(String address, Handler<Message<T>> handler);

  /**
   * An answer and the node that gave it.
   *
   * @param node the answering node's {@code cluster.nodeId}; null on a single engine
   * @param body the answer
   */
  record Routed(String node, JsonObject body) {
  }

  /**
   * One member's answer to a request sent to every member: its body, or why it gave none.
   *
   * @param node the member's {@code cluster.nodeId}; null on a single engine
   * @param body the answer, null when the request failed
   * @param failure why the member gave no answer, null when it did
   */
  record NodeAnswer(String node, JsonObject body, Throwable failure) {
    public boolean answered() {
      return failure == null;
    }
  }
}
