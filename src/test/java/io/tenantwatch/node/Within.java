package io.tenantwatch.node;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits on the test's thread for a condition the nodes reach on their own, read from outside (the lease
 * table, the proxies' polls): asks again every {@value #EVERY_MS} ms, by a Vert.x timer rather than a
 * sleep, until the answer is right or the limit has passed. The limits are generous (two cores shared by
 * four JVMs); the figures the tests report come from {@link Seen#atNanos()}, never from the limit.
 */
final class Within {
  static final long EVERY_MS = 100;

  private Within() {
  }

  /**
   * A value that met the condition, and when the read that gave it was sent: the condition held at some
   * moment between then and the read's answer, and had not held at the previous read (about
   * {@value #EVERY_MS} ms earlier), so a time measured to it is good to about that much.
   */
  record Seen<T>(T value, long atNanos) {
    /** Milliseconds from {@code startNanos} (an earlier {@link System#nanoTime()}) to this read. */
    long millisSince(long startNanos) {
      return TimeUnit.NANOSECONDS.toMillis(atNanos - startNanos);
    }
  }

  /** Milliseconds from {@code startNanos} (an earlier {@link System#nanoTime()}) to now. */
  static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /**
   * Reads {@code probe} until {@code done} accepts its value; fails naming {@code what}, the limit and the
   * last value read (or the last failure) when {@code limit} passes first.
   */
  static <T> Seen<T> until(Vertx vertx, Duration limit, String what, Callable<T> probe, Predicate<T> done)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    Object last = "nothing read";
    while (true) {
      long at = System.nanoTime();
      try {
        T value = probe.call();
        if (done.test(value)) {
          return new Seen<>(value, at);
        }
        last = value;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + ": not within " + limit.toSeconds() + " s; last read: " + last);
      }
      vertx.timer(EVERY_MS).await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
