package io.tenantwatch.bench;

import java.util.Arrays;

/** Latency samples, sorted once, read by nearest rank; and the median of a few rounds. */
public final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  /** The samples (any unit), copied and sorted; at least one. */
  public static Percentiles of(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    long[] copy = samples.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  /** The value at {@code fraction} (0.99 for p99) by nearest rank: the smallest sample with at least that share at or below it. */
  public long at(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("a percentile is in (0, 1], not " + fraction);
    }
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  public int count() {
    return sorted.length;
  }

  public long max() {
    return sorted[sorted.length - 1];
  }

  /** The median of per-round results (the mean of the middle two for an even count). */
  public static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] copy = values.clone();
    Arrays.sort(copy);
    int middle = copy.length / 2;
    return copy.length % 2 == 1 ? copy[middle] : (copy[middle - 1] + copy[middle]) / 2;
  }
}
