package io.tenantwatch.bench;

import io.tenantwatch.poll.PollerOptions;
import io.tenantwatch.poll.StatePoller;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sustained polls per second through the engine's {@link StatePoller} (the limiter opened wide to
 * {@value #CONCURRENCY} in flight) against the simulator, each result delivered as a {@code poll-result}
 * on its tenant's address; and, in the same process against the same simulator, a bare WebClient loop
 * doing the same GETs with the same concurrency; and the contract's floor, a {@link FloorPoller} driven
 * by the same {@link PollDriver}: what the contracts ask of any poller (an event-bus request in, the strict
 * read, the result out) and nothing more, which shows how much of the gap is the engine's own. Each
 * round runs the three in another order after a warm-up of each; the figures are medians over the
 * rounds, with the CPU time the process spent per answer beside them (a figure the load of other
 * processes on a shared machine moves far less than the rate). The simulator runs on a Vert.x instance
 * of its own, as a remote state API would.
 */
public final class PollThroughputBench {
  private static final Logger LOG = LoggerFactory.getLogger(PollThroughputBench.class);
  private static final int CONCURRENCY = 64;
  private static final int TENANTS = 1_024;
  private static final double TARGET_RATIO = 0.8;
  /** Rounds of each side first, unmeasured: on a busy 2-core machine the JIT needs about half a minute. */
  private static final int WARMUP_ROUNDS = 4;

  private PollThroughputBench() {
  }

  public static void main(String[] args) {
    BenchReport.main(args, PollThroughputBench::run);
  }

  private static void run(BenchReport report) throws Exception {
    int rounds = report.full() ? 9 : 5;
    long roundNanos = TimeUnit.SECONDS.toNanos(report.full() ? 10 : 4);

    // The simulator stands for SuperOffice, so it gets event loops of its own: neither side's client
    // work can land on the simulator's thread and slow the server for that side only.
    Vertx superOffice = Vertx.vertx();
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(TENANTS)
        .withScripted(false).withValidityMs(3_600_000), Clock.systemUTC());
    superOffice.deployVerticle(simulator).await(1, TimeUnit.MINUTES);
    Vertx vertx = Vertx.vertx();
    List<String> tenants = simulator.tenantIds();
    vertx.deployVerticle(new StatePoller(new PollerOptions(simulator.stateApiBaseUrl(), 5_000, CONCURRENCY,
        1_000_000))).await(1, TimeUnit.MINUTES);
    PollDriver engine = new PollDriver(tenants);
    BareStateClient bare = new BareStateClient(simulator.stateApiBaseUrl(), CONCURRENCY);
    vertx.deployVerticle(engine).await(1, TimeUnit.MINUTES);
    vertx.deployVerticle(bare).await(1, TimeUnit.MINUTES);
    vertx.deployVerticle(new FloorPoller(simulator.stateApiBaseUrl(), CONCURRENCY)).await(1, TimeUnit.MINUTES);

    long timeout = TimeUnit.NANOSECONDS.toSeconds(roundNanos) + 60;
    Supplier<Future<RunOutcome>> viaPoller = () -> engine.run(roundNanos);
    Supplier<Future<RunOutcome>> viaWebClient = () -> bare.run(tenants, Long.MAX_VALUE, roundNanos);
    Supplier<Future<RunOutcome>> viaFloor = () -> engine.run(roundNanos, FloorPoller.ADDRESS);
    List<Supplier<Future<RunOutcome>>> sides = List.of(viaPoller, viaWebClient, viaFloor);
    for (int warmup = 0; warmup < WARMUP_ROUNDS; warmup++) {
      for (Supplier<Future<RunOutcome>> side : sides) {
        RunOutcome.measure(side, timeout);
      }
    }
    double[][] rate = new double[sides.size()][rounds];
    double[][] cpuEach = new double[sides.size()][rounds];
    long failed = 0;
    for (int round = 0; round < rounds; round++) {
      // Each round the three go in another order, so a drift of the shared machine favours none.
      RunOutcome[] outcome = new RunOutcome[sides.size()];
      for (int turn = 0; turn < sides.size(); turn++) {
        int side = (turn + round) % sides.size();
        outcome[side] = RunOutcome.measure(sides.get(side), timeout);
        rate[side][round] = outcome[side].perSecond();
        cpuEach[side][round] = outcome[side].cpuMicrosEach();
        failed += outcome[side].failed();
      }
      LOG.info("round {}: StatePoller {}; bare WebClient {}; contract floor {}", round + 1, outcome[0], outcome[1],
          outcome[2]);
    }
    String rounded = CONCURRENCY + " in flight, median of " + rounds + " rounds";
    double value = Percentiles.median(rate[0]);
    double baseline = Percentiles.median(rate[1]);
    double floorRate = Percentiles.median(rate[2]);
    report.row("poll throughput through the StatePoller (" + rounded + (failed == 0 ? "" : ", " + failed + " failed") + ")",
        BenchReport.count(Math.round(value)) + " polls/s",
        BenchReport.count(Math.round(baseline)) + " requests/s (bare WebClient loop)",
        BenchReport.ratio(value, baseline), ">= 0.8x", failed == 0 && value / baseline >= TARGET_RATIO);
    report.row("poll throughput against the contract's floor (" + rounded + ")",
        BenchReport.count(Math.round(value)) + " polls/s",
        BenchReport.count(Math.round(floorRate)) + " polls/s (a WebClient GET with the event-bus request in, strict parse, result out; "
            + BenchReport.ratio(floorRate, baseline) + " the bare loop)",
        BenchReport.ratio(value, floorRate), "-", null);
    double cpu = Percentiles.median(cpuEach[0]);
    double bareCpuEach = Percentiles.median(cpuEach[1]);
    report.row("CPU per poll, whole process with the simulator (" + rounded + ")",
        BenchReport.number(cpu, 1) + " us/poll", BenchReport.number(bareCpuEach, 1) + " us/request (bare WebClient loop; "
            + BenchReport.number(Percentiles.median(cpuEach[2]), 1) + " us the contract's floor)",
        BenchReport.ratio(cpu, bareCpuEach), "-", null);
    vertx.close().await(1, TimeUnit.MINUTES);
    superOffice.close().await(1, TimeUnit.MINUTES);
  }
}
