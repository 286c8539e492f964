package io.tenantwatch.node;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.bus.ShardMoving;
import io.tenantwatch.cluster.ShardOwners;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.ClusterOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cluster node's {@link Routing}: a request for a tenant goes to the node that runs its shard
 * ({@link ShardOwners}), here by a local request, elsewhere through that node's {@link NodeRelay}.
 *
 * <p>While the shard is moving (no member runs it, the owner answers that it no longer holds it, or the owner's
 * relay is gone) the request is tried again every {@value #RETRY_MS} ms, each time asking the shard owner to
 * read the lease table again, for at most {@value #MOVING_WAIT_MS} ms or the request's own timeout, whichever
 * is shorter; then it fails with {@link ShardMoving}, whose {@code Retry-After} is the lease time, the longest a
 * dead owner's shards wait before the others take them.
 */
public final class ShardRouting implements Routing {
  /** How long a request for a tenant of a moving shard waits for the new owner at most. */
  static final long MOVING_WAIT_MS = 5_000;
  /** How often it looks for the new owner meanwhile. */
  static final long RETRY_MS = 200;
  /** A relayed request's local request at the other end gets this much less time, so its failure comes back first. */
  private static final long RELAY_MARGIN_MS = 500;
  /** How long a request to every member waits for another member's answer at most. */
  static final long MEMBER_WAIT_MS = 10_000;
  private static final JsonObject LOOK_AGAIN = new JsonObject();

  private final Vertx vertx;
  private final Supplier<ShardOwners> owners;
  private final long retryAfterSeconds;

  /**
   * @param owners who runs each shard now (the shard owner's {@link ShardOwner#owners()})
   * @param options the cluster section: its {@code leaseMs} sets the {@code Retry-After} of a moving shard
   */
  public ShardRouting(Vertx vertx, Supplier<ShardOwners> owners, ClusterOptions options) {
    this.vertx = vertx;
    this.owners = owners;
    this.retryAfterSeconds = Math.max(1, (options.leaseMs() + 999) / 1000);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The request's send timeout bounds it all, the waits for a moving shard and the relay included: a caller
   * that gives 5 s has its answer or its failure within 5 s.
   */
  @Override
  public Future<Routed> toOwner(String tenant, String address, JsonObject body, DeliveryOptions options) {
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MILLISECONDS.toNanos(options.getSendTimeout());
    long movingUntil = started + TimeUnit.MILLISECONDS.toNanos(Math.min(MOVING_WAIT_MS, options.getSendTimeout()));
    return attempt(tenant, address, body, deadline, movingUntil);
  }

  private Future<Routed> attempt(String tenant, String address, JsonObject body, long deadline, long movingUntil) {
    ShardOwners now = owners.get();
    ShardOwners.Route route = now.route(tenant);
    long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(leftMs);
    Future<Routed> sent;
    if (route instanceof ShardOwners.Route.There there) {
      sent = relay(there.node(), address, body, options)
          .map(answer -> new Routed(there.node(), answer))
          .recover(failure -> Future.failedFuture(movedAway(failure) ? moving(tenant, now) : failure));
    } else if (route instanceof ShardOwners.Route.Here) {
      sent = local(address, body, options).map(answer -> new Routed(now.self(), answer));
    } else {
      sent = Future.failedFuture(moving(tenant, now));
    }
    return sent.recover(failure -> {
      if (!(failure instanceof ShardMoving) && !notHeldHere(failure)) {
        return Future.failedFuture(failure);
      }
      long retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
      if (retryAt - movingUntil > 0 || retryAt - deadline > 0) {
        return Future.failedFuture(failure instanceof ShardMoving ? failure : moving(tenant, now));
      }
      vertx.eventBus().send(Addresses.SHARDS_REFRESH, LOOK_AGAIN);
      Promise<Routed> next = Promise.promise();
      vertx.setTimer(RETRY_MS, id -> attempt(tenant, address, body, deadline, movingUntil).onComplete(next));
      return next.future();
    });
  }

  @Override
  public List<Integer> movingShards() {
    ShardOwners now = owners.get();
    List<Integer> moving = new ArrayList<>();
    for (int shard = 0; shard < now.shards(); shard++) {
      if (now.ownerOf(shard).isEmpty()) {
        moving.add(shard);
      }
    }
    return moving;
  }

  @Override
  public Future<List<NodeAnswer>> toEveryNode(String address, JsonObject body, DeliveryOptions options) {
    ShardOwners now = owners.get();
    SortedSet<String> nodes = new TreeSet<>(now.members());
    nodes.add(now.self());
    return toNodes(nodes, address, body, options);
  }

  /** Sends {@code body} to {@code address} on each of {@code nodes} (this one by a local request); each one's answer. */
  public Future<List<NodeAnswer>> toNodes(Collection<String> nodes, String address, JsonObject body,
      DeliveryOptions options) {
    String self = owners.get().self();
    List<String> order = List.copyOf(nodes);
    List<Future<JsonObject>> answers = new ArrayList<>();
    // Another member gets at most MEMBER_WAIT_MS: a frozen one is named unanswered rather than holding the answer.
    DeliveryOptions remote = new DeliveryOptions().setSendTimeout(Math.min(MEMBER_WAIT_MS, options.getSendTimeout()));
    for (String node : order) {
      answers.add(node.equals(self) ? local(address, body, options) : relay(node, address, body, remote));
    }
    return Future.join(answers).transform(done -> {
      List<NodeAnswer> all = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        Future<JsonObject> answer = answers.get(i);
        all.add(new NodeAnswer(order.get(i), answer.succeeded() ? answer.result() : null, answer.cause()));
      }
      return Future.succeededFuture(all);
    });
  }

  /**
   * A clustered consumer: a publication reaches each member's clustered consumers once, the publishing member's
   * among them, over its local delivery.
   */
  @Override
  public <T> MessageConsumer<T> everyNodesPublications(String address, Handler<Message<T>> handler) {
    return vertx.eventBus().consumer(address, handler);
  }

  private Future<JsonObject> local(String address, JsonObject body, DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(reply -> reply.body());
  }

  /** The hop takes the request's whole timeout; the local request at the other end a little less, so its failure comes back first. */
  private Future<JsonObject> relay(String node, String address, JsonObject body, DeliveryOptions options) {
    long timeoutMs = options.getSendTimeout();
    long localMs = Math.max(1, Math.min(timeoutMs - RELAY_MARGIN_MS, timeoutMs * 4 / 5));
    DeliveryOptions hop = new DeliveryOptions().setSendTimeout(timeoutMs);
    return vertx.eventBus().<JsonObject>request(Addresses.node(node), NodeRelay.envelope(address, body, localMs), hop)
        .map(reply -> reply.body())
        .recover(failure -> Future.failedFuture(relayFailure(failure)));
  }

  /** The relay's own absence is kept as it is (the node is gone); what it relayed back is the owner's local failure. */
  private static Throwable relayFailure(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return new NodeGone(reply.getMessage());
    }
    return NodeRelay.unwrap(failure);
  }

  private static boolean movedAway(Throwable failure) {
    return failure instanceof NodeGone || notHeldHere(failure);
  }

  /** The node asked answered that it does not hold the tenant's shard (any more, or not yet). */
  private static boolean notHeldHere(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == Failures.NOT_OWNER;
  }

  private ShardMoving moving(String tenant, ShardOwners now) {
    return new ShardMoving(TenantShard.shard(tenant, now.shards()), retryAfterSeconds);
  }

  /** The node a request was relayed to has no relay any more: it left the cluster. */
  private static final class NodeGone extends RuntimeException {
    NodeGone(String message) {
      super(message, null, false, false);
    }
  }
}
