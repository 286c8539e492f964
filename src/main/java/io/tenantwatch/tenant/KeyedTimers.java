package io.tenantwatch.tenant;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Timers by key, as Pekko's timer scheduler has them: arming a key replaces its earlier timer, and a
 * timer that was replaced or cancelled never fires, even if Vert.x had already queued it.
 */
final class KeyedTimers {
  private final Vertx vertx;
  private final Clock clock;
  private final Map<String, Long> armed = new HashMap<>();
  private boolean closed;

  KeyedTimers(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * Runs {@code action} at {@code at} (at once if that has passed), replacing the key's earlier timer;
   * after {@link #close()} it only cancels the earlier one.
   */
  void arm(String key, Instant at, Runnable action) {
    cancel(key);
    if (closed) {
      return;
    }
    long delay = Math.max(1, Duration.between(clock.instant(), at).toMillis());
    long[] id = new long[1];
    id[0] = vertx.setTimer(delay, fired -> {
      if (armed.remove(key, id[0])) {
        action.run();
      }
    });
    armed.put(key, id[0]);
  }

  void cancel(String key) {
    Long id = armed.remove(key);
    if (id != null) {
      vertx.cancelTimer(id);
    }
  }

  void cancelAll() {
    armed.values().forEach(vertx::cancelTimer);
    armed.clear();
  }

  /** Cancels every timer and arms none from now on: the owner is winding down. */
  void close() {
    closed = true;
    cancelAll();
  }

  boolean isArmed(String key) {
    return armed.containsKey(key);
  }
}
