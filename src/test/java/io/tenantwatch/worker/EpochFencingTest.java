package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.atEpoch;
import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resume;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.Command;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fencing at the workers (DESIGN, "More than one node": Fencing): commands are ordered by {@code (epoch, seq)},
 * so a new owner's commands are applied though their seq is lower, and a stale owner's are acknowledged and
 * ignored though their seq is higher. On a real event bus, the gate and the registry each on their own.
 */
@ExtendWith(VertxExtension.class)
class EpochFencingTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  private Vertx vertx;
  private RegistryProbe registry;
  /** Every handler call, in order, as "type:epoch:seq". */
  private final Queue<String> calls = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.registry = new RegistryProbe(vertx);
  }

  private TenantGate gate(String name) {
    return TenantGate.create(vertx, new TenantGateOptions(name))
        .onPause(this::record)
        .onResume(this::record);
  }

  private Future<Void> record(Command command) {
    calls.add(command.type().wireName() + ":" + command.epoch() + ":" + command.seq());
    return Future.succeededFuture();
  }

  /** Sends each command straight to the gate, one after the other, and collects the acknowledgements. */
  private Future<List<JsonObject>> sendInTurn(TenantGate gate, List<Command> commands) {
    List<JsonObject> acks = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Command command : commands) {
      chain = chain.compose(v -> vertx.eventBus().<JsonObject>request(gate.address(), command.toJson()))
          .map(reply -> {
            acks.add(reply.body());
            return null;
          });
    }
    return chain.map(v -> acks);
  }

  private static JsonObject ack(long seq, long epoch) {
    return new JsonObject().put("ok", true).put("seq", seq).put("epoch", epoch);
  }

  @Test
  @DisplayName("the gate applies a higher epoch with a lower seq, and acknowledges and ignores a lower epoch with a "
      + "higher seq and an equal pair")
  void gateOrdersByEpochThenSeq(VertxTestContext testContext) {
    TenantGate gate = gate("fenced");
    List<Command> commands = List.of(
        atEpoch(1, resume("Cust1", 900)),
        atEpoch(2, pause("Cust1", 5)),
        atEpoch(1, resume("Cust1", 901)),
        atEpoch(2, resume("Cust1", 5)),
        atEpoch(2, resume("Cust1", 6)),
        atEpoch(1, pause("Cust1", 1_000_000)));
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> sendInTurn(gate, commands))
        .onComplete(testContext.succeeding(acks -> testContext.verify(() -> {
          assertThat(acks).as("every command is acknowledged, the ignored ones too; the applied pause with the "
              + "calls it left in flight").containsExactly(
              ack(900, 1), ack(5, 2).put("inFlight", 0), ack(901, 1), ack(5, 2), ack(6, 2), ack(1_000_000, 1));
          assertThat(calls).as("only the rising (epoch, seq) pairs reach a handler")
              .containsExactly("resume:1:900", "pause:2:5", "resume:2:6");
          assertThat(gate.isRunning("Cust1")).isTrue();
          assertThat(gate.lastSeq("Cust1")).isEqualTo(6);
          assertThat(gate.tenants().get("Cust1").epoch()).isEqualTo(2);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the gate closes for a new owner's pause at a lower seq, and a stale owner's resume does not reopen it")
  void staleOwnerCannotReopen(VertxTestContext testContext) {
    TenantGate gate = gate("closed-by-new-owner");
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> sendInTurn(gate, List.of(atEpoch(4, resume("Cust2", 70)), atEpoch(5, pause("Cust2", 71)),
            atEpoch(4, resume("Cust2", 72)))))
        .onComplete(testContext.succeeding(acks -> testContext.verify(() -> {
          assertThat(gate.isRunning("Cust2")).isFalse();
          assertThat(gate.tenants().get("Cust2").fence()).isEqualTo(new Fence(5, 71));
          assertThat(calls).containsExactly("resume:4:70", "pause:5:71");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the registry takes a new owner's command at a lower seq, refuses a stale owner's, and its snapshot "
      + "carries the new epoch")
  void registryOrdersByEpochThenSeq(VertxTestContext testContext) {
    registry.deploy(PATIENT)
        .compose(id -> registry.hand(atEpoch(1, pause("Cust3", 40))))
        .compose(first -> {
          testContext.verify(() -> assertThat(first.getBoolean("accepted")).isTrue());
          return registry.hand(atEpoch(2, resume("Cust3", 3)));
        })
        .compose(newOwner -> {
          testContext.verify(() -> assertThat(newOwner.getBoolean("accepted")).as("a new owner's lower seq").isTrue());
          return registry.hand(atEpoch(1, pause("Cust3", 41)));
        })
        .compose(staleOwner -> {
          testContext.verify(() -> assertThat(staleOwner.getBoolean("accepted")).as("a stale owner's higher seq")
              .isFalse());
          return registry.register(new JsonObject().put("address", "test.late").put("name", "late")
              .put("tenants", (JsonArray) null));
        })
        .onComplete(testContext.succeeding(snapshot -> testContext.verify(() -> {
          assertThat(snapshot).hasSize(1);
          Command entry = Command.fromJson(snapshot.getJsonObject(0));
          assertThat(entry.type().wireName()).isEqualTo("resume");
          assertThat(entry.epoch()).isEqualTo(2);
          assertThat(entry.seq()).isEqualTo(3);
          assertThat(entry.reason()).isEqualTo("snapshot");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a worker's last acknowledgement shows the (epoch, seq) pair, and an older owner's retry is moot")
  void registryTracksAcknowledgedPairs(VertxTestContext testContext) {
    TenantGate gate = gate("acked");
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(atEpoch(3, resume("Cust4", 9))))
        .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
        .compose(one -> registry.hand(atEpoch(4, pause("Cust4", 2))))
        .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 2))
        .onComplete(testContext.succeeding(worker -> testContext.verify(() -> {
          assertThat(worker.getJsonObject("lastAck").getString("tenant")).isEqualTo("Cust4");
          assertThat(worker.getJsonObject("lastAck").getLong("seq")).isEqualTo(2);
          assertThat(worker.getJsonObject("lastAck").getLong("epoch")).isEqualTo(4);
          assertThat(calls).containsExactly("resume:3:9", "pause:4:2");
          testContext.completeNow();
        })));
  }
}
