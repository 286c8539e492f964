package io.tenantwatch.node;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Routing.NodeAnswer;
import io.tenantwatch.domain.Command;
import io.tenantwatch.worker.WorkerPeers;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * A cluster node's {@link WorkerPeers}: the other members' registries through their {@link NodeRelay}s (by the
 * node's {@link ShardRouting}), the members from the {@link Membership}, and the tenants this node runs from its
 * {@link ShardOwner}.
 */
public final class ClusterWorkerPeers implements WorkerPeers {
  /** A peer that does not answer within this is left out of a snapshot (its tenants announce themselves). */
  static final DeliveryOptions PEER_WAIT = new DeliveryOptions().setSendTimeout(3_000);

  private final ShardRouting routing;
  private final Membership membership;
  private final ShardOwner owner;

  public ClusterWorkerPeers(ShardRouting routing, Membership membership, ShardOwner owner) {
    this.routing = routing;
    this.membership = membership;
    this.owner = owner;
  }

  @Override
  public String self() {
    return membership.self();
  }

  @Override
  public boolean mayIssue(Command command) {
    return owner.mayIssue(command.tenant(), command.epoch());
  }

  @Override
  public SortedSet<String> members() {
    return membership.members();
  }

  @Override
  public void onMembersChanged(Consumer<SortedSet<String>> listener) {
    membership.onChange(listener);
  }

  @Override
  public Future<List<NodeAnswer>> toOthers(JsonObject body) {
    List<String> others = members().stream().filter(node -> !node.equals(self())).toList();
    return routing.toNodes(others, Addresses.WORKERS_PEER, body, PEER_WAIT);
  }

  @Override
  public Future<JsonObject> to(String node, JsonObject body) {
    return routing.toNodes(List.of(node), Addresses.WORKERS_PEER, body, PEER_WAIT).compose(answers -> {
      NodeAnswer answer = answers.get(0);
      return answer.answered() ? Future.succeededFuture(answer.body()) : Future.failedFuture(answer.failure());
    });
  }
}
