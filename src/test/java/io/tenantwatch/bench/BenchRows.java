package io.tenantwatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The rows file every benchmark main appends to (bench.md): one line per figure,
 * {@code metric<TAB>value<TAB>baseline<TAB>ratio<TAB>target<TAB>verdict}, plus the formats the rows share
 * so that every benchmark writes numbers the same way.
 */
public final class BenchRows {
  /** The placeholder for a column that does not apply (no baseline, no target). */
  public static final String NONE = "-";

  private final Path file;

  public BenchRows(Path file) {
    this.file = file;
  }

  /** Appends one row; a tab or newline inside a column would break the file, so it is refused. */
  public void add(String metric, String value, String baseline, String ratio, String target, String verdict) {
    String[] columns = {metric, value, baseline, ratio, target, verdict};
    for (String column : columns) {
      if (column.indexOf('\t') >= 0 || column.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a row column holds a tab or newline: " + column);
      }
    }
    try {
      Files.writeString(file, String.join("\t", columns) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** A row without baseline: ratio {@code -}. */
  public void add(String metric, String value, String target, String verdict) {
    add(metric, value, NONE, NONE, target, verdict);
  }

  /** {@code 41,200 polls/s}: a whole number with thousands separators and its unit. */
  public static String count(double value, String unit) {
    return String.format(Locale.ROOT, "%,.0f %s", value, unit);
  }

  /** {@code 1.23 ms}, {@code 0.412 ms}: three significant digits for sub-10 values. */
  public static String decimal(double value, String unit) {
    String pattern = value >= 100 ? "%,.0f %s" : value >= 10 ? "%.1f %s" : value >= 1 ? "%.2f %s" : "%.3f %s";
    return String.format(Locale.ROOT, pattern, value, unit);
  }

  /** {@code 0.93x}: value over baseline. */
  public static String ratio(double value, double baseline) {
    return String.format(Locale.ROOT, "%.2fx", value / baseline);
  }

  public static String verdict(boolean met) {
    return met ? "met" : "missed";
  }
}
