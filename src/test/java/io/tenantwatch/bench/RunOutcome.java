package io.tenantwatch.bench;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What one timed run of requests did: the answers that counted, the ones that did not, the time from the
 * first request to the last answer, and the CPU time the whole process spent meanwhile.
 */
record RunOutcome(long ok, long failed, long nanos, long cpuNanos) {

  RunOutcome(long ok, long failed, long nanos) {
    this(ok, failed, nanos, 0);
  }

  /** Awaits a run started by {@code run}, adding the process CPU time it took. */
  static RunOutcome measure(Supplier<Future<RunOutcome>> run, long timeoutSeconds) throws Exception {
    long cpu = BenchReport.processCpuNanos();
    RunOutcome outcome = run.get().await(timeoutSeconds, TimeUnit.SECONDS);
    return new RunOutcome(outcome.ok, outcome.failed, outcome.nanos, BenchReport.processCpuNanos() - cpu);
  }

  double perSecond() {
    return ok * 1e9 / nanos;
  }

  /** CPU microseconds per counted answer. */
  double cpuMicrosEach() {
    return cpuNanos / 1e3 / ok;
  }

  @Override
  public String toString() {
    return BenchReport.count(ok) + " ok, " + failed + " failed in " + BenchReport.millis(nanos)
        + (cpuNanos == 0 ? "" : ", " + BenchReport.number(cpuMicrosEach(), 1) + " us CPU each");
  }
}
