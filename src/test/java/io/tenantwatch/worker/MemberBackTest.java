package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.atEpoch;
import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.resync;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Routing.NodeAnswer;
import io.tenantwatch.domain.Command;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.support.RecordingWorker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member this node sees again (back from a split, or new) runs tenants whose commands this node's workers
 * could not have had while the two were apart, and a member that missed a worker's registration would never
 * deliver to it: the registry tells such a member of its own workers (again) and delivers each one that member's
 * part of its snapshot (docs/contracts.md, "Workers anywhere").
 */
@ExtendWith(VertxExtension.class)
class MemberBackTest {

  /** This node, "here", and a member "there" that comes back and answers with {@code part}. */
  private static final class SplitNodes implements WorkerPeers {
    final List<JsonObject> told = new CopyOnWriteArrayList<>();
    /** The members asked for their workers. */
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** The registrations of the workers on "there", as it answers when asked. */
    volatile List<JsonObject> workersThere = List.of();
    final List<Consumer<SortedSet<String>>> listeners = new CopyOnWriteArrayList<>();
    volatile List<Command> part = List.of();
    /** Whether "there" is a member already and misses the registration's broadcast (its relay not up yet). */
    volatile boolean deafAtRegistration;

    @Override
    public String self() {
      return "here";
    }

    @Override
    public boolean mayIssue(Command command) {
      return true;
    }

    @Override
    public SortedSet<String> members() {
      return new TreeSet<>(deafAtRegistration ? List.of("here", "there") : List.of("here"));
    }

    @Override
    public void onMembersChanged(Consumer<SortedSet<String>> listener) {
      listeners.add(listener);
    }

    @Override
    public Future<List<NodeAnswer>> toOthers(JsonObject body) {
      return Future.succeededFuture(deafAtRegistration && PeerMessages.REGISTERED.equals(body.getString("type"))
          ? List.of(new NodeAnswer("there", null, new IllegalStateException("No handlers for address")))
          : List.of());
    }

    @Override
    public Future<JsonObject> to(String node, JsonObject body) {
      if (PeerMessages.WORKERS.equals(body.getString("type"))) {
        asked.add(node);
        return Future.succeededFuture(new JsonObject().put("workers", new JsonArray(List.copyOf(workersThere))));
      }
      told.add(body.copy().put("to", node));
      return Future.succeededFuture(PeerMessages.entries(part));
    }

    void comesBack() {
      listeners.forEach(listener -> listener.accept(new TreeSet<>(List.of("here", "there"))));
    }
  }

  @Test
  @DisplayName("A member back in the cluster is told of this node's worker and its part of the worker's snapshot is delivered to the worker, each resync before its tenant's latest command")
  void memberBackCatchesTheWorkerUp(Vertx vertx, VertxTestContext test) {
    SplitNodes nodes = new SplitNodes();
    Command paused = snapshotEntry(4, pause("Cust1", 9));
    Command resynced = snapshotEntry(3, resync("Cust2", 5));
    Command resumed = snapshotEntry(4, resume("Cust2", 7));
    nodes.part = List.of(paused, resumed, resynced);
    RecordingWorker worker = new RecordingWorker(vertx);
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT, RegistryProbe.CLOCK, EngineMetrics.unscraped(),
            nodes))
        .compose(id -> worker.register())
        .compose(registered -> {
          nodes.comesBack();
          return worker.await(c -> c.tenant().equals("Cust2") && c.seq() == 7);
        })
        .onComplete(test.succeeding(last -> test.verify(() -> {
          assertThat(nodes.told).singleElement().satisfies(told -> {
            assertThat(told.getString("to")).isEqualTo("there");
            assertThat(told.getString("type")).isEqualTo(PeerMessages.REGISTERED);
            assertThat(told.getBoolean("snapshot")).isTrue();
            assertThat(told.getJsonObject("registration").getString("address")).isEqualTo(worker.address());
          });
          assertThat(worker.commands()).containsExactly(resynced, paused, resumed);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("A member that gave no part at the worker's registration is told of the worker again, and its part follows as commands")
  void memberDeafAtRegistrationIsToldAgain(Vertx vertx, VertxTestContext test) {
    SplitNodes nodes = new SplitNodes();
    nodes.deafAtRegistration = true;
    Command resumed = snapshotEntry(2, resume("Cust3", 4));
    nodes.part = List.of(resumed);
    RecordingWorker worker = new RecordingWorker(vertx);
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT, RegistryProbe.CLOCK, EngineMetrics.unscraped(),
            nodes))
        .compose(id -> worker.register())
        .compose(registered -> {
          test.verify(() -> assertThat(registered.getJsonArray("tenants")).as("the snapshot, without there's part")
              .isEmpty());
          return worker.await(c -> c.tenant().equals("Cust3"));
        })
        .onComplete(test.succeeding(delivered -> test.verify(() -> {
          assertThat(nodes.told).singleElement().satisfies(told -> {
            assertThat(told.getString("to")).isEqualTo("there");
            assertThat(told.getBoolean("snapshot")).isTrue();
          });
          assertThat(worker.commands()).containsExactly(resumed);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("A member seen anew is asked for its workers, and this node delivers each one it did not know its own part: after a merge the member split off may never see the others anew, so it would not tell them")
  void memberBackIsAskedForItsWorkers(Vertx vertx, VertxTestContext test) {
    SplitNodes nodes = new SplitNodes();
    RecordingWorker there = new RecordingWorker(vertx);
    Command ours = resume("Cust4", 6);
    RegistryProbe probe = new RegistryProbe(vertx);
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT, RegistryProbe.CLOCK, EngineMetrics.unscraped(),
            nodes))
        .compose(id -> probe.hand(ours))
        .compose(handed -> there.listen())
        .compose(listening -> {
          nodes.workersThere = List.of(new WorkerRegistration(there.address(), "there's worker", null, 0).toJson()
              .put("node", "there"));
          nodes.comesBack();
          return there.await(c -> c.tenant().equals("Cust4"));
        })
        .onComplete(test.succeeding(delivered -> test.verify(() -> {
          assertThat(nodes.asked).containsExactly("there");
          assertThat(delivered.seq()).isEqualTo(6);
          assertThat(delivered.running()).isTrue();
          test.completeNow();
        })));
  }

  /** The command as a member's part of a snapshot holds it: reason snapshot, at its owner's epoch. */
  private static Command snapshotEntry(long epoch, Command command) {
    return atEpoch(epoch, command.repeated(command.type(), KnownTenants.SNAPSHOT_REASON, Commands.MADE_AT));
  }
}
