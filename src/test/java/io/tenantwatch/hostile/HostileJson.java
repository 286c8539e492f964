package io.tenantwatch.hostile;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The raw material of hostile input: JSON values of the wrong type, huge, deep or out of range; bytes that
 * are not UTF-8; and mutations of a good body (flips, cuts, insertions). Everything is drawn from the
 * caller's seeded random, so a case is reproduced from its seed.
 */
final class HostileJson {
  /** Deeper than any JSON reader should follow: Jackson stops at 1,000. */
  static final int DEEP = 10_000;
  /** Deep, but within what a reader accepts. */
  static final int NESTED = 500;

  /**
   * Byte runs that are not UTF-8 wherever they land in a body: bytes no encoding starts with, a lone
   * continuation byte, a two-byte lead followed by ASCII.
   */
  private static final byte[][] NOT_UTF8 = {{(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0x80}, {(byte) 0xC3, '('},
      {(byte) 0xF0, '(', (byte) 0x8C, '('}};

  private static final String[] ODD_TEXT = {"", " ", "\u0000", "\t\n\r", "null", "true", "\"", "\\", "\\u0000",
      "Cust", "Cust1 ", "Cüst12345", "\uD83D\uDE00", "\u202E", "<script>", "'; DROP TABLE tenants;--",
      "../../etc/passwd", "%00", "Running", "Deleted", "${jndi:ldap://x}"};

  private HostileJson() {
  }

  /** Any JSON value, with a bias to the hostile: wrong types, odd text, huge text, extreme numbers, depth. */
  static Object value(SplittableRandom rnd, int depth) {
    return switch (rnd.nextInt(depth > 2 ? 8 : 10)) {
      case 0 -> null;
      case 1 -> rnd.nextBoolean();
      case 2 -> number(rnd);
      case 3 -> ODD_TEXT[rnd.nextInt(ODD_TEXT.length)];
      case 4 -> "x".repeat(rnd.nextInt(4) == 0 ? 5_000 + rnd.nextInt(20_000) : rnd.nextInt(300));
      case 5 -> randomText(rnd, 1 + rnd.nextInt(40));
      case 6 -> Integer.toString(rnd.nextInt());
      case 7 -> rnd.nextInt(2) == 0 ? 1.5 : -0.0;
      case 8 -> {
        JsonArray array = new JsonArray();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          array.add(value(rnd, depth + 1));
        }
        yield array;
      }
      default -> {
        JsonObject object = new JsonObject();
        for (int i = rnd.nextInt(4); i > 0; i--) {
          object.put(rnd.nextBoolean() ? randomText(rnd, 1 + rnd.nextInt(10)) : "ChangeType", value(rnd, depth + 1));
        }
        yield object;
      }
    };
  }

  /** Numbers at and beyond the edges of int, long and double. */
  static Object number(SplittableRandom rnd) {
    return switch (rnd.nextInt(9)) {
      case 0 -> Integer.MAX_VALUE;
      case 1 -> Integer.MIN_VALUE;
      case 2 -> Long.MAX_VALUE;
      case 3 -> Long.MIN_VALUE;
      case 4 -> new BigInteger("123456789012345678901234567890");
      case 5 -> Double.MAX_VALUE;
      case 6 -> -Double.MIN_VALUE;
      case 7 -> (long) Integer.MAX_VALUE + 1;
      default -> rnd.nextInt(7) - 1;
    };
  }

  /** Text in a literal form JSON writers never produce: an exponent past double, a thousand-digit integer. */
  static String numberLiteral(SplittableRandom rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> "1e99999";
      case 1 -> "-1e-99999";
      case 2 -> "9".repeat(1_500);
      default -> "12345678901234567890123";
    };
  }

  /** Arrays nested {@code depth} deep. */
  static String nestedArrays(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** Objects nested {@code depth} deep. */
  static String nestedObjects(int depth) {
    return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  }

  /** A short run of bytes that is not UTF-8 anywhere. */
  static byte[] notUtf8(SplittableRandom rnd) {
    return NOT_UTF8[rnd.nextInt(NOT_UTF8.length)];
  }

  /** Printable and unprintable characters from all over Unicode (valid UTF-16, so valid once encoded). */
  static String randomText(SplittableRandom rnd, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int pick = rnd.nextInt(10);
      int cp = pick < 6 ? 0x20 + rnd.nextInt(0x5F) : pick < 8 ? rnd.nextInt(0x20) : 0xA0 + rnd.nextInt(0x2F00);
      text.appendCodePoint(cp);
    }
    return text.toString();
  }

  /** Random bytes, some of them ASCII. */
  static Buffer randomBytes(SplittableRandom rnd, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (rnd.nextBoolean() ? 0x20 + rnd.nextInt(0x5F) : rnd.nextInt(256));
    }
    return Buffer.buffer(bytes);
  }

  /** The body cut somewhere before its end: never complete JSON. */
  static Buffer truncated(SplittableRandom rnd, Buffer body) {
    return body.getBuffer(0, rnd.nextInt(body.length()));
  }

  /** The body with non-UTF-8 bytes inserted at a random place. */
  static Buffer withNonUtf8(SplittableRandom rnd, Buffer body) {
    int at = rnd.nextInt(body.length() + 1);
    return body.getBuffer(0, at).appendBytes(notUtf8(rnd)).appendBuffer(body.getBuffer(at, body.length()));
  }

  /** One to three random byte-level changes: a byte replaced, inserted or removed, or a slice repeated. */
  static Buffer mutated(SplittableRandom rnd, Buffer body) {
    byte[] bytes = body.getBytes();
    for (int n = 1 + rnd.nextInt(3); n > 0 && bytes.length > 0; n--) {
      int at = rnd.nextInt(bytes.length);
      bytes = switch (rnd.nextInt(4)) {
        case 0 -> replaced(bytes, at, (byte) rnd.nextInt(256));
        case 1 -> spliced(bytes, at, at, new byte[] {(byte) rnd.nextInt(256)});
        case 2 -> spliced(bytes, at, at + 1, new byte[0]);
        default -> {
          int to = Math.min(bytes.length, at + 1 + rnd.nextInt(20));
          byte[] slice = java.util.Arrays.copyOfRange(bytes, at, to);
          yield spliced(bytes, to, to, slice);
        }
      };
    }
    return Buffer.buffer(bytes);
  }

  /**
   * An object's encoding with one more {@code "name":value} member written after the others, which a
   * {@code JsonObject} cannot hold: a duplicate name, or a name in another case.
   */
  static Buffer withExtraMember(JsonObject object, String name, String valueJson) {
    String encoded = object.encode();
    String member = (object.isEmpty() ? "" : ",") + new JsonArray().add(name).encode().replaceAll("^\\[|]$", "")
        + ":" + valueJson;
    return Buffer.buffer(encoded.substring(0, encoded.length() - 1) + member + "}", "UTF-8");
  }

  static Buffer utf8(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] replaced(byte[] bytes, int at, byte value) {
    byte[] copy = bytes.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] spliced(byte[] bytes, int from, int to, byte[] insert) {
    byte[] out = new byte[bytes.length - (to - from) + insert.length];
    System.arraycopy(bytes, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(bytes, to, out, from + insert.length, bytes.length - to);
    return out;
  }
}
