package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.apiOf;
import static io.tenantwatch.worker.Commands.endpointOf;
import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.retire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TenantGate#tenants()}: the gate lists every tenant it knows with the command whose state it
 * holds, closed ones included. The test body runs on JUnit's thread, not a Vert.x one, as a worker's
 * blocking code would: every {@code tenants()} here is read from outside Vert.x.
 */
@ExtendWith(VertxExtension.class)
class TenantGateListTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);
  private static final long WAIT_S = 30;

  private Vertx vertx;
  private RegistryProbe registry;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.registry = new RegistryProbe(vertx);
    await(registry.deploy(PATIENT));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("at registration the gate lists every tenant in order: open with its resume, closed with its pause, "
      + "retired with its retire")
  void listsTheSnapshot() throws Exception {
    await(registry.hand(pause("Cust3", 7)));
    await(registry.hand(resume("Cust1", 4)));
    await(registry.hand(resume("Cust2", 5)));
    await(registry.hand(retire("Cust2", 6)));
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("lister"));
    TenantGate narrow = TenantGate.create(vertx, new TenantGateOptions("narrow").withTenants(Set.of("Cust3")));
    await(gate.start());
    await(narrow.start());

    assertThat(Vertx.currentContext()).as("read from outside Vert.x").isNull();
    Map<String, Command> tenants = gate.tenants();
    assertThat(tenants).containsOnlyKeys("Cust1", "Cust2", "Cust3");
    assertThat(tenants.keySet()).containsExactly("Cust1", "Cust2", "Cust3");
    assertThat(tenants.get("Cust1")).satisfies(open -> {
      assertThat(open.type()).isEqualTo(CommandType.RESUME);
      assertThat(open.reason()).isEqualTo(KnownTenants.SNAPSHOT_REASON);
      assertThat(open.seq()).isEqualTo(4);
      assertThat(open.running()).isTrue();
      assertThat(open.api()).isEqualTo(apiOf("Cust1"));
    });
    assertThat(tenants.get("Cust3")).as("closed at registration: no handler ran, it is listed all the same")
        .satisfies(closed -> {
          assertThat(closed.type()).isEqualTo(CommandType.PAUSE);
          assertThat(closed.reason()).isEqualTo(KnownTenants.SNAPSHOT_REASON);
          assertThat(closed.seq()).isEqualTo(7);
          assertThat(closed.running()).isFalse();
          assertThat(closed.endpoint()).isEqualTo(endpointOf("Cust3"));
        });
    assertThat(tenants.get("Cust2")).as("retired before the gate heard of it").satisfies(gone -> {
      assertThat(gone.type()).isEqualTo(CommandType.RETIRE);
      assertThat(gone.seq()).isEqualTo(6);
      assertThat(gone.running()).isFalse();
      assertThat(gone.api()).isNull();
      assertThat(gone.endpoint()).isNull();
    });
    assertThat(tenants).allSatisfy((ctx, command) -> {
      assertThat(command.tenant()).isEqualTo(ctx);
      assertThat(command.running()).isEqualTo(gate.isRunning(ctx));
      assertThat(command.api()).isEqualTo(gate.api(ctx));
      assertThat(command.endpoint()).isEqualTo(gate.endpoint(ctx));
      assertThat(command.seq()).isEqualTo(gate.lastSeq(ctx));
    });
    assertThat(narrow.tenants()).as("only the tenants the gate follows").containsOnlyKeys("Cust3");
  }

  @Test
  @DisplayName("a live command for a new tenant lists it as it arrives, before its handler has finished")
  void listsANewTenantAtOnce() throws Exception {
    Promise<Void> held = Promise.promise();
    CompletableFuture<Command> called = new CompletableFuture<>();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("new"))
        .onPause(command -> {
          called.complete(command);
          return held.future();
        });
    await(gate.start());
    assertThat(gate.tenants()).isEmpty();

    Future<?> acked = vertx.eventBus().request(gate.address(), pause("Cust9", 2).toJson());
    called.get(WAIT_S, TimeUnit.SECONDS);
    assertThat(gate.tenants()).containsOnlyKeys("Cust9");
    assertThat(gate.tenants().get("Cust9")).isEqualTo(pause("Cust9", 2));
    held.complete();
    await(acked);
    assertThat(gate.tenants()).containsExactly(Map.entry("Cust9", pause("Cust9", 2)));
  }

  @Test
  @DisplayName("a live retire stays listed with its retire; its endpoint and api go once its handler succeeded")
  void keepsARetiredTenant() throws Exception {
    Promise<Void> held = Promise.promise();
    CompletableFuture<Command> retiring = new CompletableFuture<>();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("retirer"))
        .onRetire(command -> {
          retiring.complete(command);
          return held.future();
        });
    await(gate.start());
    await(vertx.eventBus().request(gate.address(), resume("Cust1", 1).toJson()));
    await(vertx.eventBus().request(gate.address(), resume("Cust2", 1).toJson()));

    Future<?> acked = vertx.eventBus().request(gate.address(), retire("Cust1", 2).toJson());
    retiring.get(WAIT_S, TimeUnit.SECONDS);
    assertThat(gate.tenants().get("Cust1")).as("while the retire handler runs it may still need the api")
        .isEqualTo(retire("Cust1", 2));
    held.complete();
    await(acked);

    Map<String, Command> tenants = gate.tenants();
    assertThat(tenants.keySet()).containsExactly("Cust1", "Cust2");
    assertThat(tenants.get("Cust1")).satisfies(gone -> {
      assertThat(gone.type()).isEqualTo(CommandType.RETIRE);
      assertThat(gone.seq()).isEqualTo(2);
      assertThat(gone.running()).isFalse();
      assertThat(gone.api()).isNull();
      assertThat(gone.endpoint()).isNull();
      assertThat(gate.api("Cust1")).isNull();
      assertThat(gate.endpoint("Cust1")).isNull();
    });
    assertThat(tenants.get("Cust2")).isEqualTo(resume("Cust2", 1));
  }

  @Test
  @DisplayName("the map is an immutable snapshot: later commands change the next map, not one returned before")
  void returnsASnapshot() throws Exception {
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("snap"));
    await(gate.start());
    await(vertx.eventBus().request(gate.address(), resume("Cust1", 1).toJson()));
    Map<String, Command> before = gate.tenants();

    await(vertx.eventBus().request(gate.address(), pause("Cust1", 2).toJson()));
    await(vertx.eventBus().request(gate.address(), resume("Cust2", 1).toJson()));

    assertThat(before).containsExactly(Map.entry("Cust1", resume("Cust1", 1)));
    assertThatThrownBy(() -> before.put("Cust3", resume("Cust3", 1)))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> before.remove("Cust1")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(gate.tenants()).containsExactly(Map.entry("Cust1", pause("Cust1", 2)),
        Map.entry("Cust2", resume("Cust2", 1)));
  }

  @Test
  @DisplayName("it can be read from a thread of the worker's own, while the gate takes commands on its context")
  void readsFromAnyThread() throws Exception {
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("threads"));
    await(gate.start());
    int tenants = 200;
    AtomicBoolean allAcked = new AtomicBoolean();
    CompletableFuture<Map<String, Command>> seen = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        // Reads while commands arrive, until they are all acknowledged: never a torn entry, never an exception.
        boolean last;
        Map<String, Command> read;
        do {
          last = allAcked.get();
          read = gate.tenants();
          read.forEach((ctx, command) -> {
            if (!command.tenant().equals(ctx) || command.api() == null || !command.running()) {
              throw new AssertionError("a torn entry for " + ctx + ": " + command);
            }
          });
          Thread.yield();
        } while (!last);
        seen.complete(read);
      } catch (RuntimeException | AssertionError e) {
        seen.completeExceptionally(e);
      }
    }, "worker-own-thread");
    reader.setDaemon(true);
    reader.start();
    List<Future<?>> acks = new ArrayList<>();
    for (int i = 1; i <= tenants; i++) {
      acks.add(vertx.eventBus().request(gate.address(), resume("Cust" + i, 1).toJson()));
    }
    await(Future.all(acks));
    allAcked.set(true);
    Map<String, Command> all = seen.get(WAIT_S, TimeUnit.SECONDS);
    assertThat(all).hasSize(tenants).containsEntry("Cust200", resume("Cust200", 1));
    assertThat(new ArrayList<>(all.keySet())).isSorted();
  }
}
