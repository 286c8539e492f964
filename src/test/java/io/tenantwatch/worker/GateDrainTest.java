package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.endpointAt;
import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resync;
import static io.tenantwatch.worker.Commands.resumeAt;
import static io.tenantwatch.worker.Commands.retire;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.support.Eventually;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A pause, retire or endpoint waits for the tenant's calls in flight, against a real HTTP server that holds them. */
@ExtendWith(VertxExtension.class)
class GateDrainTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  private Vertx vertx;
  private RegistryProbe registry;
  private WebClient client;
  private TenantApiServer server;
  private TenantGate gate;
  /** Every handler call, in order, as "type:seq". */
  private final Queue<String> handled = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext testContext) {
    this.vertx = vertx;
    this.registry = new RegistryProbe(vertx);
    this.client = WebClient.create(vertx);
    registry.deploy(PATIENT).compose(id -> TenantApiServer.start(vertx))
        .onComplete(testContext.succeeding(started -> {
          server = started.answer(TenantApiServer.HOLD);
          testContext.completeNow();
        }));
  }

  private Future<Void> startGate(TenantGateOptions options) {
    return startGate(TenantGate.create(vertx, options));
  }

  private Future<Void> startGate(TenantGate created) {
    gate = created
        .onPause(this::record)
        .onResume(this::record)
        .onEndpoint(this::record)
        .onRetire(this::record);
    return gate.start();
  }

  private Future<Void> record(Command command) {
    handled.add(command.type().wireName() + ":" + command.seq());
    return Future.succeededFuture();
  }

  private Future<JsonObject> tell(Command command) {
    return registry.deliver(gate.address(), command);
  }

  private Future<HttpResponse<Buffer>> contact() {
    return gate.call("Cust1", api -> client.getAbs(api + "v1/Contact/1").send());
  }

  /** A call that only says it ran, answered as it ends: refused or not. */
  private Future<AsyncResult<String>> tryCall() {
    return gate.call("Cust1", api -> Future.succeededFuture(api)).transform(Future::succeededFuture);
  }

  private Future<Void> until(BooleanSupplier condition) {
    return Eventually.until(vertx, () -> Future.succeededFuture(condition.getAsBoolean()), done -> done).mapEmpty();
  }

  @Test
  @DisplayName("a pause is acknowledged, and its handler run, only once the call in flight has ended; calls are "
      + "refused meanwhile, even after a resume that arrives while it drains")
  void pauseWaitsForTheCallInFlight(VertxTestContext testContext) {
    AtomicBoolean released = new AtomicBoolean();
    AtomicBoolean ackedBeforeRelease = new AtomicBoolean();
    AtomicReference<Future<HttpResponse<Buffer>>> call = new AtomicReference<>();
    AtomicReference<Future<JsonObject>> pauseAck = new AtomicReference<>();
    AtomicReference<Future<JsonObject>> resumeAck = new AtomicReference<>();
    startGate(new TenantGateOptions("drain"))
        .compose(started -> tell(resumeAt("Cust1", 1, server.api("Cust1"))))
        .compose(acked -> {
          call.set(contact());
          return server.awaitReceived(1);
        })
        .compose(arrived -> {
          pauseAck.set(tell(pause("Cust1", 2)).onSuccess(ack -> ackedBeforeRelease.set(!released.get())));
          return until(() -> !gate.isRunning("Cust1"));
        })
        .compose(closed -> tryCall())
        .compose(refused -> {
          testContext.verify(() -> assertThat(refused.cause()).isInstanceOfSatisfying(TenantClosed.class,
              closed -> assertThat(closed.getMessage()).contains("paused", "drained")));
          resumeAck.set(tell(resumeAt("Cust1", 3, server.api("Cust1"))));
          return until(() -> gate.isRunning("Cust1"));
        })
        .compose(reopened -> tryCall())
        .compose(refused -> {
          testContext.verify(() -> {
            assertThat(refused.cause()).as("a resume does not end the pause's drain").isInstanceOf(TenantClosed.class);
            assertThat(pauseAck.get().isComplete()).isFalse();
            assertThat(handled).containsExactly("resume:1");
            assertThat(gate.calls().tenant("Cust1").inFlight()).isEqualTo(1);
          });
          released.set(true);
          server.release(200);
          return Future.all(call.get(), pauseAck.get(), resumeAck.get());
        })
        .compose(all -> {
          testContext.verify(() -> {
            assertThat(call.get().result().statusCode()).isEqualTo(200);
            assertThat(ackedBeforeRelease).as("acknowledged before the held call ended").isFalse();
            assertThat(pauseAck.get().result().getInteger("inFlight")).isZero();
            assertThat(resumeAck.get().result().containsKey("inFlight")).as("a resume drains nothing").isFalse();
            assertThat(handled).containsExactly("resume:1", "pause:2", "resume:3");
          });
          return tryCall();
        })
        .onComplete(testContext.succeeding(after -> testContext.verify(() -> {
          assertThat(after.succeeded()).as("open again once the drain is over").isTrue();
          assertThat(gate.calls().tenant("Cust1").refused()).isEqualTo(2);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a retire whose call does not end within drainTimeoutMs is acknowledged anyway, with the call "
      + "still in flight in its acknowledgement")
  void drainTimesOut(VertxTestContext testContext) {
    AtomicReference<Future<HttpResponse<Buffer>>> call = new AtomicReference<>();
    startGate(new TenantGateOptions("impatient").withDrainTimeoutMs(200))
        .compose(started -> tell(resumeAt("Cust1", 1, server.api("Cust1"))))
        .compose(acked -> {
          call.set(contact());
          return server.awaitReceived(1);
        })
        .compose(arrived -> tell(retire("Cust1", 2)))
        .compose(ack -> {
          testContext.verify(() -> {
            assertThat(ack.getInteger("inFlight")).isEqualTo(1);
            assertThat(call.get().isComplete()).as("the held call").isFalse();
            assertThat(handled).containsExactly("resume:1", "retire:2");
            assertThat(gate.calls().tenant("Cust1").inFlight()).isEqualTo(1);
          });
          server.release(200);
          return call.get();
        })
        .onComplete(testContext.succeeding(ended -> testContext.verify(() -> {
          assertThat(gate.calls().tenant("Cust1").inFlight()).isZero();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a drain ends drainTimeoutMs after its command arrived, not after its turn came: two pauses that "
      + "waited behind a slow handler longer than that are acknowledged at once, with the call still in flight")
  void drainCountsFromArrival(VertxTestContext testContext) {
    AtomicLong now = new AtomicLong();
    Promise<Void> slowHandler = Promise.promise();
    AtomicReference<Future<HttpResponse<Buffer>>> call = new AtomicReference<>();
    AtomicReference<Future<JsonObject>> resyncAck = new AtomicReference<>();
    AtomicReference<Future<JsonObject>> firstPause = new AtomicReference<>();
    AtomicReference<Future<JsonObject>> secondPause = new AtomicReference<>();
    TenantGateOptions options = new TenantGateOptions("late").withDrainTimeoutMs(60_000);
    startGate(new EventBusTenantGate(vertx, options, now::get).onResync(command -> {
      handled.add("resync:" + command.seq());
      return slowHandler.future();
    }))
        .compose(started -> tell(resumeAt("Cust1", 1, server.api("Cust1"))))
        .compose(acked -> {
          call.set(contact());
          return server.awaitReceived(1);
        })
        .compose(arrived -> {
          resyncAck.set(tell(resync("Cust1", 2)));
          return until(() -> handled.contains("resync:2"));
        })
        .compose(handling -> {
          firstPause.set(tell(pause("Cust1", 3)));
          secondPause.set(tell(pause("Cust1", 4)));
          return until(() -> !gate.isRunning("Cust1"));
        })
        .compose(closed -> {
          // Both pauses arrived at 0; the resync's handler holds their turn for the whole drainTimeoutMs.
          now.addAndGet(TimeUnit.MILLISECONDS.toNanos(60_000));
          slowHandler.complete();
          return Future.all(resyncAck.get(), firstPause.get(), secondPause.get());
        })
        .compose(all -> {
          testContext.verify(() -> {
            assertThat(firstPause.get().result().getInteger("inFlight")).isEqualTo(1);
            assertThat(secondPause.get().result().getInteger("inFlight")).isEqualTo(1);
            assertThat(call.get().isComplete()).as("the held call").isFalse();
            assertThat(handled).containsExactly("resume:1", "resync:2", "pause:3", "pause:4");
          });
          server.release(200);
          return call.get();
        })
        .onComplete(testContext.succeeding(ended -> testContext.verify(() -> {
          assertThat(gate.calls().tenant("Cust1").inFlight()).isZero();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("an endpoint waits for the calls to the old api and refuses new ones until then; later calls go to "
      + "the new api")
  void endpointDrainsThenMoves(VertxTestContext testContext) {
    AtomicReference<Future<HttpResponse<Buffer>>> call = new AtomicReference<>();
    AtomicReference<Future<JsonObject>> moveAck = new AtomicReference<>();
    startGate(new TenantGateOptions("moving"))
        .compose(started -> tell(resumeAt("Cust1", 1, server.api("old"))))
        .compose(acked -> {
          call.set(contact());
          return server.awaitReceived(1);
        })
        .compose(arrived -> {
          moveAck.set(tell(endpointAt("Cust1", 2, server.api("new"))));
          return until(() -> server.api("new").equals(gate.api("Cust1")));
        })
        .compose(moved -> tryCall())
        .compose(refused -> {
          testContext.verify(() -> {
            assertThat(refused.cause()).isInstanceOfSatisfying(TenantClosed.class, closed -> {
              assertThat(closed.state()).isEqualTo("Running");
              assertThat(closed.getMessage()).contains("moves");
            });
            assertThat(moveAck.get().isComplete()).isFalse();
          });
          server.answer(200).release(200);
          return Future.all(call.get(), moveAck.get());
        })
        .compose(all -> {
          testContext.verify(() -> assertThat(moveAck.get().result().getInteger("inFlight")).isZero());
          return contact();
        })
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(server.received()).extracting(TenantApiServer.Received::uri)
              .containsExactly("/old/v1/Contact/1", "/new/v1/Contact/1");
          assertThat(handled).containsExactly("resume:1", "endpoint:2");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a pause from the registration snapshot, for a tenant the gate has open, drains too: its handler runs "
      + "once the call in flight has ended")
  void snapshotPauseDrains(VertxTestContext testContext) {
    AtomicReference<Future<HttpResponse<Buffer>>> call = new AtomicReference<>();
    startGate(new TenantGateOptions("again"))
        .compose(started -> registry.hand(resumeAt("Cust1", 1, server.api("Cust1"))))
        .compose(handed -> registry.awaitWorker(gate.address(), w -> w.getLong("delivered") == 1))
        .compose(open -> {
          call.set(contact());
          return server.awaitReceived(1);
        })
        // The registry forgets the gate, so the pause reaches it only through the snapshot of its next registration.
        .compose(arrived -> vertx.eventBus().request(Addresses.WORKERS_UNREGISTER,
            new JsonObject().put("address", gate.address())))
        .compose(unregistered -> registry.hand(pause("Cust1", 2)))
        .compose(handed -> {
          vertx.eventBus().publish(Addresses.WORKERS_HELLO, new JsonObject());
          return until(() -> !gate.isRunning("Cust1"));
        })
        .compose(closed -> tryCall())
        .compose(refused -> {
          testContext.verify(() -> {
            assertThat(refused.cause()).isInstanceOf(TenantClosed.class);
            assertThat(handled).as("the pause's handler waits for the call in flight").containsExactly("resume:1");
          });
          server.release(200);
          return call.get();
        })
        .compose(ended -> until(() -> handled.size() == 2))
        .onComplete(testContext.succeeding(paused -> testContext.verify(() -> {
          assertThat(handled).containsExactly("resume:1", "pause:2");
          testContext.completeNow();
        })));
  }
}
