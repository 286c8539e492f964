package io.tenantwatch.worker;

import io.tenantwatch.bus.Routing.NodeAnswer;
import io.tenantwatch.domain.Command;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A cluster node's peers reduced to the node alone, which may issue the commands {@code mayIssue} lets through. */
final class MemberAlone implements WorkerPeers {
  private final String self;
  private final Predicate<Command> mayIssue;

  MemberAlone(String self, Predicate<Command> mayIssue) {
    this.self = self;
    this.mayIssue = mayIssue;
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public boolean mayIssue(Command command) {
    return mayIssue.test(command);
  }

  @Override
  public SortedSet<String> members() {
    return new TreeSet<>(List.of(self));
  }

  // Alone, the node has no other member to hear of, ask or tell: as a single engine.
  @Override
  public void onMembersChanged(Consumer<SortedSet<String>> listener) {
    NONE.onMembersChanged(listener);
  }

  @Override
  public Future<List<NodeAnswer>> toOthers(JsonObject body) {
    return NONE.toOthers(body);
  }

  @Override
  public Future<JsonObject> to(String node, JsonObject body) {
    return NONE.to(node, body);
  }
}
