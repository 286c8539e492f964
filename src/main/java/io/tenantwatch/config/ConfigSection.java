package io.tenantwatch.config;

import io.tenantwatch.fetch.HttpUrl;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One JSON object of the configuration file, read key by key with the checks every section shares.
 * It knows its own dotted path, so every message names the full key, and it remembers which keys were
 * read, so {@link #rejectUnknownKeys()} finds typos without a second list of key names.
 *
 * <p>A key that is absent or {@code null} takes its default: every key is optional.
 */
final class ConfigSection {
  private static final int MAX_SHOWN_CHARS = 80;

  private final JsonObject json;
  private final String path;
  private final Set<String> known = new HashSet<>();

  private ConfigSection(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** The top level of the file. */
  static ConfigSection root(JsonObject json) {
    return at(json, "");
  }

  /** A section read on its own, still named by its place in the file (e.g. {@code stateApi}). */
  static ConfigSection at(JsonObject json, String path) {
    return new ConfigSection(json == null ? new JsonObject() : json, path);
  }

  /** A nested object; absent or null reads as an empty object, so all its keys take their defaults. */
  ConfigSection section(String key) {
    Object value = value(key);
    if (value == null) {
      return new ConfigSection(new JsonObject(), keyPath(key));
    }
    if (!(value instanceof JsonObject object)) {
      throw invalid(key, "an object", value);
    }
    return new ConfigSection(object, keyPath(key));
  }

  /** Fails on the first key, in file order, that no reader asked for. Call after reading every key. */
  void rejectUnknownKeys() {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        String dotted = keyPath(name);
        throw new ConfigException(dotted, "unknown key '" + dotted + "'");
      }
    }
  }

  /** Whether the file gives this key a value (not absent, not null). */
  boolean has(String key) {
    return value(key) != null;
  }

  String text(String key, String defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw invalid(key, "a non-empty string", value);
    }
    return text;
  }

  /** A string that may be absent; null when it is. */
  String optionalText(String key) {
    return text(key, null);
  }

  /** A secret: absent, null or blank reads as null, and no message ever shows the value. */
  String secret(String key) {
    Object value = value(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw failure(key, "must be a string (the value is not shown: it is a secret)");
    }
    return text.isBlank() ? null : text;
  }

  /** An absolute http or https URL, or the default when absent. */
  String httpUrl(String key, String defaultValue) {
    String text = text(key, null);
    if (text == null) {
      return defaultValue;
    }
    if (!HttpUrl.isValid(text)) {
      throw invalid(key, "an absolute http or https URL", text);
    }
    return text;
  }

  /** A string naming a file: it must be a legal path on this system (whether it exists is checked later). */
  String filePath(String key, String defaultValue) {
    String text = text(key, defaultValue);
    if (text != null && !isPath(text)) {
      throw invalid(key, "a file path", text);
    }
    return text;
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean flag)) {
      throw invalid(key, "true or false", value);
    }
    return flag;
  }

  /** A whole number in {@code [min, max]}; a fraction or a string is refused, not rounded or parsed. */
  long integer(String key, long defaultValue, long min, long max) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    boolean whole = value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte;
    if (!whole) {
      // Covers fractions, strings and numbers beyond a long (BigInteger) alike.
      throw invalid(key, integerExpectation(min, max), value);
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw invalid(key, integerExpectation(min, max), value);
    }
    return number;
  }

  int integer(String key, int defaultValue, int min, int max) {
    return (int) integer(key, (long) defaultValue, min, max);
  }

  /** Any JSON number in {@code [min, max]}. */
  double number(String key, double defaultValue, double min, double max) {
    Object value = value(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number number) || number.doubleValue() < min || number.doubleValue() > max) {
      throw invalid(key, "a number from " + plain(min) + " to " + plain(max), value);
    }
    return number.doubleValue();
  }

  /**
   * An array of non-empty strings each passing {@code valid}, or null when absent. Each element is
   * named by its index ({@code webhook.issuers[1]}).
   */
  List<String> textList(String key, Predicate<String> valid, String expectation) {
    Object value = value(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid(key, "an array of strings", value);
    }
    List<String> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String text) || text.isBlank()) {
        throw invalid(key + "[" + i + "]", "a non-empty string", item);
      }
      if (!valid.test(text)) {
        throw invalid(key + "[" + i + "]", expectation, text);
      }
      items.add(text);
    }
    return items;
  }

  /** The full dotted path of a key in this section. */
  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A bad value: {@code <dotted key>: must be <expectation>, got <value>}. */
  ConfigException invalid(String key, String expectation, Object value) {
    return ConfigException.invalid(keyPath(key), expectation, value);
  }

  /** Any other fault of one key: {@code <dotted key>: <problem>}. */
  ConfigException failure(String key, String problem) {
    return ConfigException.of(keyPath(key), problem);
  }

  static boolean isPath(String text) {
    try {
      Path.of(text);
      return true;
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** A value as it would appear in the file, shortened so a huge value cannot flood the log. */
  static String show(Object value) {
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    String shown = value instanceof String text ? Json.encode(text) : String.valueOf(value);
    return shown.length() <= MAX_SHOWN_CHARS ? shown : shown.substring(0, MAX_SHOWN_CHARS) + "...";
  }

  private Object value(String key) {
    known.add(key);
    return json.getValue(key);
  }

  private static String integerExpectation(long min, long max) {
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      if (min == 1) {
        return "a positive integer";
      }
      if (min == 0) {
        return "a non-negative integer";
      }
    }
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return "an integer";
    }
    return "an integer from " + min + " to " + max;
  }

  private static String plain(double number) {
    return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
  }
}
