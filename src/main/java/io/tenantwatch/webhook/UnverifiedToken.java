package io.tenantwatch.webhook;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A token taken apart and checked for shape before any key is consulted: three base64url parts, JSON
 * header and payload, {@code alg} RS256, date claims that are dates. Nothing in it is trusted yet.
 *
 * @param text the token as received
 * @param kid the header's {@code kid}, null when absent
 * @param payload the claims
 * @param signingInput what the signature signs: the header and payload parts with their dot, in ASCII
 * @param signature the signature part, decoded
 */
record UnverifiedToken(String text, String kid, JsonObject payload, byte[] signingInput, byte[] signature) {
  /** SuperOffice's tokens are about a kilobyte; this bounds the work a hostile one can cause. */
  static final int MAX_LENGTH = 16 * 1024;
  /** 9999-12-31T23:59:59Z: a NumericDate beyond this is not a date anyone means. */
  private static final double LAST_DATE = 253_402_300_799d;
  private static final String[] DATE_CLAIMS = {"exp", "nbf", "iat"};

  /**
   * @throws TokenRejected {@code missing-token}, {@code not-a-jwt} or {@code bad-alg}
   */
  static UnverifiedToken parse(String token) {
    if (token == null || token.isBlank()) {
      throw new TokenRejected(TokenRejected.MISSING_TOKEN, "the notification carries no token");
    }
    if (token.length() > MAX_LENGTH) {
      throw notAJwt("the token is longer than " + MAX_LENGTH + " characters");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw notAJwt("the token is not three base64url parts separated by dots");
    }
    JsonObject header = json(parts[0], "header");
    // The algorithm is judged first, whatever else is wrong, so that alg none or HS256 (even an HMAC
    // keyed with our own public key) never reaches a key.
    Object alg = header.getValue("alg");
    if ("none".equals(alg)) {
      throw new TokenRejected(TokenRejected.BAD_ALG, "the token is unsigned (alg none); only RS256 is accepted");
    }
    if (!"RS256".equals(alg)) {
      throw new TokenRejected(TokenRejected.BAD_ALG, "the token's algorithm is not RS256, the only one accepted");
    }
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw notAJwt("the token has no signature");
    }
    if (header.containsKey("crit")) {
      throw notAJwt("the token's header names critical extensions this engine does not understand");
    }
    Object kid = header.getValue("kid");
    if (kid != null && !(kid instanceof String)) {
      throw notAJwt("the token's kid is not a string");
    }
    JsonObject payload = json(parts[1], "payload");
    byte[] signature = base64url(parts[2], "signature");
    for (String claim : DATE_CLAIMS) {
      Object value = payload.getValue(claim);
      if (payload.containsKey(claim)
          && !(value instanceof Number number && number.doubleValue() >= 0 && number.doubleValue() <= LAST_DATE)) {
        throw notAJwt("the token's " + claim + " claim is not a date");
      }
    }
    byte[] signingInput = token.substring(0, parts[0].length() + 1 + parts[1].length())
        .getBytes(StandardCharsets.US_ASCII);
    return new UnverifiedToken(token, (String) kid, payload, signingInput, signature);
  }

  /** A NumericDate claim ({@code exp}, {@code nbf}, {@code iat}) as an instant, null when absent. */
  Instant date(String claim) {
    if (!(payload.getValue(claim) instanceof Number number)) {
      return null;
    }
    if (number instanceof Double || number instanceof Float) {
      return Instant.ofEpochMilli(Math.round(number.doubleValue() * 1000));
    }
    return Instant.ofEpochSecond(number.longValue());
  }

  private static JsonObject json(String part, String name) {
    byte[] bytes = base64url(part, name);
    try {
      return new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException e) {
      throw notAJwt("the token's " + name + " is not a JSON object");
    }
  }

  private static byte[] base64url(String part, String name) {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw notAJwt("the token's " + name + " is not base64url");
    }
  }

  private static TokenRejected notAJwt(String message) {
    return new TokenRejected(TokenRejected.NOT_A_JWT, message);
  }
}
