package io.tenantwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
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
}
