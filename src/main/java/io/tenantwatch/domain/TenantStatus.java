package io.tenantwatch.domain;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One answer of the SuperOffice state API ({@code GET /api/state/{ContextIdentifier}}).
 *
 * @param contextIdentifier the tenant, as the body names it
 * @param endpoint the tenant's root URL (may be null when SuperOffice sends null)
 * @param state the state from the one table; {@link TenantState#UNKNOWN} for a name or number not in it
 * @param rawState the {@code State} value as received, kept so an unknown state stays visible
 * @param isRunning the {@code IsRunning} field, null when the body has none
 * @param validUntil when to look again
 * @param api the tenant's REST base URL (may be null when SuperOffice sends null)
 * @param version the release name, null in older answers
 */
public record TenantStatus(
    String contextIdentifier,
    String endpoint,
    TenantState state,
    String rawState,
    Boolean isRunning,
    Instant validUntil,
    String api,
    String version) {

  /** R1: the {@code IsRunning} field, or where it is absent, whether the state is a running one. */
  public boolean running() {
    return isRunning != null ? isRunning : state.running();
  }

  /** Parses a raw body; anything that is not a JSON object is a parse error. */
  public static TenantStatus parse(Buffer body) throws StatusParseException {
    if (body == null || body.length() == 0) {
      throw new StatusParseException(null, "the body is empty");
    }
    Object decoded;
    try {
      decoded = StrictJson.decode(body);
    } catch (StrictJson.DuplicateMember e) {
      throw new StatusParseException(null, "the body names a field twice");
    } catch (StrictJson.UnsafeText e) {
      throw new StatusParseException(null, "the body holds a control character or a lone surrogate");
    } catch (DecodeException | IllegalStateException e) {
      throw new StatusParseException(null, "the body is not JSON");
    }
    if (!(decoded instanceof JsonObject json)) {
      throw new StatusParseException(null, "the body is not a JSON object");
    }
    return fromJson(json);
  }

  /** Reads the PascalCase fields; unknown fields are ignored. */
  public static TenantStatus fromJson(JsonObject json) throws StatusParseException {
    String ctx = requiredString(json, "ContextIdentifier", false);
    if (!ContextId.isValid(ctx)) {
      throw new StatusParseException("ContextIdentifier", "not 'Cust' followed by digits");
    }
    String endpoint = requiredString(json, "Endpoint", true);
    Object stateValue = json.getValue("State");
    if (stateValue == null) {
      throw new StatusParseException("State", "missing");
    }
    String rawState = rawState(stateValue);
    TenantState state = stateOf(stateValue);
    Object running = json.getValue("IsRunning");
    if (running != null && !(running instanceof Boolean)) {
      throw new StatusParseException("IsRunning", "not a boolean");
    }
    Instant validUntil = instant("ValidUntil", requiredString(json, "ValidUntil", false));
    String api = requiredString(json, "Api", true);
    Object version = json.getValue("Version");
    if (version != null && !(version instanceof String)) {
      throw new StatusParseException("Version", "not a string");
    }
    return new TenantStatus(ctx, endpoint, state, rawState, (Boolean) running, validUntil, api, (String) version);
  }

  /** The body in the state API's own shape, as the simulator serves it. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("ContextIdentifier", contextIdentifier)
        .put("Endpoint", endpoint)
        .put("State", rawState)
        .put("IsRunning", isRunning)
        .put("ValidUntil", formatValidUntil(validUntil))
        .put("Api", api);
    if (version != null) {
      json.put("Version", version);
    }
    return json;
  }

  /** A status for a state from the table, with {@code IsRunning} as SuperOffice would set it. */
  public static TenantStatus of(String ctx, TenantState state, String endpoint, String api,
      Instant validUntil, String version) {
    return new TenantStatus(ctx, endpoint, state, state.displayName(), state.running(), validUntil, api, version);
  }

  /** {@code ValidUntil} as SuperOffice writes it: UTC with seven fractional digits. */
  public static String formatValidUntil(Instant instant) {
    return ValidUntilText.format(instant);
  }

  private static String requiredString(JsonObject json, String field, boolean nullable)
      throws StatusParseException {
    if (!json.containsKey(field)) {
      throw new StatusParseException(field, "missing");
    }
    Object value = json.getValue(field);
    if (value == null) {
      if (nullable) {
        return null;
      }
      throw new StatusParseException(field, "null");
    }
    if (!(value instanceof String text)) {
      throw new StatusParseException(field, "not a string");
    }
    return text;
  }

  private static String rawState(Object value) throws StatusParseException {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
      return value.toString();
    }
    throw new StatusParseException("State", "neither a state name nor an integer");
  }

  private static TenantState stateOf(Object value) {
    if (value instanceof String text) {
      String trimmed = text.trim();
      if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit) && trimmed.length() < 10) {
        return TenantState.byCode(Integer.parseInt(trimmed)).orElse(TenantState.UNKNOWN);
      }
      return TenantState.byName(trimmed).orElse(TenantState.UNKNOWN);
    }
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      return TenantState.UNKNOWN; // a number beyond any code: unknown, raw value kept
    }
    long code = ((Number) value).longValue();
    return code >= 0 && code <= Integer.MAX_VALUE
        ? TenantState.byCode((int) code).orElse(TenantState.UNKNOWN)
        : TenantState.UNKNOWN;
  }

  private static Instant instant(String field, String text) throws StatusParseException {
    try {
      return ValidUntilText.parse(text);
    } catch (DateTimeParseException e) {
      throw new StatusParseException(field, "not an ISO-8601 date-time");
    }
  }
}
