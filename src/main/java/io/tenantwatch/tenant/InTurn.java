package io.tenantwatch.tenant;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Steps taken in turn, each once the one before has succeeded, until none is left: a stop's batches of
 * tenants to quiesce or of changes to send. Listeners only, not a chain of composed futures: the completion
 * of such a chain runs back through every step on one stack, which the 4,000 batches of a million tenants
 * overflowed, so the stop never learnt that the last one was done.
 */
final class InTurn {
  private InTurn() {
  }

  /**
   * Takes {@code next} step after step until {@code finished}; completes after the last, or fails with the
   * first step that fails.
   */
  static Future<Void> until(BooleanSupplier finished, Supplier<Future<?>> next) {
    Promise<Void> done = Promise.promise();
    take(finished, next, done);
    return done.future();
  }

  private static void take(BooleanSupplier finished, Supplier<Future<?>> next, Promise<Void> done) {
    if (finished.getAsBoolean()) {
      done.complete();
    } else {
      next.get().onFailure(done::fail).onSuccess(taken -> take(finished, next, done));
    }
  }
}
