package io.tenantwatch.config;

/**
 * A configuration that cannot be used. The message names the key by its full dotted path (for example
 * {@code stateApi.maxPollsPerSecond}) and the value at fault, so an operator can fix the file from the
 * message alone. Secrets (the admin token) are never repeated in the message.
 *
 * <p>Unchecked: a bad configuration stops the start, and there is nothing a caller could do about it
 * other than report it.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  /**
   * @param key the dotted path of the key at fault, or null when the fault is not in one key (the file
   *     cannot be read, is not JSON)
   * @param message the whole human sentence, already naming the key
   */
  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** As {@link #ConfigException(String, String)}, with the underlying cause kept for the logs. */
  public ConfigException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /**
   * A fault of one key, found while reading the file or later, when the engine starts and opens what the
   * key names: {@code <dotted key>: <problem>}, e.g.
   * {@code webhook.certificates: the file /x/y.crt cannot be read (NoSuchFileException)}.
   */
  public static ConfigException of(String key, String problem) {
    return new ConfigException(key, key + ": " + problem);
  }

  /** As {@link #of(String, String)}, with the underlying cause kept for the logs. */
  public static ConfigException of(String key, String problem, Throwable cause) {
    return new ConfigException(key, key + ": " + problem, cause);
  }

  /**
   * A bad value: {@code <dotted key>: must be <expectation>, got <value>}, the value shown as in the
   * file (shortened when long). Never for secrets.
   */
  public static ConfigException invalid(String key, String expectation, Object value) {
    return of(key, "must be " + expectation + ", got " + ConfigSection.show(value));
  }

  /** The dotted path of the key at fault ({@code admin.token}, {@code tenants[2]}), or null. */
  public String key() {
    return key;
  }
}
