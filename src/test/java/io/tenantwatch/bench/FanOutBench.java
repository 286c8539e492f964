package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.worker.DeliveryPolicy;
import io.tenantwatch.worker.WorkerRegistration;
import io.tenantwatch.worker.WorkerRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command delivered to, and acknowledged by, every registered worker: timed on an event loop from
 * handing it to {@code tenantwatch.workers.command} until the last worker has received it and replied.
 * The workers are raw consumers, one verticle each, registered through
 * {@code tenantwatch.workers.register}, that reply at once. The baseline, alternating round by round in
 * the same process, is the same event loop sending the same command straight to every worker as an
 * event-bus request: what Vert.x itself takes without the registry in between. After the rounds the
 * registry's own counters must show every engine round delivered to every worker.
 */
public final class FanOutBench {
  private static final Logger LOG = LoggerFactory.getLogger(FanOutBench.class);
  private static final String TENANT = "Cust1";
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final int TARGETED_WORKERS = 100;
  private static final long TARGET_P99_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Vertx vertx;
  private final Context driver;
  private long seq;

  private FanOutBench(Vertx vertx) {
    this.vertx = vertx;
    this.driver = vertx.getOrCreateContext();
  }

  public static void main(String[] args) {
    BenchReport.main(args, FanOutBench::run);
  }

  private static void run(BenchReport report) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new WorkerRegistry(DeliveryPolicy.DEFAULT)).await(1, TimeUnit.MINUTES);
    FanOutBench bench = new FanOutBench(vertx);
    for (int workers : List.of(10, 100, 1_000)) {
      int rounds = (report.full() ? 5 : 1) * (workers >= 1_000 ? 200 : 1_000);
      bench.measure(report, workers, rounds);
    }
    vertx.close().await(1, TimeUnit.MINUTES);
  }

  private void measure(BenchReport report, int count, int rounds) throws Exception {
    List<AckingWorker> workers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AckingWorker worker = new AckingWorker("bench.fanout.worker." + i);
      vertx.deployVerticle(worker).await(1, TimeUnit.MINUTES);
      workers.add(worker);
    }
    int warmup = rounds / 10;
    long[] viaRegistry = new long[rounds];
    long[] direct = new long[rounds];
    for (int round = -warmup; round < rounds; round++) {
      long registry = round(workers, true);
      long bare = round(workers, false);
      if (round >= 0) {
        viaRegistry[round] = registry;
        direct[round] = bare;
      }
    }
    boolean confirmed = confirmDelivered(workers, warmup + rounds);
    LOG.info("{} workers: registry p50 {} p99 {}, direct p50 {} p99 {}; registry counters {}", count,
        BenchReport.millis(Percentiles.of(viaRegistry).at(50 / 100.0)),
        BenchReport.millis(Percentiles.of(viaRegistry).at(99 / 100.0)),
        BenchReport.millis(Percentiles.of(direct).at(50 / 100.0)), BenchReport.millis(Percentiles.of(direct).at(99 / 100.0)),
        confirmed ? "confirm every delivery" : "DO NOT confirm every delivery");
    for (int p : new int[] {50, 99}) {
      long value = Percentiles.of(viaRegistry).at(p / 100.0);
      long baseline = Percentiles.of(direct).at(p / 100.0);
      boolean targeted = p == 99 && count == TARGETED_WORKERS;
      Boolean met = targeted ? Boolean.valueOf(confirmed && value < TARGET_P99_NANOS) : confirmed ? null : Boolean.FALSE;
      report.row("fan-out: one command to " + count + " workers, all acknowledged, p" + p + " (" + rounds
              + " rounds" + (confirmed ? "" : "; registry counters short") + ")",
          BenchReport.millis(value), BenchReport.millis(baseline) + " (bare event-bus requests)",
          BenchReport.ratio(value, baseline), targeted ? "< 10 ms" : "-",
          met);
    }
    for (AckingWorker worker : workers) {
      vertx.undeploy(worker.deploymentID()).await(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Sends one command, through the registry or straight to each worker, and returns the nanoseconds until
   * the last worker replied. Waits, outside the timing, until the registry has taken every reply.
   */
  private long round(List<AckingWorker> workers, boolean viaRegistry) throws Exception {
    Round round = new Round(workers.size());
    workers.forEach(worker -> worker.current = round);
    JsonObject command = new Command(CommandType.RESUME, TENANT, "Running", true, null, null, "poll", ++seq, 0, AT)
        .toJson();
    driver.runOnContext(v -> {
      round.start = System.nanoTime();
      if (viaRegistry) {
        vertx.eventBus().send(Addresses.WORKERS_COMMAND, command);
      } else {
        workers.forEach(worker -> vertx.eventBus().request(worker.address, command));
      }
    });
    long nanos = round.done.future().await(1, TimeUnit.MINUTES);
    // The registry takes the replies on its own event loop; a request queued behind them returns after.
    vertx.eventBus().request(Addresses.WORKERS_LIST, null).await(1, TimeUnit.MINUTES);
    return nanos;
  }

  private boolean confirmDelivered(List<AckingWorker> workers, int expected) throws Exception {
    JsonObject list = vertx.eventBus().<JsonObject>request(Addresses.WORKERS_LIST, null)
        .await(1, TimeUnit.MINUTES).body();
    long confirmed = list.getJsonArray("workers").stream()
        .map(JsonObject.class::cast)
        .filter(w -> w.getString("address").startsWith("bench.fanout.worker."))
        .filter(w -> w.getLong("delivered") == expected && w.getLong("failed") == 0)
        .count();
    return confirmed == workers.size();
  }

  /** One command's way out: how many workers have still to reply, and when the last did. */
  private static final class Round {
    private final AtomicInteger left;
    private final Promise<Long> done = Promise.promise();
    private volatile long start;

    Round(int workers) {
      left = new AtomicInteger(workers);
    }

    void replied() {
      if (left.decrementAndGet() == 0) {
        done.complete(System.nanoTime() - start);
      }
    }
  }

  /** A worker that acknowledges every command at once and tells the round it has. */
  private static final class AckingWorker extends VerticleBase {
    private static final JsonObject ACK = new JsonObject();
    private final String address;
    private volatile Round current;

    AckingWorker(String address) {
      this.address = address;
    }

    @Override
    public Future<?> start() {
      return vertx.eventBus().consumer(address, message -> {
        message.reply(ACK);
        current.replied();
      }).completion().compose(v -> vertx.eventBus().request(Addresses.WORKERS_REGISTER,
          new WorkerRegistration(address, "bench-fanout", null).toJson()));
    }

    @Override
    public Future<?> stop() {
      return vertx.eventBus().request(Addresses.WORKERS_UNREGISTER, new JsonObject().put("address", address));
    }
  }
}
