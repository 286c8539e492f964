package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.machine.PollReason;
import io.tenantwatch.poll.PollRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the tenant verticles when the StatePoller is measured alone: it listens on each tenant's
 * address, and for as long as a run lasts asks {@code tenantwatch.poll} to poll a tenant again as soon as
 * that tenant's {@code poll-result} arrives, so every tenant is always waiting or in flight and the
 * poller's limiter decides how many polls run at once.
 */
final class PollDriver extends VerticleBase {
  private final List<String> tenants;
  private Run current;

  PollDriver(List<String> tenants) {
    this.tenants = List.copyOf(tenants);
  }

  @Override
  public Future<?> start() {
    List<Future<?>> ready = new ArrayList<>();
    for (String tenant : tenants) {
      ready.add(vertx.eventBus().<JsonObject>consumer(Addresses.tenant(tenant),
          message -> current.delivered(tenant, message.body())).completion());
    }
    return Future.all(ready);
  }

  /** Keeps every tenant polled through the StatePoller for {@code durationNanos}; completes at the last result. */
  Future<RunOutcome> run(long durationNanos) {
    return run(durationNanos, Addresses.POLL);
  }

  /**
   * The same through the poller listening on {@code pollAddress}, which sends each result to the tenant's
   * address as the StatePoller does.
   */
  Future<RunOutcome> run(long durationNanos, String pollAddress) {
    Promise<RunOutcome> done = Promise.promise();
    context.runOnContext(v -> {
      current = new Run(System.nanoTime() + durationNanos, pollAddress, done);
      tenants.forEach(current::ask);
    });
    return done.future();
  }

  private final class Run {
    private final long start = System.nanoTime();
    private final long deadline;
    private final Promise<RunOutcome> done;
    private long ok;
    private long failed;
    private int outstanding;
    private final String pollAddress;

    Run(long deadline, String pollAddress, Promise<RunOutcome> done) {
      this.pollAddress = pollAddress;
      this.deadline = deadline;
      this.done = done;
    }

    void ask(String tenant) {
      outstanding++;
      vertx.eventBus().send(pollAddress, new PollRequest(tenant, PollReason.TIMER).toJson());
    }

    void delivered(String tenant, JsonObject result) {
      if (Boolean.TRUE.equals(result.getBoolean("ok"))) {
        ok++;
      } else {
        failed++;
      }
      outstanding--;
      if (System.nanoTime() < deadline) {
        ask(tenant);
      } else if (outstanding == 0) {
        done.complete(new RunOutcome(ok, failed, System.nanoTime() - start));
      }
    }
  }
}
