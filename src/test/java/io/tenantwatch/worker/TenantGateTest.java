package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.apiOf;
import static io.tenantwatch.worker.Commands.endpointOf;
import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resume;
import static io.tenantwatch.worker.Commands.resync;
import static io.tenantwatch.worker.Commands.retire;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TenantGateTest {
  /** Generous, so that a handler the test holds open is not redelivered meanwhile; no duration is asserted. */
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  private Vertx vertx;
  private RegistryProbe registry;
  /** Every handler call, in the order the gate made them, as "tenant:type:seq". */
  private final Queue<String> calls = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.registry = new RegistryProbe(vertx);
  }

  private TenantGate gate(TenantGateOptions options) {
    return TenantGate.create(vertx, options)
        .onPause(this::record)
        .onResume(this::record)
        .onEndpoint(this::record)
        .onResync(this::record)
        .onRetire(this::record);
  }

  private Future<Void> record(Command command) {
    calls.add(command.tenant() + ":" + command.type().wireName() + ":" + command.seq());
    return Future.succeededFuture();
  }

  @Test
  @DisplayName("every tenant is closed until the engine says otherwise, and a snapshot pause calls no handler")
  void closedUntilTold(VertxTestContext testContext) {
    TenantGate first = gate(new TenantGateOptions("first"));
    Queue<Command> secondHeard = new ConcurrentLinkedQueue<>();
    TenantGate second = TenantGate.create(vertx, new TenantGateOptions("second"))
        .onPause(command -> {
          secondHeard.add(command);
          return Future.succeededFuture();
        });
    registry.deploy(PATIENT)
        .compose(id -> first.start())
        .compose(started -> {
          testContext.verify(() -> {
            assertThat(first.isRunning("Cust1")).isFalse();
            assertThat(first.api("Cust1")).isNull();
            assertThat(first.endpoint("Cust1")).isNull();
            assertThat(first.lastSeq("Cust1")).isZero();
            assertThat(first.isRunning("not-a-tenant")).isFalse();
            assertThat(first.isRunning(null)).isFalse();
          });
          return registry.hand(pause("Cust2", 3));
        })
        .compose(handed -> registry.awaitWorker(first.address(), w -> w.getLong("delivered") == 1))
        .compose(acked -> second.start())
        .onComplete(testContext.succeeding(started -> testContext.verify(() -> {
          assertThat(calls).as("a live pause reaches the handler").containsExactly("Cust2:pause:3");
          assertThat(first.isRunning("Cust2")).isFalse();
          assertThat(second.isRunning("Cust2")).isFalse();
          assertThat(second.lastSeq("Cust2")).isEqualTo(3);
          assertThat(second.endpoint("Cust2")).isEqualTo(endpointOf("Cust2"));
          assertThat(secondHeard).as("a snapshot pause only records the closed state").isEmpty();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a gate started after a resume is open once started, and its onResume has run")
  void startAppliesSnapshot(VertxTestContext testContext) {
    Queue<Command> resumed = new ConcurrentLinkedQueue<>();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("late"))
        .onResume(command -> {
          resumed.add(command);
          return Future.succeededFuture();
        });
    registry.deploy(PATIENT)
        .compose(id -> registry.hand(resume("Cust1", 4)))
        .compose(handed -> gate.start())
        .onComplete(testContext.succeeding(started -> testContext.verify(() -> {
          assertThat(gate.isRunning("Cust1")).isTrue();
          assertThat(gate.api("Cust1")).isEqualTo(apiOf("Cust1"));
          assertThat(gate.lastSeq("Cust1")).isEqualTo(4);
          assertThat(resumed).singleElement().satisfies(command -> {
            assertThat(command.reason()).isEqualTo("snapshot");
            assertThat(command.seq()).isEqualTo(4);
          });
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a command is acknowledged only after its handler's future completes")
  void acknowledgesAfterHandler(VertxTestContext testContext) {
    Promise<Void> held = Promise.promise();
    Promise<Command> called = Promise.promise();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("slow"))
        .onResume(command -> {
          called.complete(command);
          return held.future();
        });
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .onComplete(testContext.succeeding(started -> registry.send(resume("Cust1", 1))));
    called.future()
        .compose(command -> {
          testContext.verify(() -> assertThat(gate.isRunning("Cust1"))
              .as("the state is taken when the command arrives").isTrue());
          return registry.worker(gate.address());
        })
        .compose(before -> {
          testContext.verify(() -> {
            assertThat(before.getValue("lastAck")).isNull();
            assertThat(before.getLong("delivered")).isZero();
            assertThat(before.getLong("pending")).isEqualTo(1);
          });
          held.complete();
          return registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1);
        })
        .onComplete(testContext.succeeding(after -> testContext.verify(() -> {
          assertThat(after.getJsonObject("lastAck").getString("tenant")).isEqualTo("Cust1");
          assertThat(after.getJsonObject("lastAck").getLong("seq")).isEqualTo(1);
          assertThat(after.getLong("pending")).isZero();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a stale or repeated command is acknowledged without calling a handler or changing the state")
  void staleIgnored(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("steady"));
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 5)))
        .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
        .compose(acked -> vertx.eventBus().<JsonObject>request(gate.address(), pause("Cust1", 3).toJson()))
        .compose(stale -> {
          testContext.verify(() -> assertThat(stale.body())
              .isEqualTo(new JsonObject().put("ok", true).put("seq", 3).put("epoch", 0)));
          return vertx.eventBus().<JsonObject>request(gate.address(), resume("Cust1", 5).toJson());
        })
        .onComplete(testContext.succeeding(repeated -> testContext.verify(() -> {
          assertThat(repeated.body().getBoolean("ok")).isTrue();
          assertThat(gate.isRunning("Cust1")).isTrue();
          assertThat(gate.lastSeq("Cust1")).isEqualTo(5);
          assertThat(calls).containsExactly("Cust1:resume:5");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a command that is not a command is refused with 400 and changes nothing")
  void badCommandRefused(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("picky"));
    JsonObject bad = resume("Cust1", 1).toJson().put("tenant", "cust1");
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> vertx.eventBus().request(gate.address(), bad))
        .onComplete(testContext.failing(failure -> testContext.verify(() -> {
          assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
              reply -> assertThat(reply.failureCode()).isEqualTo(400));
          assertThat(gate.lastSeq("Cust1")).isZero();
          assertThat(calls).isEmpty();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a failing handler is called again on redelivery and the command is acknowledged once it succeeds")
  void failedHandlerRetried(VertxTestContext testContext) {
    AtomicInteger attempts = new AtomicInteger();
    Promise<Void> succeeded = Promise.promise();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("flaky"))
        .onResume(command -> switch (attempts.incrementAndGet()) {
          case 1 -> throw new IllegalStateException("the platform's queue is not ready");
          case 2 -> Future.failedFuture("still not ready");
          default -> {
            succeeded.complete();
            yield Future.succeededFuture();
          }
        });
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .onComplete(testContext.succeeding(started -> registry.send(resume("Cust1", 1))));
    succeeded.future()
        .compose(done -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
        .onComplete(testContext.succeeding(worker -> testContext.verify(() -> {
          assertThat(attempts).hasValue(3);
          assertThat(worker.getLong("retried")).isEqualTo(2);
          assertThat(worker.getLong("failed")).isZero();
          assertThat(worker.getJsonObject("lastAck").getLong("seq")).isEqualTo(1);
          assertThat(gate.isRunning("Cust1")).isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("one tenant's handlers run one at a time in seq order while another tenant's go ahead")
  void perTenantSerialisation(VertxTestContext testContext) {
    Promise<Void> held = Promise.promise();
    Promise<Void> otherTenantHandled = Promise.promise();
    Promise<Void> pauseHandled = Promise.promise();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("ordered"))
        .onResume(command -> {
          calls.add(command.tenant() + ":resume:" + command.seq());
          if (command.tenant().equals("Cust2")) {
            otherTenantHandled.complete();
            return Future.succeededFuture();
          }
          return held.future();
        })
        .onPause(command -> {
          calls.add(command.tenant() + ":pause:" + command.seq());
          pauseHandled.complete();
          return Future.succeededFuture();
        });
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .onComplete(testContext.succeeding(started -> {
          registry.send(resume("Cust1", 1));
          registry.send(pause("Cust1", 2));
          registry.send(resume("Cust2", 1));
        }));
    otherTenantHandled.future()
        .compose(other -> {
          testContext.verify(() -> {
            assertThat(calls).as("Cust1's pause waits for its resume handler")
                .containsExactly("Cust1:resume:1", "Cust2:resume:1");
            assertThat(gate.isRunning("Cust1")).as("the pause closed the gate on arrival").isFalse();
          });
          held.complete();
          return pauseHandled.future();
        })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertThat(calls).containsExactly("Cust1:resume:1", "Cust2:resume:1", "Cust1:pause:2");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a gate with a tenant filter hears only about its tenants")
  void tenantFilter(VertxTestContext testContext) {
    TenantGate narrow = gate(new TenantGateOptions("narrow").withTenants(Set.of("Cust1")));
    Promise<Void> broadHeardCust1 = Promise.promise();
    Queue<String> broadHeard = new ConcurrentLinkedQueue<>();
    TenantGate broad = TenantGate.create(vertx, new TenantGateOptions("broad"))
        .onResume(command -> {
          broadHeard.add(command.tenant());
          if (command.tenant().equals("Cust1")) {
            broadHeardCust1.complete();
          }
          return Future.succeededFuture();
        });
    registry.deploy(PATIENT)
        .compose(id -> Future.all(narrow.start(), broad.start()))
        .onComplete(testContext.succeeding(started -> {
          registry.send(resume("Cust2", 1));
          registry.send(resume("Cust1", 1));
        }));
    broadHeardCust1.future()
        .compose(heard -> registry.awaitWorker(narrow.address(), w -> w.getLong("delivered") == 1))
        .compose(narrowAcked -> vertx.eventBus().<JsonObject>request(narrow.address(), resume("Cust3", 1).toJson()))
        .onComplete(testContext.succeeding(outside -> testContext.verify(() -> {
          assertThat(broadHeard).containsExactly("Cust2", "Cust1");
          assertThat(calls).as("Cust2 was fanned out before Cust1, so the narrow gate would have seen it")
              .containsExactly("Cust1:resume:1");
          assertThat(narrow.isRunning("Cust1")).isTrue();
          assertThat(narrow.isRunning("Cust2")).isFalse();
          assertThat(outside.body().getBoolean("ok")).as("a tenant outside the filter is acknowledged").isTrue();
          assertThat(narrow.isRunning("Cust3")).isFalse();
          assertThat(broad.isRunning("Cust2")).isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a retired tenant is forgotten once its handler succeeds, and an older command cannot bring it back")
  void retireForgets(VertxTestContext testContext) {
    Promise<Void> held = Promise.promise();
    Promise<Command> retiring = Promise.promise();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("tidy"))
        .onRetire(command -> {
          retiring.complete(command);
          return held.future();
        });
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 1)))
        .onComplete(testContext.succeeding(handed -> registry.send(retire("Cust1", 2))));
    retiring.future()
        .compose(command -> {
          testContext.verify(() -> {
            assertThat(gate.isRunning("Cust1")).isFalse();
            assertThat(gate.api("Cust1")).as("the retire handler may still need the api").isEqualTo(apiOf("Cust1"));
          });
          held.complete();
          return registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 2);
        })
        .compose(acked -> vertx.eventBus().request(gate.address(), resume("Cust1", 1).toJson()))
        .onComplete(testContext.succeeding(late -> testContext.verify(() -> {
          assertThat(gate.api("Cust1")).isNull();
          assertThat(gate.endpoint("Cust1")).isNull();
          assertThat(gate.isRunning("Cust1")).isFalse();
          assertThat(gate.lastSeq("Cust1")).isEqualTo(2);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a gate without a registry to talk to fails to start and leaves nothing listening")
  void startWithoutRegistry(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("alone").withAddress("test.alone"));
    gate.start()
        .onComplete(testContext.failing(failure -> vertx.eventBus().request("test.alone", resume("Cust1", 1).toJson())
            .onComplete(testContext.failing(noOne -> testContext.verify(() -> {
              assertThat(noOne).isInstanceOf(ReplyException.class);
              assertThat(calls).isEmpty();
              testContext.completeNow();
            })))));
  }

  @Test
  @DisplayName("an endpoint command moves an open tenant without closing it")
  void endpointMovesOpenTenant(VertxTestContext testContext) {
    Promise<Command> moved = Promise.promise();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("mover"))
        .onEndpoint(command -> {
          moved.complete(command);
          return Future.succeededFuture();
        });
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .onComplete(testContext.succeeding(started -> {
          registry.send(resume("Cust1", 1));
          registry.send(Commands.endpoint("Cust1", 2));
        }));
    moved.future().onComplete(testContext.succeeding(command -> testContext.verify(() -> {
      assertThat(command.type()).isEqualTo(CommandType.ENDPOINT);
      assertThat(gate.isRunning("Cust1")).isTrue();
      assertThat(gate.api("Cust1")).isEqualTo(command.api());
      assertThat(gate.lastSeq("Cust1")).isEqualTo(2);
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a gate started after a resync went out resyncs, after the tenant's resume, though later commands "
      + "raised the tenant's seq")
  void lateGateResyncs(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("late-resync"));
    registry.deploy(PATIENT)
        .compose(id -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.hand(resync("Cust1", 2)))
        .compose(handed -> registry.hand(Commands.endpoint("Cust1", 3)))
        .compose(handed -> gate.start())
        .onComplete(testContext.succeeding(started -> testContext.verify(() -> {
          assertThat(calls).containsExactly("Cust1:resume:3", "Cust1:resync:2");
          assertThat(gate.isRunning("Cust1")).isTrue();
          assertThat(gate.api("Cust1")).as("the state is the latest command's").endsWith("moved/api/");
          assertThat(gate.lastSeq("Cust1")).isEqualTo(3);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a gate that was stopped when a resync went out resyncs when it starts again, and only once")
  void restartedGateResyncsOnce(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("restarting"));
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
        .compose(acked -> gate.stop())
        .compose(stopped -> registry.hand(resync("Cust1", 2)))
        .compose(handed -> gate.start())
        .compose(restarted -> {
          testContext.verify(() -> assertThat(calls).as("the snapshot tells the tenant as of seq 2, then its resync")
              .containsExactly("Cust1:resume:1", "Cust1:resume:2", "Cust1:resync:2"));
          return gate.stop();
        })
        .compose(stopped -> gate.start())
        .onComplete(testContext.succeeding(again -> testContext.verify(() -> {
          assertThat(calls).as("a resync handled is not owed again")
              .containsExactly("Cust1:resume:1", "Cust1:resume:2", "Cust1:resync:2");
          assertThat(gate.isRunning("Cust1")).isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a gate that was stopped when its tenant retired forgets it when it starts again, and an older "
      + "command cannot bring it back")
  void restartedGateForgetsRetired(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("returning"));
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
        .compose(acked -> gate.stop())
        .compose(stopped -> registry.hand(retire("Cust1", 2)))
        .compose(handed -> gate.start())
        .compose(restarted -> {
          testContext.verify(() -> {
            assertThat(gate.isRunning("Cust1")).isFalse();
            assertThat(gate.api("Cust1")).isNull();
            assertThat(gate.endpoint("Cust1")).isNull();
            assertThat(gate.lastSeq("Cust1")).isEqualTo(2);
            assertThat(calls).containsExactly("Cust1:resume:1", "Cust1:retire:2");
          });
          return vertx.eventBus().request(gate.address(), resume("Cust1", 1).toJson());
        })
        .onComplete(testContext.succeeding(late -> testContext.verify(() -> {
          assertThat(gate.isRunning("Cust1")).isFalse();
          assertThat(calls).containsExactly("Cust1:resume:1", "Cust1:retire:2");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a gate started after a tenant retired records it as retired without calling a handler")
  void lateGateRecordsRetired(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("newcomer"));
    registry.deploy(PATIENT)
        .compose(id -> registry.hand(resume("Cust1", 1)))
        .compose(handed -> registry.hand(retire("Cust1", 2)))
        .compose(handed -> gate.start())
        .compose(started -> vertx.eventBus().request(gate.address(), resume("Cust1", 1).toJson()))
        .onComplete(testContext.succeeding(late -> testContext.verify(() -> {
          assertThat(gate.isRunning("Cust1")).isFalse();
          assertThat(gate.lastSeq("Cust1")).as("the retire's seq makes the older resume stale").isEqualTo(2);
          assertThat(gate.api("Cust1")).isNull();
          assertThat(calls).isEmpty();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a running gate registers again with a registry redeployed in the same Vert.x and is sent its commands")
  void registersAgainWithRedeployedRegistry(VertxTestContext testContext) {
    TenantGate gate = gate(new TenantGateOptions("survivor"));
    registry.deploy(PATIENT)
        .compose(id -> gate.start()
            .compose(started -> registry.hand(resume("Cust1", 1)))
            .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
            .compose(acked -> vertx.undeploy(id)))
        .compose(undeployed -> registry.deploy(PATIENT))
        .compose(redeployed -> registry.awaitWorker(gate.address(), w -> true))
        .compose(registeredAgain -> registry.hand(pause("Cust1", 2)))
        .compose(handed -> {
          testContext.verify(() -> assertThat(handed.getInteger("workers")).isEqualTo(1));
          return registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1);
        })
        .onComplete(testContext.succeeding(acked -> testContext.verify(() -> {
          assertThat(calls).containsExactly("Cust1:resume:1", "Cust1:pause:2");
          assertThat(gate.isRunning("Cust1")).isFalse();
          testContext.completeNow();
        })));
  }
}
