package io.tenantwatch.domain;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads JSON from outside (a state-API answer, a webhook body) as Vert.x reads it, except for two things
 * that would otherwise change what a body means instead of refusing it:
 * <ul>
 *   <li>an object naming one member twice: which value a reader keeps is up to the reader (RFC 8259
 *       section 4); Vert.x keeps the last, so {@code "State":"Running", ..., "State":"Suspended"} would
 *       quietly mean Suspended;</li>
 *   <li>bytes that are not UTF-8 (RFC 8259 section 8.1): Jackson lets them pass in member names, so a
 *       damaged {@code "IsRunning":false} would read as no IsRunning at all, and the state would decide.</li>
 * </ul>
 * Neither is trusted: the input is malformed. Nor is text the engine could not keep or log safely
 * ({@link UnsafeText}): in any member name or string, a C0 control character other than tab, line feed
 * and carriage return (U+0000 to U+001F; the NUL among them is refused by PostgreSQL's jsonb, so a tenant
 * holding one could never be stored), or a UTF-16 surrogate without its pair (an escape such as
 * {@code "\ud800"}, which jsonb refuses too and no UTF-8 can carry).
 */
public final class StrictJson {

  /** The text is JSON, but an object in it names one member twice. */
  public static final class DuplicateMember extends DecodeException {
    private static final long serialVersionUID = 1L;

    DuplicateMember() {
      super("an object names one of its members twice");
    }
  }

  /** The text is JSON, but a name or string in it holds a character the engine cannot keep. */
  public static final class UnsafeText extends DecodeException {
    private static final long serialVersionUID = 1L;

    UnsafeText() {
      super("a name or string holds a control character or a lone surrogate");
    }
  }

  private StrictJson() {
  }

  /**
   * The JSON value in {@code body}: a {@link io.vertx.core.json.JsonObject}, a
   * {@link io.vertx.core.json.JsonArray}, a string, a number, a boolean or null.
   *
   * @throws DuplicateMember when an object names a member twice
   * @throws UnsafeText when a name or string holds a character the engine cannot keep
   * @throws DecodeException when the body is not one JSON value in UTF-8
   */
  public static Object decode(Buffer body) {
    requireUtf8(body);
    JsonParser parser = JacksonCodec.createParser(body);
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    Object value;
    try {
      value = JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException strictly) {
      // Read again without the check (only on this path): text that reads then failed on a duplicate.
      body.toJsonValue();
      throw new DuplicateMember();
    }
    requireSafe(value);
    return value;
  }

  private static void requireSafe(Object value) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> member : object) {
        requireSafe(member.getKey());
        requireSafe(member.getValue());
      }
    } else if (value instanceof JsonArray array) {
      array.forEach(StrictJson::requireSafe);
    } else if (value instanceof String text && !isSafe(text)) {
      throw new UnsafeText();
    }
  }

  /** Whether {@code text} has no control character but tab, LF and CR, and no lone surrogate. */
  public static boolean isSafe(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static void requireUtf8(Buffer body) {
    if (isAscii(body)) {
      return; // ASCII is UTF-8; the usual answer, checked without copying it
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()));
    } catch (CharacterCodingException e) {
      throw new DecodeException("the text is not UTF-8");
    }
  }

  private static boolean isAscii(Buffer body) {
    for (int i = 0, n = body.length(); i < n; i++) {
      if (body.getByte(i) < 0) {
        return false;
      }
    }
    return true;
  }
}
