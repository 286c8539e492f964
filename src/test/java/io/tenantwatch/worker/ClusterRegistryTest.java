package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resume;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.support.RecordingWorker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cluster node's registry, with its peers reduced to one node alone: it sends a tenant's command only while
 * the node holds the tenant's shard in time (WorkerPeers.mayIssue, which a cluster node answers from its lease
 * deadlines), so a node woken from a pause longer than its lease has none of its tenants' last poll results
 * reach a worker. (MemberBackTest: a member that learns of a worker late.)
 */
@ExtendWith(VertxExtension.class)
class ClusterRegistryTest {

  @Test
  @DisplayName("A command whose tenant's lease this node no longer holds in time goes to no worker and is counted dropped")
  void commandAfterTheLeaseIsDropped(Vertx vertx, VertxTestContext test) {
    // Alone in its cluster, holding Cust1's shard until its lease is gone.
    AtomicBoolean leaseGone = new AtomicBoolean();
    WorkerPeers node = new MemberAlone("alone", command -> !leaseGone.get());
    RecordingWorker worker = new RecordingWorker(vertx);
    RegistryProbe registry = new RegistryProbe(vertx);
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT, RegistryProbe.CLOCK,
            io.tenantwatch.metrics.EngineMetrics.unscraped(), node))
        .compose(id -> worker.register())
        .compose(registered -> registry.hand(resume("Cust1", 1)))
        .compose(accepted -> worker.await(c -> c.seq() == 1))
        .compose(delivered -> {
          leaseGone.set(true);
          return registry.hand(pause("Cust1", 2));
        })
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.getBoolean("accepted")).isFalse();
          assertThat(answer.getInteger("workers")).isZero();
          // The registry answered once it had decided: nothing is on its way to the worker.
          assertThat(worker.commandsFor("Cust1")).extracting(Command::seq).containsExactly(1L);
          test.completeNow();
        })));
  }
}
