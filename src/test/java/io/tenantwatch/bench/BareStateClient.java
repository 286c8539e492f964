package io.tenantwatch.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.client.WebClient;
import java.util.List;

/**
 * The baseline the engine's polling is measured against: a plain {@link WebClient} on one event loop
 * asking the state API for tenants, {@code concurrency} requests at a time over as many kept-alive
 * connections, reading each answer and doing nothing with it.
 */
final class BareStateClient extends StateApiClientVerticle {

  BareStateClient(String baseUrl, int concurrency) {
    super(baseUrl, concurrency);
  }

  /**
   * Asks for the tenants in turn (starting over at the end) until {@code requests} have been sent or
   * {@code durationNanos} has passed, whichever comes first; completes once every answer is in. An
   * answer counts when its status is 200.
   */
  Future<RunOutcome> run(List<String> tenants, long requests, long durationNanos) {
    Promise<RunOutcome> done = Promise.promise();
    context.runOnContext(v -> new Run(tenants, requests, durationNanos, done).begin());
    return done.future();
  }

  /** One run's lanes: each sends its next request when its previous answer is in. */
  private final class Run {
    private final List<String> tenants;
    private final long requests;
    private final long start = System.nanoTime();
    private final long deadline;
    private final Promise<RunOutcome> done;
    private long sent;
    private long ok;
    private long failed;
    private int lanes;

    Run(List<String> tenants, long requests, long durationNanos, Promise<RunOutcome> done) {
      this.tenants = tenants;
      this.requests = requests;
      this.deadline = durationNanos > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + durationNanos;
      this.done = done;
    }

    void begin() {
      lanes = concurrency();
      for (int i = 0; i < concurrency(); i++) {
        next();
      }
    }

    private void next() {
      if (sent >= requests || System.nanoTime() >= deadline) {
        if (--lanes == 0) {
          done.complete(new RunOutcome(ok, failed, System.nanoTime() - start));
        }
        return;
      }
      String tenant = tenants.get((int) (sent++ % tenants.size()));
      get(tenant).onComplete(answer -> {
        if (answer.succeeded() && answer.result().statusCode() == 200) {
          ok++;
        } else {
          failed++;
        }
        next();
      });
    }
  }
}
