package io.tenantwatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every benchmark main shares: its arguments ({@code quick|full} and the rows file), one row per
 * figure appended to that file as {@code metric, value, baseline, ratio, target, verdict} separated by
 * tabs, and the few formats and statistics the figures are written in.
 *
 * <p>A run on a tuned runtime names its tuning in the system property {@value #TUNING}: every metric it
 * reports then ends with ", on" and that name, so its rows stand beside the same benchmark's on the flags
 * alone (the report's flags table shows what the tuning is).
 */
final class BenchReport {
  private static final Logger LOG = LoggerFactory.getLogger(BenchReport.class);
  /** The system property naming the runtime's tuning, added to every metric. */
  static final String TUNING = "tenantwatch.bench.tuning";

  private final boolean full;
  private final Path rows;
  private final String tuning;

  private BenchReport(boolean full, Path rows, String tuning) {
    this.full = full;
    this.rows = rows;
    this.tuning = tuning == null || tuning.isBlank() ? "" : ", on " + tuning;
  }

  /** A benchmark's body, given its report. */
  interface Body {
    void run(BenchReport report) throws Exception;
  }

  /**
   * Runs a benchmark main and ends the JVM after it, since Vert.x's threads would keep it alive: status 0
   * when the body finished, 1 (and the failure logged) when it threw.
   */
  static void main(String[] args, Body body) {
    int status = 0;
    try {
      body.run(fromArgs(args));
    } catch (Exception | Error e) {
      LOG.error("benchmark failed", e);
      status = 1;
    }
    System.exit(status);
  }

  /** Reads {@code args[0]} ({@code quick} or {@code full}) and {@code args[1]} (the rows file). */
  static BenchReport fromArgs(String[] args) {
    if (args.length < 2 || !(args[0].equals("quick") || args[0].equals("full"))) {
      throw new IllegalArgumentException("usage: <quick|full> <rows file> [benchmark-specific arguments]");
    }
    return new BenchReport(args[0].equals("full"), Path.of(args[1]), System.getProperty(TUNING));
  }

  boolean full() {
    return full;
  }

  /** Appends one figure at once, so the figures measured so far survive a later failure. */
  void row(String metric, String value, String baseline, String ratio, String target, Boolean met) {
    String line = String.join("\t", metric + tuning, value, baseline, ratio, target,
        met == null ? "-" : met ? "met" : "missed") + "\n";
    try {
      Files.writeString(rows, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot append to " + rows, e);
    }
  }

  /** A figure without a baseline: value and target only. */
  void row(String metric, String value, String target, Boolean met) {
    row(metric, value, "-", "-", target, met);
  }

  /** {@code 1.23 ms}, {@code 0.412 ms}: three significant digits below 10, fewer decimals above. */
  static String decimal(double value, String unit) {
    return (value >= 100 ? number(value, 0) : value >= 10 ? number(value, 1) : value >= 1 ? number(value, 2)
        : number(value, 3)) + " " + unit;
  }

  /** A whole number with thousands separators: {@code 41,200}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A number with {@code decimals} places and thousands separators. */
  static String number(double value, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  /** {@code value / baseline} as {@code 0.93x}; {@code -} without a baseline. */
  static String ratio(double value, double baseline) {
    return baseline > 0 ? number(value / baseline, 2) + "x" : "-";
  }

  /** Removes a benchmark's scratch directory (an embedded PostgreSQL's files) and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  /** Milliseconds from nanoseconds, three significant places for small values: {@code 0.412 ms}, {@code 12.3 ms}. */
  static String millis(double nanos) {
    double ms = nanos / 1e6;
    return (ms < 1 ? number(ms, 3) : ms < 10 ? number(ms, 2) : number(ms, 1)) + " ms";
  }

  /** CPU time this JVM has used so far, on all its threads. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
