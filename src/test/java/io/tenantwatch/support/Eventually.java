package io.tenantwatch.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Awaits a condition that the engine reaches on its own (a tenant's view, a counter) by asking again
 * whenever the previous answer arrived, a little later; bounded by the test's own timeout.
 */
public final class Eventually {
  private static final long RETRY_MS = 20;

  private Eventually() {
  }

  public static <T> Future<T> until(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done) {
    Promise<T> promise = Promise.promise();
    attempt(vertx, probe, done, promise);
    return promise.future();
  }

  private static <T> void attempt(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> done, Promise<T> promise) {
    probe.get().onComplete(result -> {
      if (result.succeeded() && done.test(result.result())) {
        promise.tryComplete(result.result());
      } else {
        vertx.setTimer(RETRY_MS, t -> attempt(vertx, probe, done, promise));
      }
    });
  }
}
