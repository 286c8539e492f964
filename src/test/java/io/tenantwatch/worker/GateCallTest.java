package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resumeAt;
import static io.tenantwatch.worker.Commands.retire;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GateCallTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);
  private static final String API = "https://sod.superoffice.com/Cust1/api/";

  private Vertx vertx;
  private RegistryProbe registry;
  private TenantGate gate;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext testContext) {
    this.vertx = vertx;
    this.registry = new RegistryProbe(vertx);
    this.gate = TenantGate.create(vertx, new TenantGateOptions("calls"));
    registry.deploy(PATIENT).compose(id -> gate.start()).onComplete(testContext.succeedingThenComplete());
  }

  private Future<JsonObject> tell(io.tenantwatch.domain.Command command) {
    return registry.deliver(gate.address(), command);
  }

  /** A call that must not run. */
  private static Future<String> mustNotRun(String api) {
    throw new AssertionError("the call ran with " + api);
  }

  @Test
  @DisplayName("a call to a tenant the gate was never told about is refused with TenantClosed, state null and "
      + "reason unknown, without running")
  void unknownRefused(VertxTestContext testContext) {
    gate.call("Cust1", GateCallTest::mustNotRun).onComplete(testContext.failing(failure -> testContext.verify(() -> {
      assertThat(failure).isInstanceOfSatisfying(TenantClosed.class, closed -> {
        assertThat(closed.tenant()).isEqualTo("Cust1");
        assertThat(closed.state()).isNull();
        assertThat(closed.reason()).isEqualTo(TenantClosed.UNKNOWN);
        assertThat(closed.getMessage()).contains("Cust1", "closed");
      });
      assertThat(gate.calls().total().refused()).isEqualTo(1);
      assertThat(gate.calls().tenant("Cust1").refused()).isEqualTo(1);
      assertThat(gate.calls().total().made()).isZero();
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a call to a paused or a retired tenant is refused with the state and reason of the gate's last "
      + "command")
  void closedAndRetiredRefused(VertxTestContext testContext) {
    tell(resumeAt("Cust1", 1, API))
        .compose(acked -> tell(pause("Cust1", 2)))
        .compose(acked -> gate.call("Cust1", GateCallTest::mustNotRun).transform(Future::succeededFuture))
        .compose(paused -> {
          testContext.verify(() -> assertThat(paused.cause()).isInstanceOfSatisfying(TenantClosed.class, closed -> {
            assertThat(closed.state()).isEqualTo("Suspended");
            assertThat(closed.reason()).isEqualTo("poll");
            assertThat(closed.getMessage()).contains("paused", "seq 2");
          }));
          return tell(retire("Cust1", 3));
        })
        .compose(acked -> gate.call("Cust1", GateCallTest::mustNotRun).transform(Future::succeededFuture))
        .onComplete(testContext.succeeding(retired -> testContext.verify(() -> {
          assertThat(retired.cause()).isInstanceOfSatisfying(TenantClosed.class, closed -> {
            assertThat(closed.state()).isEqualTo("Deleted");
            assertThat(closed.getMessage()).contains("retired");
          });
          assertThat(gate.calls().tenant("Cust1").refused()).isEqualTo(2);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a call to an open tenant runs with its current api and is counted in flight until its future "
      + "completes")
  void openCallRunsAndCounts(VertxTestContext testContext) {
    Promise<String> held = Promise.promise();
    List<String> apis = new ArrayList<>();
    tell(resumeAt("Cust1", 1, API))
        .compose(acked -> {
          Future<String> call = gate.call("Cust1", api -> {
            apis.add(api);
            return held.future();
          });
          testContext.verify(() -> {
            assertThat(apis).containsExactly(API);
            assertThat(gate.calls().tenant("Cust1").inFlight()).isEqualTo(1);
            assertThat(gate.calls().total().inFlight()).isEqualTo(1);
            assertThat(gate.calls().total().made()).isEqualTo(1);
          });
          held.complete("answer");
          return call;
        })
        .onComplete(testContext.succeeding(answer -> testContext.verify(() -> {
          assertThat(answer).isEqualTo("answer");
          assertThat(gate.calls().tenant("Cust1").inFlight()).isZero();
          assertThat(gate.calls().total().failedAtTenant()).isZero();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a call that throws or returns null has failed, and is in flight no more; a tenant that is not a "
      + "context identifier is a clear error, counted nowhere")
  void badCalls(VertxTestContext testContext) {
    tell(resumeAt("Cust1", 1, API))
        .compose(acked -> gate.<String>call("Cust1", api -> {
          throw new IllegalStateException("no token");
        }).transform(Future::succeededFuture))
        .compose(threw -> {
          testContext.verify(() -> assertThat(threw.cause()).hasMessage("no token"));
          return gate.<String>call("Cust1", api -> null).transform(Future::succeededFuture);
        })
        .compose(nothing -> {
          testContext.verify(() -> assertThat(nothing.cause()).hasMessageContaining("null"));
          return gate.call("cust1", GateCallTest::mustNotRun).transform(Future::succeededFuture);
        })
        .onComplete(testContext.succeeding(bad -> testContext.verify(() -> {
          assertThat(bad.cause()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cust1");
          assertThat(gate.calls().tenants()).containsOnlyKeys("Cust1");
          assertThat(gate.calls().tenant("Cust1").made()).isEqualTo(2);
          assertThat(gate.calls().tenant("Cust1").inFlight()).isZero();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("calls from four threads at once while a pause arrives: the pause is acknowledged with none in "
      + "flight, and no call runs after it")
  void noCallSlipsPastAPause(VertxTestContext testContext) {
    AtomicInteger running = new AtomicInteger();
    AtomicBoolean acknowledged = new AtomicBoolean();
    AtomicInteger lateCalls = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Void>> threads = new ArrayList<>();
    tell(resumeAt("Cust1", 1, API)).onComplete(testContext.succeeding(acked -> {
      for (int i = 0; i < 4; i++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        threads.add(done);
        new Thread(() -> {
          while (!stop.get()) {
            gate.call("Cust1", api -> {
              if (acknowledged.get()) {
                lateCalls.incrementAndGet();
              }
              running.incrementAndGet();
              Promise<Void> call = Promise.promise();
              vertx.setTimer(1, t -> {
                running.decrementAndGet();
                call.complete();
              });
              return call.future();
            }).toCompletionStage().toCompletableFuture().handle((v, e) -> null).join();
          }
          done.complete(null);
        }, "caller-" + i).start();
      }
    }));
    Eventually.until(vertx, () -> Future.succeededFuture(gate.calls().total().made()), made -> made >= 200)
        .compose(busy -> tell(pause("Cust1", 2)))
        .compose(ack -> {
          int runningAtAck = running.get();
          acknowledged.set(true);
          testContext.verify(() -> {
            assertThat(ack.getInteger("inFlight")).isZero();
            assertThat(runningAtAck).as("calls running when the pause is acknowledged").isZero();
          });
          long refusedAtAck = gate.calls().total().refused();
          return Eventually.until(vertx, () -> Future.succeededFuture(gate.calls().total().refused()),
              refused -> refused >= refusedAtAck + 1000);
        })
        .compose(refusedMore -> {
          stop.set(true);
          return Future.fromCompletionStage(CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new)));
        })
        .onComplete(testContext.succeeding(stopped -> testContext.verify(() -> {
          assertThat(lateCalls).hasValue(0);
          assertThat(gate.calls().tenant("Cust1").inFlight()).isZero();
          testContext.completeNow();
        })));
  }
}
