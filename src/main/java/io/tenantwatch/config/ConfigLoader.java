package io.tenantwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the configuration file. Plain {@code java.nio}, so it works before any {@code Vertx} exists
 * (the runnable jar reads its file before it builds one).
 */
public final class ConfigLoader {
  /** The file the runnable jar reads when no other is named. */
  public static final Path DEFAULT_PATH = Path.of("conf", "tenantwatch.json");

  private ConfigLoader() {
  }

  /**
   * Reads, parses and checks a configuration file (UTF-8 JSON object).
   *
   * @throws ConfigException when the file is missing or unreadable (naming the path), is not a JSON
   *     object ({@code not valid JSON: ...}), or holds a bad key or value
   */
  public static TenantWatchOptions load(Path file) {
    return TenantWatchOptions.fromJson(readJson(file));
  }

  /** The file's JSON object, unchecked beyond being a JSON object. */
  public static JsonObject readJson(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(null, "configuration file " + file + " does not exist", e);
    } catch (CharacterCodingException e) {
      throw new ConfigException(null, "configuration file " + file + " is not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read configuration file " + file + ": " + e, e);
    }
    if (text.isBlank()) {
      throw new ConfigException(null, "not valid JSON: configuration file " + file + " is empty");
    }
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ConfigException(null, "not valid JSON: " + describe(e) + " (in " + file + ")", e);
    }
    if (!(value instanceof JsonObject json)) {
      throw new ConfigException(null, "not valid JSON: configuration file " + file
          + " must hold one JSON object, not " + ConfigSection.show(value));
    }
    return json;
  }

  /** Jackson's own sentence and position, without its note about the redacted source. */
  private static String describe(DecodeException e) {
    if (e.getCause() instanceof JsonProcessingException parse && parse.getLocation() != null) {
      JsonLocation at = parse.getLocation();
      return parse.getOriginalMessage() + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    return e.getMessage();
  }
}
