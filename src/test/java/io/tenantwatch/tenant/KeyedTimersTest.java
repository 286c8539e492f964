package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class KeyedTimersTest {
  private final Clock clock = Clock.systemUTC();

  @Test
  @DisplayName("re-arming a key replaces its timer: only the newest arming fires")
  void rearmReplaces(Vertx vertx, VertxTestContext context) {
    List<String> fired = new ArrayList<>();
    vertx.runOnContext(v -> {
      KeyedTimers timers = new KeyedTimers(vertx, clock);
      timers.arm("poll", clock.instant().plusMillis(30), () -> fired.add("first"));
      timers.arm("poll", clock.instant().plusMillis(120), () -> {
        fired.add("second");
        context.verify(() -> {
          assertThat(fired).containsExactly("second");
          assertThat(timers.isArmed("poll")).isFalse();
        });
        context.completeNow();
      });
    });
  }

  @Test
  @DisplayName("a key armed after a delay replaces the key's timer armed for an instant, and the other way round")
  void armAfterSharesTheKey(Vertx vertx, VertxTestContext context) {
    List<String> fired = new ArrayList<>();
    vertx.runOnContext(v -> {
      KeyedTimers timers = new KeyedTimers(vertx, clock);
      timers.arm("watchdog", clock.instant().plusMillis(20), () -> fired.add("at"));
      timers.armAfter("watchdog", Duration.ofMillis(60), () -> fired.add("after"));
      timers.armAfter("other", Duration.ofMillis(20), () -> fired.add("other, replaced"));
      timers.arm("other", clock.instant().plusMillis(120), () -> {
        context.verify(() -> {
          assertThat(fired).containsExactly("after");
          assertThat(timers.isArmed("watchdog")).isFalse();
        });
        context.completeNow();
      });
    });
  }

  @Test
  @DisplayName("a cancelled timer never fires, and cancelling one key leaves the others armed")
  void cancelledNeverFires(Vertx vertx, VertxTestContext context) {
    List<String> fired = new ArrayList<>();
    vertx.runOnContext(v -> {
      KeyedTimers timers = new KeyedTimers(vertx, clock);
      timers.arm("poll", clock.instant().plusMillis(20), () -> fired.add("poll"));
      timers.arm("hold", clock.instant().plusMillis(100), () -> {
        fired.add("hold");
        context.verify(() -> assertThat(fired).containsExactly("hold"));
        context.completeNow();
      });
      timers.cancel("poll");
      assertThat(timers.isArmed("hold")).isTrue();
    });
  }

  @Test
  @DisplayName("cancelAll disarms every key, and an instant already past fires at once")
  void cancelAllAndPast(Vertx vertx, VertxTestContext context) {
    List<String> fired = new ArrayList<>();
    vertx.runOnContext(v -> {
      KeyedTimers timers = new KeyedTimers(vertx, clock);
      timers.arm("a", clock.instant().plusMillis(20), () -> fired.add("a"));
      timers.arm("b", clock.instant().plusMillis(20), () -> fired.add("b"));
      timers.cancelAll();
      // Armed after the cancelled ones were due: had they survived, they would have fired first.
      timers.arm("check", clock.instant().plusMillis(100), () ->
          timers.arm("past", clock.instant().minusSeconds(5), () -> {
            context.verify(() -> assertThat(fired).isEmpty());
            context.completeNow();
          }));
    });
  }

  @Test
  @DisplayName("five keys at once: each fires once, in its own time, and cancelling the first leaves the other four")
  void manyKeys(Vertx vertx, VertxTestContext context) {
    List<String> fired = new ArrayList<>();
    vertx.runOnContext(v -> {
      KeyedTimers timers = new KeyedTimers(vertx, clock);
      for (int i = 1; i <= 5; i++) {
        String key = "k" + i;
        timers.arm(key, clock.instant().plusMillis(20L * i), () -> {
          fired.add(key);
          if (fired.size() == 4) {
            vertx.setTimer(100, id -> context.verify(() -> {
              assertThat(fired).containsExactly("k2", "k3", "k4", "k5");
              assertThat(List.of("k1", "k2", "k3", "k4", "k5")).noneMatch(timers::isArmed);
              context.completeNow();
            }));
          }
        });
      }
      timers.cancel("k1");
      assertThat(List.of("k2", "k3", "k4", "k5")).allMatch(timers::isArmed);
    });
  }
}
