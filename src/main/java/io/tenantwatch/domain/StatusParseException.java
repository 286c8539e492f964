package io.tenantwatch.domain;

/** A state-API body that cannot be used; names the field at fault. */
public final class StatusParseException extends Exception {
  private final String field;

  public StatusParseException(String field, String message) {
    super(field == null ? message : field + ": " + message);
    this.field = field;
  }

  /** The PascalCase field at fault, or null when the body as a whole is not a JSON object. */
  public String field() {
    return field;
  }
}
