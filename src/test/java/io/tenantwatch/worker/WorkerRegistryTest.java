package io.tenantwatch.worker;

import java.util.Map;

import java.util.HashMap;

import static io.tenantwatch.worker.Commands.apiOf;
import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.resync;
import static io.tenantwatch.worker.Commands.retire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WorkerRegistryTest {
  private static final DeliveryPolicy QUICK = new DeliveryPolicy(200, 5, 20);
  /** For tests that count retries: no attempt should time out on a busy machine. */
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  private Vertx vertx;
  private RegistryProbe registry;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.registry = new RegistryProbe(vertx);
  }

  private static JsonObject registration(String address, String name, JsonArray tenants) {
    return new JsonObject().put("address", address).put("name", name).put("tenants", tenants);
  }

  private static List<Command> commands(JsonArray snapshot) {
    return snapshot.stream().map(JsonObject.class::cast).map(Command::fromJson).toList();
  }

  @Test
  @DisplayName("registering replies with a snapshot command for every known tenant the worker follows")
  void registerRepliesWithSnapshot(VertxTestContext testContext) {
    registry.deploy(QUICK)
        .compose(id -> registry.hand(resume("Cust1", 4)))
        .compose(handed -> registry.hand(pause("Cust2", 7)))
        .compose(handed -> registry.hand(resume("Cust3", 1)))
        .compose(handed -> registry.hand(retire("Cust3", 2)))
        .compose(handed -> registry.register(registration("test.all", "all", null)))
        .compose(all -> {
          testContext.verify(() -> assertThat(commands(all)).containsExactly(
              new Command(CommandType.RESUME, "Cust1", "Running", true, Commands.endpointOf("Cust1"), apiOf("Cust1"),
                  "snapshot", 4, 0, RegistryProbe.NOW),
              new Command(CommandType.PAUSE, "Cust2", "Suspended", false, Commands.endpointOf("Cust2"),
                  apiOf("Cust2"), "snapshot", 7, 0, RegistryProbe.NOW),
              new Command(CommandType.RETIRE, "Cust3", "Deleted", false, Commands.endpointOf("Cust3"),
                  apiOf("Cust3"), "snapshot", 2, 0, RegistryProbe.NOW)));
          return registry.register(registration("test.some", "some", new JsonArray().add("Cust2").add("Cust4")));
        })
        .onComplete(testContext.succeeding(some -> testContext.verify(() -> {
          assertThat(commands(some)).extracting(Command::tenant).containsExactly("Cust2");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the snapshot carries a tenant's latest resync after its state entry until the tenant retires, "
      + "and a retired tenant's retire until it is watched again")
  void snapshotCarriesOwedResyncAndRetire(VertxTestContext testContext) {
    JsonObject worker = registration("test.owed", "owed", null);
    registry.deploy(QUICK)
        .compose(id -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.hand(resync("Cust1", 2)))
        .compose(handed -> registry.hand(pause("Cust1", 3)))
        .compose(handed -> registry.register(worker))
        .compose(owed -> {
          testContext.verify(() -> assertThat(commands(owed)).extracting(Command::type, Command::seq, Command::reason)
              .containsExactly(tuple(CommandType.PAUSE, 3L, "snapshot"), tuple(CommandType.RESYNC, 2L, "snapshot")));
          return registry.hand(retire("Cust1", 4));
        })
        .compose(handed -> registry.register(worker))
        .compose(retired -> {
          testContext.verify(() -> assertThat(commands(retired)).extracting(Command::type, Command::seq)
              .containsExactly(tuple(CommandType.RETIRE, 4L)));
          return registry.hand(resume("Cust1", 3));
        })
        .compose(late -> {
          testContext.verify(() -> assertThat(late.getBoolean("accepted"))
              .as("a retired tenant's seq still makes an older command stale").isFalse());
          return registry.hand(resume("Cust1", 5));
        })
        .compose(watchedAgain -> registry.register(worker))
        .onComplete(testContext.succeeding(again -> testContext.verify(() -> {
          assertThat(commands(again)).extracting(Command::type, Command::seq)
              .as("the retire and the resync before it are no longer owed").containsExactly(tuple(CommandType.RESUME, 5L));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a started registry says hello on tenantwatch.workers.hello, so workers from before register again")
  void helloAtStart(VertxTestContext testContext) {
    Promise<Object> heard = Promise.promise();
    MessageConsumer<Object> listener = vertx.eventBus().consumer(Addresses.WORKERS_HELLO,
        message -> heard.tryComplete(message.body()));
    listener.completion()
        .compose(listening -> registry.deploy(QUICK))
        .compose(deployed -> heard.future())
        .onComplete(testContext.succeeding(body -> testContext.verify(() -> {
          assertThat(body).isEqualTo(new JsonObject());
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a stale command is not passed on and a malformed one is refused")
  void staleAndMalformedCommands(VertxTestContext testContext) {
    Promise<Void> moved = Promise.promise();
    Queue<String> heard = new ConcurrentLinkedQueue<>();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("listener"))
        .onPause(command -> {
          heard.add("pause:" + command.seq());
          return Future.succeededFuture();
        })
        .onEndpoint(command -> {
          heard.add("endpoint:" + command.seq());
          moved.complete();
          return Future.succeededFuture();
        });
    registry.deploy(QUICK)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 5)))
        .compose(fresh -> {
          testContext.verify(() -> assertThat(fresh).isEqualTo(new JsonObject().put("accepted", true).put("workers", 1)));
          return registry.hand(pause("Cust1", 5));
        })
        .compose(stale -> {
          testContext.verify(() -> assertThat(stale.getBoolean("accepted")).isFalse());
          return vertx.eventBus().request(Addresses.WORKERS_COMMAND, new JsonObject().put("type", "pause"))
              .<Void>transform(outcome -> {
                testContext.verify(() -> assertThat(outcome.cause()).isInstanceOfSatisfying(ReplyException.class,
                    reply -> assertThat(reply.failureCode()).isEqualTo(400)));
                return Future.succeededFuture();
              });
        })
        .onComplete(testContext.succeeding(refused -> registry.send(Commands.endpoint("Cust1", 6))));
    moved.future().onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertThat(heard).containsExactly("endpoint:6");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("invalid registrations are refused with 400 and change nothing")
  void invalidRegistrationsRefused(VertxTestContext testContext) {
    JsonObject valid = registration("test.valid", "valid", new JsonArray().add("Cust1"));
    List<Object> invalid = List.of(
        "not json",
        new JsonObject(),
        registration("  ", "blank address", null),
        new JsonObject().put("address", 42).put("name", "number"),
        registration("test.valid", null, null),
        registration("test.valid", "   ", null),
        new JsonObject().put("address", "test.valid").put("name", 7),
        new JsonObject().put("address", "test.valid").put("name", "replaced").put("tenants", "Cust1"),
        registration("test.valid", "replaced", new JsonArray().add("cust1")),
        registration("test.valid", "replaced", new JsonArray().add("Cust1").add(7)),
        registration("test.valid", "replaced", new JsonArray().add("Cust1").addNull()),
        registration(Addresses.WORKERS_COMMAND, "loop", null),
        registration("test.valid", "replaced", null).put("drainTimeoutMs", "10"),
        registration("test.valid", "replaced", null).put("drainTimeoutMs", -1),
        registration("test.valid", "replaced", null).put("drainTimeoutMs", WorkerRegistration.MAX_DRAIN_TIMEOUT_MS + 1));
    AtomicInteger refused = new AtomicInteger();
    Future<JsonArray> before = registry.deploy(QUICK)
        .compose(id -> registry.register(valid))
        .compose(snapshot -> registry.workers());
    Future<Void> attempts = before.mapEmpty();
    for (Object body : invalid) {
      attempts = attempts.compose(previous -> registry.register(body).transform(outcome -> {
        testContext.verify(() -> assertThat(outcome.cause()).as("refusing %s", body)
            .isInstanceOfSatisfying(ReplyException.class, reply -> {
              assertThat(reply.failureCode()).isEqualTo(400);
              assertThat(reply.getMessage()).isNotBlank();
            }));
        refused.incrementAndGet();
        return Future.succeededFuture();
      }));
    }
    attempts.compose(done -> registry.workers())
        .onComplete(testContext.succeeding(after -> testContext.verify(() -> {
          assertThat(refused).hasValue(invalid.size());
          assertThat(after).isEqualTo(before.result());
          assertThat(after).hasSize(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("registering an address again replaces its entry")
  void registerAgainReplaces(VertxTestContext testContext) {
    registry.deploy(QUICK)
        .compose(id -> registry.register(registration("test.w", "before", null)))
        .compose(first -> registry.register(registration("test.w", "after", new JsonArray().add("Cust9"))))
        .compose(second -> registry.workers())
        .onComplete(testContext.succeeding(workers -> testContext.verify(() -> {
          assertThat(workers).hasSize(1);
          assertThat(workers.getJsonObject(0).getString("name")).isEqualTo("after");
          assertThat(workers.getJsonObject(0).getJsonArray("tenants")).containsExactly("Cust9");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("unregistering removes the worker and says whether it was registered")
  void unregister(VertxTestContext testContext) {
    TenantGate leaving = TenantGate.create(vertx, new TenantGateOptions("leaving"));
    TenantGate staying = TenantGate.create(vertx, new TenantGateOptions("staying"));
    registry.deploy(QUICK)
        .compose(id -> Future.all(leaving.start(), staying.start()))
        .compose(started -> leaving.stop())
        .compose(stopped -> leaving.stop())
        .compose(stoppedTwice -> registry.workers())
        .compose(workers -> {
          testContext.verify(() -> assertThat(workers).extracting(w -> ((JsonObject) w).getString("name"))
              .containsExactly("staying"));
          return vertx.eventBus().<JsonObject>request(Addresses.WORKERS_UNREGISTER,
              new JsonObject().put("address", leaving.address()));
        })
        .compose(again -> {
          testContext.verify(() -> assertThat(again.body().getBoolean("removed")).isFalse());
          return vertx.eventBus().<JsonObject>request(Addresses.WORKERS_UNREGISTER,
              new JsonObject().put("address", staying.address()));
        })
        .compose(removed -> {
          testContext.verify(() -> assertThat(removed.body().getBoolean("removed")).isTrue());
          return vertx.eventBus().request(Addresses.WORKERS_UNREGISTER, new JsonObject());
        })
        .onComplete(testContext.failing(bad -> testContext.verify(() -> {
          assertThat(bad).isInstanceOfSatisfying(ReplyException.class,
              reply -> assertThat(reply.failureCode()).isEqualTo(400));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the list shows each worker's filter, registration time, counters and last acknowledgement")
  void listContents(VertxTestContext testContext) {
    TenantGate gate = TenantGate.create(vertx,
        new TenantGateOptions("billing").withTenants(Set.of("Cust1")).withAddress("test.billing"));
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.awaitWorker("test.billing", w -> w.getLong("delivered") == 1))
        .onComplete(testContext.succeeding(worker -> testContext.verify(() -> {
          assertThat(worker).isEqualTo(new JsonObject()
              .put("address", "test.billing")
              .put("name", "billing")
              .put("tenants", new JsonArray().add("Cust1"))
              .put("drainTimeoutMs", TenantGateOptions.DEFAULT_DRAIN_TIMEOUT_MS)
              .putNull("node")
              .put("registeredAt", RegistryProbe.NOW.toString())
              .put("delivered", 1)
              .put("retried", 0)
              .put("failed", 0)
              .put("pending", 0)
              .put("status", "ok")
              .put("consecutiveFailures", 0)
              .put("lastAck", new JsonObject().put("tenant", "Cust1").put("seq", 1).put("epoch", 0)
                  .put("at", RegistryProbe.NOW.toString()))
              .put("calls", CallCounts.Tally.NONE.toJson()));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the list shows a gate's call counts, and one tenant's when the request names it; a worker that is "
      + "not a TenantGate is listed without")
  void listShowsCallCounts(VertxTestContext testContext) {
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("billing").withAddress("test.billing"));
    MessageConsumer<JsonObject> plain = vertx.eventBus().consumer("test.plain", message -> message.reply(null));
    registry.deploy(PATIENT)
        .compose(id -> plain.completion())
        .compose(listening -> registry.register(registration("test.plain", "plain", null)))
        .compose(registered -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.awaitWorker("test.billing", w -> w.getLong("delivered") == 1))
        .compose(delivered -> Future.join(gate.call("Cust1", api -> Future.succeededFuture(api)),
            gate.call("Cust2", api -> Future.succeededFuture(api))))
        .transform(called -> vertx.eventBus().<JsonObject>request(Addresses.WORKERS_LIST,
            new JsonObject().put("tenant", "Cust1")))
        .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
          Map<String, JsonObject> byAddress = new HashMap<>();
          reply.body().getJsonArray("workers").forEach(w -> byAddress.put(((JsonObject) w).getString("address"),
              (JsonObject) w));
          JsonObject billing = byAddress.get("test.billing");
          assertThat(billing.getJsonObject("calls").getLong("made")).isEqualTo(1);
          assertThat(billing.getJsonObject("calls").getLong("refused")).isEqualTo(1);
          assertThat(billing.getJsonObject("tenantCalls").getLong("made")).isEqualTo(1);
          assertThat(billing.getJsonObject("tenantCalls").getLong("refused")).isZero();
          assertThat(byAddress.get("test.plain").containsKey("calls")).isFalse();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a worker whose address has no handler any more is dropped")
  void deadAddressDropped(VertxTestContext testContext) {
    MessageConsumer<JsonObject> dead = vertx.eventBus().consumer("test.dead", message -> message.reply(null));
    TenantGate alive = TenantGate.create(vertx, new TenantGateOptions("alive"));
    dead.completion()
        .compose(listening -> registry.deploy(QUICK))
        .compose(id -> registry.register(registration("test.dead", "dead", null)))
        .compose(registered -> alive.start())
        .compose(started -> dead.unregister())
        .compose(gone -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.awaitGone("test.dead"))
        .compose(dropped -> registry.awaitWorker(alive.address(), w -> w.getLong("delivered") == 1))
        .onComplete(testContext.succeeding(w -> testContext.verify(() -> {
          assertThat(alive.isRunning("Cust1")).isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a worker that never acknowledges is tried maxAttempts times and counted failed, "
      + "while another worker keeps receiving")
  void silentWorkerFails(VertxTestContext testContext) {
    DeliveryPolicy policy = new DeliveryPolicy(500, 3, 20);
    AtomicInteger silentReceived = new AtomicInteger();
    MessageConsumer<JsonObject> silent = vertx.eventBus().consumer("test.silent", message -> {
      if (silentReceived.incrementAndGet() == 1) {
        registry.send(resume("Cust2", 1));
      }
    });
    Promise<Void> promptHeardCust2 = Promise.promise();
    TenantGate prompt = TenantGate.create(vertx, new TenantGateOptions("prompt"))
        .onResume(command -> {
          if (command.tenant().equals("Cust2")) {
            promptHeardCust2.complete();
          }
          return Future.succeededFuture();
        });
    silent.completion()
        .compose(listening -> registry.deploy(policy))
        .compose(id -> registry.register(registration("test.silent", "silent", new JsonArray().add("Cust1"))))
        .compose(registered -> prompt.start())
        .onComplete(testContext.succeeding(started -> registry.send(resume("Cust1", 1))));
    promptHeardCust2.future()
        .compose(heard -> registry.worker("test.silent"))
        .compose(stillTrying -> {
          testContext.verify(() -> {
            assertThat(stillTrying.getLong("failed")).as("the silent worker is still being retried").isZero();
            assertThat(stillTrying.getLong("pending")).isEqualTo(1);
          });
          return registry.awaitWorker("test.silent", w -> w.getLong("failed") == 1);
        })
        .compose(failed -> {
          testContext.verify(() -> {
            assertThat(silentReceived).hasValue(3);
            assertThat(failed.getLong("retried")).isEqualTo(2);
            assertThat(failed.getLong("pending")).isZero();
            assertThat(failed.getLong("delivered")).isZero();
            assertThat(failed.getValue("lastAck")).isNull();
          });
          return registry.awaitWorker(prompt.address(), w -> w.getLong("delivered") == 2);
        })
        .onComplete(testContext.succeeding(promptWorker -> testContext.verify(() -> {
          assertThat(promptWorker.getLong("failed")).isZero();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a retry made moot by a newer acknowledged command for the tenant is abandoned")
  void mootRetryAbandoned(VertxTestContext testContext) {
    // The newer acknowledgement arrives within milliseconds; the first retry is due long after.
    DeliveryPolicy policy = new DeliveryPolicy(5000, 5, 1000);
    AtomicInteger resumes = new AtomicInteger();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("stubborn"))
        .onResume(command -> {
          resumes.incrementAndGet();
          return Future.failedFuture("cannot resume");
        });
    registry.deploy(policy)
        .compose(id -> gate.start())
        .compose(started -> {
          registry.send(resume("Cust1", 1));
          registry.send(pause("Cust1", 2));
          return registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1 && w.getLong("pending") == 0);
        })
        .onComplete(testContext.succeeding(worker -> testContext.verify(() -> {
          assertThat(resumes).hasValue(1);
          assertThat(worker.getLong("retried")).isZero();
          assertThat(worker.getLong("failed")).isZero();
          assertThat(worker.getJsonObject("lastAck").getLong("seq")).isEqualTo(2);
          assertThat(gate.isRunning("Cust1")).isFalse();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a worker that drains is waited for its drain timeout beyond ackTimeoutMs, so a held "
      + "acknowledgement is not taken for a lost delivery and sent again")
  void drainTimeoutLengthensTheWait(VertxTestContext testContext) {
    // QUICK waits 200 ms; the worker holds its acknowledgement for a second, well within its drain timeout.
    AtomicInteger received = new AtomicInteger();
    MessageConsumer<JsonObject> draining = vertx.eventBus().consumer("test.draining", message -> {
      received.incrementAndGet();
      vertx.setTimer(1000, held -> message.reply(new JsonObject().put("ok", true)));
    });
    draining.completion()
        .compose(listening -> registry.deploy(QUICK))
        .compose(id -> registry.register(registration("test.draining", "draining", null).put("drainTimeoutMs", 60_000)))
        .compose(registered -> registry.hand(pause("Cust1", 1)))
        .compose(handed -> registry.awaitWorker("test.draining", w -> w.getLong("pending") == 0))
        .onComplete(testContext.succeeding(worker -> testContext.verify(() -> {
          assertThat(worker.getLong("drainTimeoutMs")).isEqualTo(60_000);
          assertThat(worker.getLong("delivered")).isEqualTo(1);
          assertThat(worker.getLong("retried")).isZero();
          assertThat(received).hasValue(1);
          testContext.completeNow();
        })));
  }
}
