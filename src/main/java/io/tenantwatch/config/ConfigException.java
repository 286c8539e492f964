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

  /** The dotted path of the key at fault ({@code admin.token}, {@code tenants[2]}), or null. */
  public String key() {
    return key;
  }
}
