package io.tenantwatch.domain;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
 * Neither is trusted: the input is malformed.
 */
public final class StrictJson {

  /** The text is JSON, but an object in it names one member twice. */
  public static final class DuplicateMember extends DecodeException {
    private static final long serialVersionUID = 1L;

    DuplicateMember() {
      super("an object names one of its members twice");
    }
  }

  private StrictJson() {
  }

  /**
   * The JSON value in {@code body}: a {@link io.vertx.core.json.JsonObject}, a
   * {@link io.vertx.core.json.JsonArray}, a string, a number, a boolean or null.
   *
   * @throws DuplicateMember when an object names a member twice
   * @throws DecodeException when the body is not one JSON value in UTF-8
   */
  public static Object decode(Buffer body) {
    requireUtf8(body);
    JsonParser parser = JacksonCodec.createParser(body);
    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException strictly) {
      // Read again without the check (only on this path): text that reads then failed on a duplicate.
      body.toJsonValue();
      throw new DuplicateMember();
    }
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
