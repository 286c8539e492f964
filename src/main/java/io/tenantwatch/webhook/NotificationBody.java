package io.tenantwatch.webhook;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body SuperOffice POSTs to the "Customer state change" URL, judged before its token: field names in
 * any case, {@code ChangeType} an integer (unknown values kept), {@code FileVersion} possibly empty,
 * {@code PublicEndpoint} a bare host name on a Move.
 *
 * @param notification what the engine acts on
 * @param token the {@code Token} field, null when missing (the route answers 401 for that)
 */
public record NotificationBody(Notification notification, String token) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
  private static final int MAX_TEXT = 256;

  /** Why a body was refused: a short code and a human sentence (never the body or the token). */
  public static final class Malformed extends Exception {
    private final String code;

    Malformed(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** Parses and checks a body. */
  public static NotificationBody parse(Buffer body) throws Malformed {
    Object decoded;
    try {
      decoded = body == null || body.length() == 0 ? null : StrictJson.decode(body);
    } catch (StrictJson.DuplicateMember e) {
      throw new Malformed("duplicate-field", "the body names a field twice");
    } catch (StrictJson.UnsafeText e) {
      throw new Malformed("bad-json", "the body holds a control character or a lone surrogate");
    } catch (DecodeException | IllegalStateException e) {
      throw new Malformed("bad-json", "the body is not JSON");
    }
    if (!(decoded instanceof JsonObject json)) {
      throw new Malformed("bad-json", "the body is not a JSON object");
    }
    Map<String, Object> fields = new HashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      if (fields.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()) != null) {
        throw new Malformed("duplicate-field", "the field " + safe(entry.getKey()) + " appears twice");
      }
    }
    Object ctx = fields.get("contextidentifier");
    if (ctx == null) {
      throw new Malformed("missing-context-identifier", "ContextIdentifier is missing");
    }
    if (!(ctx instanceof String text) || !ContextId.isValid(text)) {
      throw new Malformed("bad-context-identifier", "ContextIdentifier is not 'Cust' followed by 1 to 12 digits");
    }
    Object change = fields.get("changetype");
    if (change == null) {
      throw new Malformed("missing-change-type", "ChangeType is missing");
    }
    if (!(change instanceof Integer code)) {
      throw new Malformed("bad-change-type", "ChangeType is not an integer");
    }
    String publicEndpoint = text(fields, "publicendpoint", "PublicEndpoint");
    if (publicEndpoint != null && !publicEndpoint.isEmpty() && !HOST.matcher(publicEndpoint).matches()) {
      throw new Malformed("bad-public-endpoint", "PublicEndpoint is not a host name");
    }
    Object token = fields.get("token");
    if (token != null && !(token instanceof String)) {
      throw new Malformed("bad-token-field", "Token is not a string");
    }
    Notification notification = new Notification(text, ChangeType.of(code),
        text(fields, "versionname", "VersionName"), text(fields, "fileversion", "FileVersion"),
        publicEndpoint == null || publicEndpoint.isEmpty() ? null : publicEndpoint.toLowerCase(Locale.ROOT));
    return new NotificationBody(notification, (String) token);
  }

  private static String text(Map<String, Object> fields, String key, String name) throws Malformed {
    Object value = fields.get(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.length() > MAX_TEXT) {
      throw new Malformed("bad-" + name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT),
          name + " is not a string of at most " + MAX_TEXT + " characters");
    }
    return text;
  }

  /** A field name fit for a message: letters and digits only, cut short. */
  private static String safe(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9]", "");
    return cleaned.length() > 32 ? cleaned.substring(0, 32) : cleaned;
  }
}
