package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Steps in turn, on a real event loop, each completing in a later turn of it as a store's answer does. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class InTurnTest {

  /** A step that succeeds in a later turn of the event loop. */
  private static Future<Void> later(Vertx vertx) {
    Promise<Void> taken = Promise.promise();
    vertx.runOnContext(v -> taken.complete());
    return taken.future();
  }

  @Test
  @DisplayName("twenty thousand steps, as a stop's batches of a million tenants make four thousand, complete without running back through one stack")
  void manyStepsComplete(Vertx vertx, VertxTestContext context) {
    int[] taken = {0};
    vertx.runOnContext(v -> InTurn.until(() -> taken[0] == 20_000, () -> {
      taken[0]++;
      return later(vertx);
    }).onComplete(context.succeeding(done -> context.verify(() -> {
      assertThat(taken[0]).isEqualTo(20_000);
      context.completeNow();
    }))));
  }

  @Test
  @DisplayName("a step is taken only once the one before has succeeded, and none when already finished")
  void oneAtATime(Vertx vertx, VertxTestContext context) {
    int[] open = {0};
    int[] taken = {0};
    vertx.runOnContext(v -> InTurn.until(() -> taken[0] == 3, () -> {
      taken[0]++;
      open[0]++;
      context.verify(() -> assertThat(open[0]).isEqualTo(1));
      return later(vertx).onSuccess(done -> open[0]--);
    }).compose(three -> InTurn.until(() -> true, () -> Future.failedFuture("never taken")))
        .onComplete(context.succeeding(done -> context.verify(() -> {
          assertThat(taken[0]).isEqualTo(3);
          context.completeNow();
        }))));
  }

  @Test
  @DisplayName("the first step that fails fails the whole, and no step follows it")
  void failureStops(Vertx vertx, VertxTestContext context) {
    int[] taken = {0};
    vertx.runOnContext(v -> InTurn.until(() -> false, () -> ++taken[0] == 2
        ? Future.failedFuture("the store refused") : later(vertx))
        .onComplete(context.failing(failure -> context.verify(() -> {
          assertThat(failure).hasMessage("the store refused");
          assertThat(taken[0]).isEqualTo(2);
          context.completeNow();
        }))));
  }
}
