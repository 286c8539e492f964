package io.tenantwatch.worker;

import io.tenantwatch.bus.Routing.NodeAnswer;
import io.tenantwatch.domain.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The other members' worker registries, as a cluster node's {@link WorkerRegistry} reaches them
 * (docs/contracts.md, "Workers anywhere"): every registry knows every worker in the cluster and delivers its
 * own tenants' commands to each, and a registration's snapshot is put together from the part each member runs.
 * A single engine has none ({@link #NONE}).
 */
public interface WorkerPeers {
  /** A single engine's: no other member, and every tenant runs here. */
  WorkerPeers NONE = new WorkerPeers() {
    @Override
    public String self() {
      return null;
    }

    @Override
    public boolean mayIssue(Command command) {
      return true;
    }

    @Override
    public SortedSet<String> members() {
      return new TreeSet<>();
    }

    @Override
    public void onMembersChanged(Consumer<SortedSet<String>> listener) {
    }

    @Override
    public Future<List<NodeAnswer>> toOthers(JsonObject body) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<JsonObject> to(String node, JsonObject body) {
      return Future.failedFuture(new IllegalStateException("a single engine has no other member"));
    }
  };

  /** This node's {@code cluster.nodeId}; null on a single engine. */
  String self();

  /**
   * Whether this node may still send {@code command}: it holds the command's tenant's shard under the
   * command's epoch, within the lease's deadline. A command from a tenant whose lease has lapsed, or may have,
   * goes to no worker: the tenant's new owner speaks for it now.
   */
  boolean mayIssue(Command command);

  /** The current members, this node among them. */
  SortedSet<String> members();

  /** Calls {@code listener} with the members whenever they change, on any thread. */
  void onMembersChanged(Consumer<SortedSet<String>> listener);

  /** Sends {@code body} to the registry of every other member; each one's answer, or why it gave none. */
  Future<List<NodeAnswer>> toOthers(JsonObject body);

  /** Sends {@code body} to the registry of {@code node}. */
  Future<JsonObject> to(String node, JsonObject body);
}
