package io.tenantwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LocalObjectsTest {
  /** Not a JSON type: without a codec the event bus refuses it. */
  private record Carried(String what) {
  }

  @Test
  @DisplayName("A carried object reaches a local consumer as the very object, and carrying it again on the same bus changes nothing")
  void passesTheVeryObject(Vertx vertx, VertxTestContext test) {
    LocalObjects.carry(vertx.eventBus(), Carried.class, "test.carried");
    LocalObjects.carry(vertx.eventBus(), Carried.class, "test.carried");
    Carried sent = new Carried("snapshot");
    vertx.eventBus().<Carried>consumer("test.local", message -> test.verify(() -> {
      assertThat(message.body()).isSameAs(sent);
      test.completeNow();
    })).completion().onComplete(test.succeeding(v -> vertx.eventBus().send("test.local", sent)));
  }

  @Test
  @DisplayName("Carrying a class on one Vert.x, then on another, then on the first again leaves both carrying it")
  void alternatingBuses(Vertx vertx, VertxTestContext test) {
    Vertx other = Vertx.vertx();
    LocalObjects.carry(vertx.eventBus(), Carried.class, "test.carried");
    LocalObjects.carry(other.eventBus(), Carried.class, "test.carried");
    LocalObjects.carry(vertx.eventBus(), Carried.class, "test.carried");
    Carried sent = new Carried("report");
    vertx.eventBus().<Carried>consumer("test.first", message -> test.verify(() -> {
      assertThat(message.body()).isSameAs(sent);
      other.close().onComplete(test.succeedingThenComplete());
    })).completion().onComplete(test.succeeding(v -> vertx.eventBus().send("test.first", sent)));
  }

  @Test
  @DisplayName("Each Vert.x gets its own registration, so a second instance carries the same class too")
  void everyVertxCarries(Vertx vertx, VertxTestContext test) {
    Vertx other = Vertx.vertx();
    LocalObjects.carry(vertx.eventBus(), Carried.class, "test.carried");
    LocalObjects.carry(other.eventBus(), Carried.class, "test.carried");
    Carried sent = new Carried("page");
    other.eventBus().<Carried>consumer("test.other", message -> test.verify(() -> {
      assertThat(message.body()).isSameAs(sent);
      other.close().onComplete(test.succeedingThenComplete());
    })).completion().onComplete(test.succeeding(v -> other.eventBus().send("test.other", sent)));
  }

  @Test
  @DisplayName("Threads that carry a class on a new bus at the same moment can each send it at once: none returns before the codec is registered")
  void concurrentCarriersCanSendAtOnce() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 150; round++) {
        Vertx fresh = Vertx.vertx();
        try {
          EventBus bus = fresh.eventBus();
          CyclicBarrier together = new CyclicBarrier(threads);
          List<Future<?>> carriers = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            carriers.add(pool.submit(() -> {
              together.await();
              LocalObjects.carry(bus, Carried.class, "test.carried");
              // Refused with "No message codec for type" when the codec is not registered yet.
              bus.send("test.nobody", new Carried("first command"), LocalObjects.ONLY_LOCAL);
              return null;
            }));
          }
          for (Future<?> carrier : carriers) {
            carrier.get(30, TimeUnit.SECONDS);
          }
        } finally {
          fresh.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
