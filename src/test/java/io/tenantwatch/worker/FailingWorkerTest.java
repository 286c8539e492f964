package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.resume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker that never acknowledges is tried a bounded number of times per command, reported
 * {@code failing} in the worker list once enough deliveries in a row went unanswered, and costs the
 * other workers nothing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FailingWorkerTest {
  private static final int COMMANDS = 40;
  /**
   * Three attempts of half a second each: the first delivery to the silent worker cannot be given up
   * before a second and a half, while the good worker acknowledges within milliseconds.
   */
  private static final DeliveryPolicy POLICY = new DeliveryPolicy(500, 3, 10, 3);

  private static JsonObject registration(String address, String name) {
    return new JsonObject().put("address", address).put("name", name).putNull("tenants");
  }

  private static String tenant(int i) {
    return "Cust" + (40_001 + i);
  }

  @Test
  @DisplayName("one never-acking worker is retried, then reported failing, while a good worker gets every command at once")
  void silentWorkerReportedFailing(Vertx vertx, VertxTestContext context) {
    RegistryProbe registry = new RegistryProbe(vertx);
    AtomicInteger silentReceived = new AtomicInteger();
    MessageConsumer<JsonObject> silent = vertx.eventBus().consumer("test.silent",
        message -> silentReceived.incrementAndGet());
    Set<String> goodReceived = ConcurrentHashMap.newKeySet();
    Promise<Void> goodHasAll = Promise.promise();
    MessageConsumer<JsonObject> good = vertx.eventBus().consumer("test.good", message -> {
      goodReceived.add(message.body().getString("tenant"));
      message.reply(new JsonObject().put("ok", true));
      if (goodReceived.size() == COMMANDS) {
        goodHasAll.tryComplete();
      }
    });
    Future.all(silent.completion(), good.completion())
        .compose(listening -> registry.deploy(POLICY))
        .compose(id -> registry.register(registration("test.silent", "silent")))
        .compose(registered -> registry.register(registration("test.good", "good")))
        .onSuccess(registered -> {
          for (int i = 0; i < COMMANDS; i++) {
            registry.send(resume(tenant(i), 1));
          }
        })
        .compose(sent -> goodHasAll.future())
        .compose(all -> registry.worker("test.silent"))
        .compose(silentMeanwhile -> {
          context.verify(() -> {
            // The good worker had every command while the silent one's first delivery was still being tried.
            assertThat(silentMeanwhile.getLong("failed")).isZero();
            assertThat(silentMeanwhile.getString("status")).isEqualTo("ok");
          });
          return registry.awaitWorker("test.silent", w -> w.getLong("failed") == COMMANDS);
        })
        .compose(silentAtLast -> {
          context.verify(() -> {
            assertThat(silentAtLast.getString("status")).isEqualTo("failing");
            assertThat(silentAtLast.getLong("consecutiveFailures")).isEqualTo(COMMANDS);
            assertThat(silentAtLast.getLong("retried")).isEqualTo(2L * COMMANDS);
            assertThat(silentAtLast.getLong("delivered")).isZero();
            assertThat(silentAtLast.getLong("pending")).isZero();
            assertThat(silentReceived).hasValue(3 * COMMANDS);
          });
          return registry.worker("test.good");
        })
        .onComplete(context.succeeding(goodWorker -> context.verify(() -> {
          assertThat(goodReceived).hasSize(COMMANDS);
          assertThat(goodWorker.getLong("delivered")).isEqualTo(COMMANDS);
          assertThat(goodWorker.getLong("failed")).isZero();
          assertThat(goodWorker.getLong("retried")).isZero();
          assertThat(goodWorker.getString("status")).isEqualTo("ok");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a failing worker that acknowledges again is ok again, and fewer failures in a row than failingAfter never show it failing")
  void failingWorkerRecovers(Vertx vertx, VertxTestContext context) {
    RegistryProbe registry = new RegistryProbe(vertx);
    AtomicBoolean answering = new AtomicBoolean();
    MessageConsumer<JsonObject> flaky = vertx.eventBus().consumer("test.flaky", message -> {
      if (answering.get()) {
        message.reply(new JsonObject().put("ok", true));
      }
    });
    DeliveryPolicy quick = new DeliveryPolicy(50, 1, 10, 3);
    flaky.completion()
        .compose(listening -> registry.deploy(quick))
        .compose(id -> registry.register(registration("test.flaky", "flaky")))
        .compose(registered -> registry.hand(resume(tenant(0), 1)))
        .compose(handed -> registry.hand(resume(tenant(1), 1)))
        .compose(handed -> registry.awaitWorker("test.flaky", w -> w.getLong("failed") == 2))
        .compose(twoFailed -> {
          context.verify(() -> assertThat(twoFailed.getString("status")).isEqualTo("ok"));
          return registry.hand(resume(tenant(2), 1));
        })
        .compose(handed -> registry.awaitWorker("test.flaky", w -> w.getLong("failed") == 3))
        .compose(threeFailed -> {
          context.verify(() -> assertThat(threeFailed.getString("status")).isEqualTo("failing"));
          answering.set(true);
          return registry.hand(resume(tenant(3), 1));
        })
        .compose(handed -> registry.awaitWorker("test.flaky", w -> w.getLong("delivered") == 1))
        .onComplete(context.succeeding(recovered -> context.verify(() -> {
          assertThat(recovered.getString("status")).isEqualTo("ok");
          assertThat(recovered.getLong("consecutiveFailures")).isZero();
          assertThat(recovered.getLong("failed")).isEqualTo(3);
          assertThat(recovered.getValue("lastAck")).isNotNull();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("failingAfter is read from the policy's JSON and must be at least one")
  void failingAfterInPolicy() {
    assertThat(DeliveryPolicy.fromJson(new JsonObject().put("failingAfter", 7)).failingAfter()).isEqualTo(7);
    assertThat(DeliveryPolicy.DEFAULT.failingAfter()).isEqualTo(DeliveryPolicy.DEFAULT_FAILING_AFTER);
    assertThat(DeliveryPolicy.fromJson(DeliveryPolicy.DEFAULT.toJson())).isEqualTo(DeliveryPolicy.DEFAULT);
    assertThatThrownBy(() -> DeliveryPolicy.fromJson(new JsonObject().put("failingAfter", 0)))
        .hasMessageContaining("failingAfter");
  }
}
