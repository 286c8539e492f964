package io.tenantwatch.node;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A cluster node's one clustered consumer, at {@link Addresses#node}: the other members' requests for this
 * node's tenants, directory and worker registry arrive here and are carried to those local addresses. Tenants
 * keep local consumers, so the cluster manager's subscription map holds one entry per node, not one per tenant.
 *
 * <p>A request is {@code {"address","body","timeoutMs"}}; it is answered with the local answer. A local
 * failure is passed on with its code, and a local {@code NO_HANDLERS} or {@code TIMEOUT} as
 * {@link #NO_HANDLERS} or {@link #TIMEOUT}, which {@link ShardRouting} turns back into the same failure, so
 * a request relayed here fails as it would have locally. Only the engine's own addresses are relayed.
 */
public final class NodeRelay extends VerticleBase {
  /** The failure code of a relayed request that found no local handler. */
  static final int NO_HANDLERS = -1;
  /** The failure code of a relayed request whose local answer did not come in time. */
  static final int TIMEOUT = -2;
  /** How long a relayed request waits for its local answer when the sender names no time. */
  static final long DEFAULT_TIMEOUT_MS = DeliveryOptions.DEFAULT_TIMEOUT;

  private final String nodeId;

  public NodeRelay(String nodeId) {
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.node(nodeId), this::relay).completion();
  }

  /** The request {@code node}'s relay carries to {@code address}, answered within {@code timeoutMs}. */
  static JsonObject envelope(String address, JsonObject body, long timeoutMs) {
    return new JsonObject().put("address", address).put("body", body).put("timeoutMs", timeoutMs);
  }

  /** A failure that came back from a relay, as the local request at the owner failed. */
  static Throwable unwrap(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      if (reply.failureCode() == NO_HANDLERS) {
        return new ReplyException(ReplyFailure.NO_HANDLERS, reply.getMessage());
      }
      if (reply.failureCode() == TIMEOUT) {
        return new ReplyException(ReplyFailure.TIMEOUT, reply.getMessage());
      }
    }
    return failure;
  }

  private void relay(Message<JsonObject> message) {
    JsonObject envelope = message.body();
    if (envelope == null || !(envelope.getValue("address") instanceof String address) || !relayable(address)
        || !(envelope.getValue("body") instanceof JsonObject body)) {
      message.fail(Failures.MALFORMED, "a relayed request is {\"address\",\"body\",\"timeoutMs\"} for one of the "
          + "engine's addresses");
      return;
    }
    long timeoutMs = envelope.getLong("timeoutMs", DEFAULT_TIMEOUT_MS);
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(Math.max(1, timeoutMs));
    vertx.eventBus().<Object>request(address, body, local).onComplete(
        answer -> message.reply(answer.body()),
        failure -> message.fail(codeOf(failure), failure.getMessage()));
  }

  private static int codeOf(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> NO_HANDLERS;
        case TIMEOUT -> TIMEOUT;
        default -> reply.failureCode();
      };
    }
    return Failures.FAILED;
  }

  /** The tenants, the directory and the worker registry's peer address: nothing else of the node. */
  private static boolean relayable(String address) {
    return Addresses.isTenant(address) || address.equals(Addresses.DIRECTORY) || address.equals(Addresses.WORKERS_PEER)
        || address.equals(Addresses.WORKERS_LIST);
  }
}
