package io.tenantwatch.hostile;

import io.tenantwatch.domain.StrictJson;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hostile answers of the state API for one tenant, built from its plain answer, each with what a forced
 * poll must then answer: 502 for an answer that must count as a failed poll (R7: wrong types, missing
 * fields, another tenant, truncated, not UTF-8, nested past any reader, an error status, broken HTTP,
 * a field given twice with two values), 200 for one that is odd but says the same as the plain answer
 * (extra fields of any shape, odd headers, chunked), either for the truly ambiguous. None of them may
 * change the tenant's state, gate, endpoint or seq.
 */
final class HostileAnswers {
  static final Set<Integer> FAILS = Set.of(502);
  static final Set<Integer> HARMLESS = Set.of(200);
  static final Set<Integer> EITHER = Set.of(200, 502);

  /** One answer and what the forced poll that meets it may answer. */
  record Answer(String what, Buffer raw, Set<Integer> allowed) {
  }

  private static final String[] REQUIRED = {"ContextIdentifier", "Endpoint", "State", "ValidUntil", "Api"};
  private static final int[] ERROR_STATUSES = {301, 302, 304, 400, 401, 404, 410, 418, 421, 429, 500, 502, 503,
      504, 599, 999};
  private static final String[] RETRY_AFTERS = {"-1", "abc", "99999999999999999999999", "0", "", "1e10",
      "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06-Nov-94 08:49:37 GMT",
      "Sun Nov  6 08:49:37 1994", "\t5\t", "120"};
  private static final String JSON = "Content-Type: application/json\r\n";

  private HostileAnswers() {
  }

  static Answer answer(SplittableRandom rnd, JsonObject plain) {
    return switch (rnd.nextInt(13)) {
      case 0 -> errorStatus(rnd, plain);
      case 1 -> answer("truncated", HostileJson.truncated(rnd, plain.toBuffer()), FAILS);
      case 2 -> answer("not UTF-8", HostileJson.withNonUtf8(rnd, plain.toBuffer()), FAILS);
      case 3 -> nested(rnd, plain);
      case 4, 5 -> wrongField(rnd, plain.copy());
      case 6 -> notAnObject(rnd);
      case 7 -> extraField(rnd, plain.copy());
      case 8 -> twice(rnd, plain);
      case 9 -> hugeText(rnd, plain.copy());
      case 10, 11 -> brokenHttp(rnd, plain);
      default -> oddButSound(rnd, plain.copy());
    };
  }

  private static Answer errorStatus(SplittableRandom rnd, JsonObject plain) {
    int status = ERROR_STATUSES[rnd.nextInt(ERROR_STATUSES.length)];
    String retryAfter = rnd.nextBoolean()
        ? "Retry-After: " + RETRY_AFTERS[rnd.nextInt(RETRY_AFTERS.length)] + "\r\n" : "";
    Buffer body = rnd.nextBoolean() ? plain.toBuffer() : HostileJson.randomBytes(rnd, rnd.nextInt(300));
    return new Answer("HTTP " + status + " " + retryAfter.trim(), HostileStateApi.http(status, JSON + retryAfter, body),
        FAILS);
  }

  private static Answer nested(SplittableRandom rnd, JsonObject plain) {
    return switch (rnd.nextInt(3)) {
      case 0 -> answer("ten thousand nested arrays", HostileJson.utf8(HostileJson.nestedArrays(HostileJson.DEEP)),
          FAILS);
      case 1 -> answer("a field nested ten thousand deep",
          HostileJson.withExtraMember(plain, "Extra", HostileJson.nestedObjects(HostileJson.DEEP)), FAILS);
      default -> answer("a field nested five hundred deep",
          HostileJson.withExtraMember(plain, "Extra", HostileJson.nestedArrays(HostileJson.NESTED)), HARMLESS);
    };
  }

  /** A field the engine needs, of the wrong type or missing. */
  private static Answer wrongField(SplittableRandom rnd, JsonObject body) {
    String field = rnd.nextInt(5) == 0 ? (rnd.nextBoolean() ? "IsRunning" : "Version")
        : REQUIRED[rnd.nextInt(REQUIRED.length)];
    Object[] wrong = switch (field) {
      case "IsRunning" -> new Object[] {"true", 1, 0, new JsonArray(), new JsonObject(), "yes", 1.0};
      case "Version" -> new Object[] {5, new JsonArray(), true, new JsonObject()};
      case "State" -> new Object[] {new JsonArray(), new JsonObject(), true, 1.5, null, -0.5};
      case "ValidUntil" -> new Object[] {123, "", "not a date", null, new JsonArray(), "2026-13-45T99:99:99Z",
          "yesterday", 1.7e9};
      case "ContextIdentifier" -> new Object[] {123, null, new JsonArray(), new JsonObject(), true, "cust60001",
          "Cust", "Cust60001 ", "Cust1234567890123", "Cust60099"};
      default -> new Object[] {123, new JsonArray(), new JsonObject(), true, 4.5};
    };
    if (rnd.nextInt(6) == 0 && !field.equals("IsRunning") && !field.equals("Version")) {
      body.remove(field);
      return answer("no " + field, body.toBuffer(), FAILS);
    }
    Object value = wrong[rnd.nextInt(wrong.length)];
    body.put(field, value);
    return answer(field + " = " + value, body.toBuffer(), FAILS);
  }

  private static Answer notAnObject(SplittableRandom rnd) {
    String[] bodies = {"[]", "\"Running\"", "123", "null", "true", "", " ", "[{}]", "{", "}", "{}"};
    String body = bodies[rnd.nextInt(bodies.length)];
    return answer("body " + (body.isEmpty() ? "empty" : body), HostileJson.utf8(body), FAILS);
  }

  /**
   * A field nobody asked for, of any shape: ignored, unless no reader can read it at all, or its name or
   * a string in it holds text the engine refuses everywhere (a control character, a lone surrogate).
   */
  private static Answer extraField(SplittableRandom rnd, JsonObject body) {
    if (rnd.nextBoolean()) {
      String literal = HostileJson.numberLiteral(rnd);
      return answer("extra number " + (literal.length() > 20 ? literal.length() + " digits" : literal),
          HostileJson.withExtraMember(body, "Extra", literal), literal.length() > 1_000 ? FAILS : HARMLESS);
    }
    String name = HostileJson.randomText(rnd, 1 + rnd.nextInt(12));
    Object value = HostileJson.value(rnd, 0);
    body.put(name, value);
    boolean unsafe = !StrictJson.isSafe(name) || holdsUnsafeText(value);
    return answer(unsafe ? "an extra field with unsafe text" : "an extra field", body.toBuffer(),
        unsafe ? FAILS : HARMLESS);
  }

  private static boolean holdsUnsafeText(Object value) {
    if (value instanceof String text) {
      return !StrictJson.isSafe(text);
    }
    if (value instanceof JsonObject object) {
      return object.fieldNames().stream().anyMatch(key -> !StrictJson.isSafe(key) || holdsUnsafeText(object.getValue(key)));
    }
    return value instanceof JsonArray array && array.stream().anyMatch(HostileAnswers::holdsUnsafeText);
  }

  /** A field given twice: with two values nobody can tell which one the state API meant. */
  private static Answer twice(SplittableRandom rnd, JsonObject plain) {
    return switch (rnd.nextInt(4)) {
      case 0 -> answer("State twice, Running then Suspended",
          HostileJson.withExtraMember(plain, "State", "\"Suspended\""), FAILS);
      case 1 -> answer("IsRunning twice, true then false",
          HostileJson.withExtraMember(plain, "IsRunning", "false"), FAILS);
      case 2 -> {
        JsonObject otherFirst = new JsonObject().put("ContextIdentifier", "Cust60099");
        plain.forEach(e -> {
          if (!e.getKey().equals("ContextIdentifier")) {
            otherFirst.put(e.getKey(), e.getValue());
          }
        });
        yield answer("ContextIdentifier twice, another tenant first",
            HostileJson.withExtraMember(otherFirst, "ContextIdentifier",
                "\"" + plain.getString("ContextIdentifier") + "\""),
            FAILS);
      }
      default -> answer("State twice, the same", HostileJson.withExtraMember(plain, "State", "\"Running\""), EITHER);
    };
  }

  private static Answer hugeText(SplittableRandom rnd, JsonObject body) {
    return switch (rnd.nextInt(4)) {
      case 0 -> answer("a 30 KB extra field", body.put("Notes", "n".repeat(30_000)).toBuffer(), HARMLESS);
      case 1 -> answer("a 30 KB Version", body.put("Version", "v".repeat(30_000)).toBuffer(), HARMLESS);
      case 2 -> answer("a 30 KB ContextIdentifier",
          body.put("ContextIdentifier", "Cust" + "1".repeat(30_000)).toBuffer(),
          FAILS);
      default -> answer("a 70 KB body", body.put("Notes", "n".repeat(70_000)).toBuffer(), FAILS);
    };
  }

  /**
   * HTTP itself broken: no status line, a length that lies, broken chunks, a header too large. Every
   * answer whose head is readable says {@code Connection: close}, as the stub ends every connection: a
   * connection the poller kept would be gone by the next poll, which would then fail for that reason.
   */
  private static Answer brokenHttp(SplittableRandom rnd, JsonObject plain) {
    byte[] body = plain.toBuffer().getBytes();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    return switch (rnd.nextInt(11)) {
      case 0 -> raw("no HTTP at all", HostileJson.randomBytes(rnd, 1 + rnd.nextInt(500)), FAILS);
      case 1 -> raw("status line only", ascii("HTTP/1.1 200 OK\r\n"), FAILS);
      case 2 -> raw("Content-Length longer than the body", ascii("HTTP/1.1 200 OK\r\nContent-Length: "
          + (body.length + 1 + rnd.nextInt(1_000)) + "\r\nConnection: close\r\n\r\n" + text), FAILS);
      case 3 -> raw("Content-Length shorter than the body", ascii("HTTP/1.1 200 OK\r\nContent-Length: "
          + rnd.nextInt(body.length) + "\r\nConnection: close\r\n\r\n" + text), FAILS);
      case 4 -> raw("broken chunk size", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\nzz\r\n" + text
          + "\r\n0\r\n\r\n"), FAILS);
      case 5 -> raw("a 20 KB header", HostileStateApi.http(200, "X-Big: " + "b".repeat(20_000) + "\r\n",
          plain.toBuffer()), FAILS);
      case 6 -> raw("status 2000", ascii("HTTP/1.1 2000 OK\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n" + text), FAILS);
      case 7 -> raw("chunked, well formed", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
          + "Connection: close\r\n\r\n"
          + Integer.toHexString(body.length) + "\r\n" + text + "\r\n0\r\n\r\n"), HARMLESS);
      case 8 -> raw("no length, ends with the connection", ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + text),
          HARMLESS);
      case 9 -> raw("HTTP/1.0", ascii("HTTP/1.0 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n" + text),
          HARMLESS);
      default -> raw("a header line without a colon", ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\nthis is no header\r\n\r\n" + text), EITHER);
    };
  }

  /** Odd but sound: it says what the plain answer says. */
  private static Answer oddButSound(SplittableRandom rnd, JsonObject body) {
    Instant later = Instant.parse(body.getString("ValidUntil")).plusSeconds(3_600);
    return switch (rnd.nextInt(8)) {
      case 0 -> answer("ValidUntil with an offset",
          body.put("ValidUntil", later.atOffset(ZoneOffset.ofHours(14)).toString()).toBuffer(), HARMLESS);
      case 1 -> answer("ValidUntil without a zone",
          body.put("ValidUntil", LocalDateTime.ofInstant(later, ZoneOffset.UTC).toString()).toBuffer(), HARMLESS);
      case 2 -> answer("ValidUntil in the year 999999999",
          body.put("ValidUntil", "+999999999-12-31T23:59:59Z").toBuffer(), EITHER);
      case 3 -> {
        body.remove("IsRunning");
        yield answer("no IsRunning", body.toBuffer(), HARMLESS);
      }
      case 4 -> raw("Content-Type text/html", HostileStateApi.http(201, "Content-Type: text/html\r\n", body.toBuffer()),
          HARMLESS);
      case 5 -> answer("a byte-order mark", Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})
          .appendBuffer(body.toBuffer()), EITHER);
      case 6 -> answer("pretty-printed", HostileJson.utf8(body.encodePrettily()), HARMLESS);
      default -> answer("State as its code", body.put("State", 2).toBuffer(), HARMLESS);
    };
  }

  private static Answer answer(String what, Buffer body, Set<Integer> allowed) {
    return new Answer(what, HostileStateApi.http(200, JSON, body), allowed);
  }

  private static Answer raw(String what, Buffer raw, Set<Integer> allowed) {
    return new Answer(what, raw, allowed);
  }

  private static Buffer ascii(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
