package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.atEpoch;
import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.resync;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  @Test
  @DisplayName("The part holds a tenant whose latest command went out under a lease held now, with its resync from an earlier lease, and leaves out one whose lease went elsewhere")
  void partFollowsTheLeases(Vertx vertx, VertxTestContext test) {
    // Alone in the cluster, holding each tenant's shard at the epoch in held, or not at all.
    Map<String, Long> held = new ConcurrentHashMap<>();
    WorkerPeers leases = new MemberAlone("here", command -> held.getOrDefault(command.tenant(), -1L) == command.epoch());
    RegistryProbe registry = new RegistryProbe(vertx);
    held.put("Cust1", 1L);
    held.put("Cust2", 1L);
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT, RegistryProbe.CLOCK, EngineMetrics.unscraped(),
            leases))
        .compose(id -> registry.hand(atEpoch(1, resync("Cust1", 5))))
        .compose(handed -> registry.hand(atEpoch(1, resume("Cust2", 3))))
        .compose(handed -> {
          // Cust1's shard taken again at epoch 2 (its announcement follows); Cust2's gone to another node.
          held.put("Cust1", 2L);
          held.remove("Cust2");
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
