package io.tenantwatch.tenant;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Timers by key, as Pekko's timer scheduler has them: arming a key replaces its earlier timer, and a
 * timer that was replaced or cancelled never fires, even if Vert.x had already queued it.
 */
final class KeyedTimers {
  private final Vertx vertx;
  private final Clock clock;
  /**
   * The armed timers' keys and Vert.x ids, side by side. A tenant has at most a handful of keys, so a
   * linear search over two small arrays beats a HashMap, and a million tenants keep about 150 bytes each
   * fewer (no table, nodes or boxed ids).
   */
  private String[] keys = new String[2];
  private long[] ids = new long[2];
  private int count;
  private boolean closed;

  /** About 30 years; Netty turns the delay into nanoseconds, which must fit in a long. */
  private static final long MAX_DELAY_SECONDS = 1_000_000_000L;

  KeyedTimers(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * Runs {@code action} at {@code at} (at once if that has passed), replacing the key's earlier timer;
   * after {@link #close()} it only cancels the earlier one.
   */
  void arm(String key, Instant at, Runnable action) {
    armIn(key, delayMillis(clock.instant(), at), action);
  }

  /** As {@link #arm}, {@code delay} from now: a wait that is relative anyway needs no instant worked out. */
  void armAfter(String key, Duration delay, Runnable action) {
    armIn(key, delayMillis(delay), action);
  }

  private void armIn(String key, long delay, Runnable action) {
    cancel(key);
    if (closed) {
      return;
    }
    long id = vertx.setTimer(delay, fired -> {
      if (remove(key, fired)) {
        action.run();
      }
    });
    if (count == keys.length) {
      keys = Arrays.copyOf(keys, count * 2);
      ids = Arrays.copyOf(ids, count * 2);
    }
    keys[count] = key;
    ids[count] = id;
    count++;
  }

  /**
   * At least 1 ms (Vert.x refuses less), and saturating: an instant centuries away (or past) never
   * throws; a week is the furthest the config lets a schedule reach, so the bound is never a real limit.
   */
  static long delayMillis(Instant now, Instant at) {
    return delayMillis(Duration.between(now, at));
  }

  private static long delayMillis(Duration wait) {
    if (wait.isNegative()) {
      return 1;
    }
    return wait.getSeconds() >= MAX_DELAY_SECONDS ? MAX_DELAY_SECONDS * 1_000 : Math.max(1, wait.toMillis());
  }

  void cancel(String key) {
    int i = indexOf(key);
    if (i >= 0) {
      vertx.cancelTimer(ids[i]);
      removeAt(i);
    }
  }

  void cancelAll() {
    for (int i = 0; i < count; i++) {
      vertx.cancelTimer(ids[i]);
      keys[i] = null;
    }
    count = 0;
  }

  /** Cancels every timer and arms none from now on: the owner is winding down. */
  void close() {
    closed = true;
    cancelAll();
  }

  boolean isArmed(String key) {
    return indexOf(key) >= 0;
  }

  /** Forgets the key's timer if it is still {@code id}; false when it was replaced or cancelled meanwhile. */
  private boolean remove(String key, long id) {
    int i = indexOf(key);
    if (i < 0 || ids[i] != id) {
      return false;
    }
    removeAt(i);
    return true;
  }

  private int indexOf(String key) {
    for (int i = 0; i < count; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private void removeAt(int i) {
    count--;
    keys[i] = keys[count];
    ids[i] = ids[count];
    keys[count] = null;
  }
}
