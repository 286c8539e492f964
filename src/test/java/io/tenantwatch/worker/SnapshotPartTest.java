package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.atEpoch;
import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.resync;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Routing.NodeAnswer;
import io.tenantwatch.domain.Command;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster node's part of a registration snapshot is the tenants whose latest command it may still issue, judged
 * by the lease epoch that command went out under (docs/contracts.md, "Workers anywhere"), so a tenant announced by
 * a take still under way is in it, and one whose lease went to another node is not.
 */
@ExtendWith(VertxExtension.class)
class SnapshotPartTest {

  /** A node alone in the cluster that holds each tenant's shard at the epoch in {@code held}, or not at all. */
  private static final class Leases implements WorkerPeers {
    final Map<String, Long> held = new ConcurrentHashMap<>();

    @Override
    public String self() {
      return "here";
    }

    @Override
    public boolean mayIssue(Command command) {
      return held.getOrDefault(command.tenant(), -1L) == command.epoch();
    }

    @Override
    public SortedSet<String> members() {
      return new TreeSet<>(List.of("here"));
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
      return Future.failedFuture("no other member");
    }
  }

  @Test
  @DisplayName("The part holds a tenant whose latest command went out under a lease held now, with its resync from an earlier lease, and leaves out one whose lease went elsewhere")
  void partFollowsTheLeases(Vertx vertx, VertxTestContext test) {
    Leases leases = new Leases();
    RegistryProbe registry = new RegistryProbe(vertx);
    leases.held.put("Cust1", 1L);
    leases.held.put("Cust2", 1L);
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT, RegistryProbe.CLOCK, EngineMetrics.unscraped(),
            leases))
        .compose(id -> registry.hand(atEpoch(1, resync("Cust1", 5))))
        .compose(handed -> registry.hand(atEpoch(1, resume("Cust2", 3))))
        .compose(handed -> {
          // Cust1's shard taken again at epoch 2 (its announcement follows); Cust2's gone to another node.
          leases.held.put("Cust1", 2L);
          leases.held.remove("Cust2");
          return registry.hand(atEpoch(2, resume("Cust1", 6)));
        })
        .compose(handed -> registry.register(new JsonObject().put("address", "test.part").put("name", "part")
            .putNull("tenants")))
        .onComplete(test.succeeding(snapshot -> test.verify(() -> {
          assertThat(snapshot.stream().map(Command::fromBody))
              .extracting(c -> c.tenant() + " " + c.type().wireName() + " " + c.fence())
              .containsExactly("Cust1 resume (2, 6)", "Cust1 resync (1, 5)");
          test.completeNow();
        })));
  }
}
