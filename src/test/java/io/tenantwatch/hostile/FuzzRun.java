package io.tenantwatch.hostile;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs numbered cases with a bounded number in flight and collects what went wrong, instead of stopping
 * at the first: the report then shows the first few wrong cases, each reproducible from the seed and its
 * number.
 */
final class FuzzRun {
  private final List<String> wrong = Collections.synchronizedList(new ArrayList<>());

  /**
   * Runs cases {@code 0..count-1}, at most {@code lanes} at once. A case completes with null when all was
   * right, or with a sentence saying what was wrong; a failed case counts as wrong too.
   */
  Future<List<String>> run(int count, int lanes, IntFunction<Future<String>> cases) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> running = new ArrayList<>();
    for (int lane = 0; lane < Math.min(lanes, count); lane++) {
      Promise<Void> done = Promise.promise();
      lane(next, count, cases, done);
      running.add(done.future());
    }
    return Future.all(running).map(all -> List.copyOf(wrong));
  }

  private void lane(AtomicInteger next, int count, IntFunction<Future<String>> cases, Promise<Void> done) {
    int index = next.getAndIncrement();
    if (index >= count) {
      done.complete();
      return;
    }
    Future<String> outcome;
    try {
      outcome = cases.apply(index);
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(result -> {
      if (result.failed()) {
        wrong.add("case " + index + ": " + result.cause());
      } else if (result.result() != null) {
        wrong.add("case " + index + ": " + result.result());
      }
      lane(next, count, cases, done);
    });
  }
}
