package io.tenantwatch.hostile;

import io.tenantwatch.webhook.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Hostile requests at the webhook, in six families, each with the answers it may get:
 * <ol>
 *   <li>a notification for a watched tenant whose token is no good (another key, expired, not yet
 *       valid, wrong issuer or audience, for another tenant, alg none or HS256, a bad kid, a changed
 *       character, junk), with its body possibly mangled as well: 4xx;</li>
 *   <li>a notification with a good token for its watched tenant but a body that must be refused (a
 *       ChangeType that is no int, a bad ContextIdentifier, a field twice, too long, not JSON): 400, 413
 *       or 415, never 401, since the body is judged first;</li>
 *   <li>a good token for a tenant nobody watches, the body mangled freely: 4xx, or 202 (not watched);</li>
 *   <li>garbage bodies: random bytes, any JSON value, ten thousand nested arrays: 4xx;</li>
 *   <li>family 1 with odd headers (content types, huge or strange headers): 4xx;</li>
 *   <li>other methods and paths on the public listener: 4xx.</li>
 * </ol>
 * No request here may change a tenant: none carries a good token for a watched tenant and a body that
 * can be accepted.
 */
final class WebhookProbes {
  private static final Set<Integer> BODY_REFUSED = Set.of(400, 413, 415);
  private static final String FAR_TENANT = "Cust77777777";
  private static final String[] CONTENT_TYPES = {"application/json", "application/JSON; charset=utf-8",
      "application/vnd.superoffice+json", "text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x", "", ";", "application/json, text/plain", "*/*", "json"};
  private static final String[] METHODS = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "POST", "PURGE", "FOO"};

  private final String path;
  private final int maxBody;
  private final List<String> watched;
  private final String unwatched;
  private final List<String> validTokens = new ArrayList<>();
  private final List<List<String>> brokenTokens = new ArrayList<>();
  private final String unwatchedToken;

  /**
   * Mints every token once (signing is the slow part): per watched tenant a good one (only ever sent with
   * a body that must be refused, or changed) and a dozen broken ones.
   */
  WebhookProbes(String path, int maxBody, TestTokens tokens, TestTokens stranger, String audience,
      List<String> watched, String unwatched) {
    this.path = path;
    this.maxBody = maxBody;
    this.watched = List.copyOf(watched);
    this.unwatched = unwatched;
    Instant now = Instant.now();
    for (String ctx : watched) {
      validTokens.add(tokens.token(ctx).claim("aud", audience).sign());
      brokenTokens.add(List.of(
          stranger.token(ctx).claim("aud", audience).sign(),
          tokens.token(ctx).claim("aud", audience).issuedAt(now.minusSeconds(3_600)).sign(),
          tokens.token(ctx).claim("aud", audience).issuedAt(now.plusSeconds(3_600)).sign(),
          tokens.token(ctx).claim("aud", audience).claim("iss", "https://evil.example").sign(),
          tokens.token(ctx).claim("aud", "spn:someone-else").sign(),
          tokens.token(ctx).sign(),
          tokens.token(FAR_TENANT).claim("aud", audience).sign(),
          tokens.token(ctx).claim("aud", audience).without("exp").sign(),
          tokens.token(ctx).claim("aud", audience).claim("exp", "tomorrow").sign(),
          tokens.token(ctx).claim("aud", audience).claim("exp", 1e300).sign(),
          tokens.token(ctx).claim("aud", audience).kid("no-such-key").sign(),
          tokens.token(ctx).claim("aud", audience).header("kid", 42).sign(),
          tokens.token(ctx).claim("aud", audience).header("crit", new JsonArray().add("b64")).sign(),
          tokens.token(ctx).claim("aud", audience).unsigned(),
          tokens.token(ctx).claim("aud", audience).hs256(tokens.keyPair().getPublic().getEncoded())));
    }
    unwatchedToken = tokens.token(unwatched).claim("aud", audience).sign();
  }

  Probe probe(SplittableRandom rnd) {
    return switch (rnd.nextInt(20)) {
      case 0, 1, 2, 3, 4, 5 -> brokenToken(rnd);
      case 6, 7, 8, 9 -> refusedBody(rnd);
      case 10, 11 -> unwatchedTenant(rnd);
      case 12, 13, 14 -> garbage(rnd);
      case 15, 16 -> oddHeaders(rnd);
      default -> otherRoute(rnd);
    };
  }

  private Probe brokenToken(SplittableRandom rnd) {
    int tenant = rnd.nextInt(watched.size());
    JsonObject body = notification(rnd, watched.get(tenant));
    String token = brokenToken(rnd, tenant);
    putToken(rnd, body, token);
    Buffer bytes = rnd.nextBoolean() ? body.toBuffer() : mangled(rnd, body);
    return post("broken token", bytes, Probe.CLIENT_ERROR);
  }

  private Probe refusedBody(SplittableRandom rnd) {
    int tenant = rnd.nextInt(watched.size());
    JsonObject body = notification(rnd, watched.get(tenant)).put("Token", validTokens.get(tenant));
    String what;
    Buffer bytes;
    switch (rnd.nextInt(9)) {
      case 0 -> {
        Object[] notInts = {"2", 2.0, true, null, new JsonArray().add(2), new JsonObject(), Long.MAX_VALUE,
            (long) Integer.MAX_VALUE + 1, -0.5, new java.math.BigInteger("99999999999999999999")};
        body.put("ChangeType", notInts[rnd.nextInt(notInts.length)]);
        bytes = body.toBuffer();
        what = "ChangeType not an int";
      }
      case 1 -> {
        Object[] notIds = {"cust50001", "Cust", "Cust1234567890123", "Cust-1", " Cust50001", "Cust50001 ",
            "Cust\uFF15\uFF10\uFF10\uFF10\uFF11", 50001, null, new JsonArray(), "x".repeat(5_000)};
        body.put("ContextIdentifier", notIds[rnd.nextInt(notIds.length)]);
        bytes = body.toBuffer();
        what = "bad ContextIdentifier";
      }
      case 2 -> {
        String field = rnd.nextBoolean() ? "ChangeType" : "ContextIdentifier";
        body.remove(field);
        bytes = body.toBuffer();
        what = "no " + field;
      }
      case 3 -> {
        // A second ChangeType, exactly or in another case: which one would count is anybody's guess.
        String name = rnd.nextBoolean() ? "ChangeType" : "changetype";
        bytes = HostileJson.withExtraMember(body, name, Integer.toString(rnd.nextInt(6)));
        what = "ChangeType twice (" + name + ")";
      }
      case 4 -> {
        String field = new String[] {"VersionName", "FileVersion", "PublicEndpoint"}[rnd.nextInt(3)];
        body.put(field, rnd.nextBoolean() ? "x".repeat(300 + rnd.nextInt(2_000)) : 12);
        bytes = body.toBuffer();
        what = field + " too long or not text";
      }
      case 5 -> {
        body.put("PublicEndpoint", new String[] {"not a host", "sod3.superoffice.com/path", "-bad-", "a..b\u0000",
            "http://x"}[rnd.nextInt(5)]).put("ChangeType", 5);
        bytes = body.toBuffer();
        what = "PublicEndpoint not a host";
      }
      case 6 -> {
        body.put("Token", HostileJson.number(rnd));
        bytes = body.toBuffer();
        what = "Token not text";
      }
      case 7 -> {
        body.put("Padding", "x".repeat(maxBody));
        bytes = body.toBuffer();
        what = "too large";
      }
      default -> {
        bytes = rnd.nextBoolean() ? HostileJson.truncated(rnd, body.toBuffer())
            : HostileJson.withNonUtf8(rnd, body.toBuffer());
        what = "not JSON";
      }
    }
    return post("good token, refused body: " + what, bytes, BODY_REFUSED);
  }

  private Probe unwatchedTenant(SplittableRandom rnd) {
    JsonObject body = notification(rnd, unwatched).put("Token", unwatchedToken);
    return post("good token, tenant not watched", mangled(rnd, body), Probe.CLIENT_ERROR)
        .alsoAllowing(Set.of(202));
  }

  private Probe garbage(SplittableRandom rnd) {
    Buffer bytes = switch (rnd.nextInt(6)) {
      case 0 -> HostileJson.randomBytes(rnd, rnd.nextInt(2 * maxBody));
      case 1 -> HostileJson.utf8(String.valueOf(new JsonArray().add(HostileJson.value(rnd, 0)).encode()));
      case 2 -> HostileJson.utf8(HostileJson.nestedArrays(HostileJson.DEEP));
      case 3 -> HostileJson.utf8(HostileJson.nestedObjects(rnd.nextBoolean() ? HostileJson.DEEP : HostileJson.NESTED));
      case 4 -> Buffer.buffer();
      default -> HostileJson.utf8(HostileJson.numberLiteral(rnd));
    };
    return post("garbage body", bytes, Probe.CLIENT_ERROR);
  }

  private Probe oddHeaders(SplittableRandom rnd) {
    Probe probe = brokenToken(rnd);
    Probe odd = Probe.of("odd headers, " + probe.what(), HttpMethod.POST, path, probe.body(), Probe.CLIENT_ERROR);
    if (rnd.nextBoolean()) {
      odd.header("Content-Type", CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)]);
    }
    for (int i = rnd.nextInt(4); i > 0; i--) {
      switch (rnd.nextInt(5)) {
        case 0 -> odd.header("X-" + token(rnd), printable(rnd, rnd.nextInt(4) == 0 ? 10_000 : 40));
        case 1 -> odd.header("Content-Encoding", rnd.nextBoolean() ? "gzip" : "deflate");
        case 2 -> odd.header("Authorization", "Bearer " + printable(rnd, 30));
        case 3 -> odd.header("Host", rnd.nextBoolean() ? "evil.example" : printable(rnd, 200));
        default -> odd.header("Accept", printable(rnd, 20));
      }
    }
    return odd;
  }

  private Probe otherRoute(SplittableRandom rnd) {
    String[] paths = {path + "/", path + "?x=1", path + "?" + printableQuery(rnd), path.toUpperCase(),
        path + "/../..", "/superoffice", path + "/extra", "/", "/%2e%2e" + path, path + "%00", path + "%",
        path + "%zz", "/" + "a".repeat(5_000 + rnd.nextInt(5_000)), "/health", "/admin/tenants", path + ";x=y",
        "/" + path, "/health/..", "/.well-known/security.txt"};
    String uri = paths[rnd.nextInt(paths.length)];
    String method = METHODS[rnd.nextInt(METHODS.length)];
    if (uri.startsWith("/health") && (method.equals("GET") || method.equals("HEAD"))) {
      method = "DELETE";
    }
    Buffer body = rnd.nextBoolean() ? null : HostileJson.randomBytes(rnd, rnd.nextInt(200));
    return Probe.of("other route", HttpMethod.valueOf(method), uri, body, Probe.CLIENT_ERROR);
  }

  private Probe post(String what, Buffer body, Set<Integer> allowed) {
    return Probe.of(what, HttpMethod.POST, path, body, allowed).header("Content-Type", "application/json");
  }

  private static JsonObject notification(SplittableRandom rnd, String ctx) {
    int changeType = rnd.nextInt(8) == 0 ? rnd.nextInt() : rnd.nextInt(6);
    JsonObject body = new JsonObject().put("ChangeType", changeType).put("ContextIdentifier", ctx)
        .put("VersionName", "Release_11.10_2026.02.24-02").put("FileVersion", "");
    if (changeType == 5) {
      body.put("PublicEndpoint", "sod3.superoffice.com");
    }
    return body;
  }

  /** One of the tenant's broken tokens, a good one with a character changed, or junk. */
  private String brokenToken(SplittableRandom rnd, int tenant) {
    return switch (rnd.nextInt(4)) {
      case 0, 1 -> brokenTokens.get(tenant).get(rnd.nextInt(brokenTokens.get(tenant).size()));
      case 2 -> changedCharacter(rnd, validTokens.get(tenant));
      default -> new String[] {"", " ", "a.b.c", "....", "x".repeat(20_000), "eyJhbGciOiJSUzI1NiJ9", "eyJ.eyJ.eyJ",
          "Bearer " + validTokens.get(0).substring(0, 10), printable(rnd, 100), "a.b", "a.b.c.d"}[rnd.nextInt(11)];
    };
  }

  /**
   * The token with one character changed, never the last of a part: every other base64url character
   * carries six whole bits, so the bytes (and the signature's verdict) surely change.
   */
  private static String changedCharacter(SplittableRandom rnd, String token) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    while (true) {
      int at = rnd.nextInt(token.length() - 1);
      if (token.charAt(at) == '.' || token.charAt(at + 1) == '.') {
        continue;
      }
      char replacement = alphabet.charAt(rnd.nextInt(alphabet.length()));
      if (replacement != token.charAt(at)) {
        return token.substring(0, at) + replacement + token.substring(at + 1);
      }
    }
  }

  /** Puts the token, or leaves it out, or puts something that is no token at all. */
  private static void putToken(SplittableRandom rnd, JsonObject body, String token) {
    switch (rnd.nextInt(10)) {
      case 0 -> body.remove("Token");
      case 1 -> body.put("Token", HostileJson.value(rnd, 0));
      case 2 -> body.put("token", token);
      default -> body.put("Token", token);
    }
  }

  /** The body changed in a way that may or may not leave it acceptable. */
  private static Buffer mangled(SplittableRandom rnd, JsonObject body) {
    JsonObject copy = body.copy();
    String[] fields = copy.fieldNames().toArray(String[]::new);
    String field = fields[rnd.nextInt(fields.length)];
    return switch (rnd.nextInt(9)) {
      case 0 -> copy.put(field, HostileJson.value(rnd, 0)).toBuffer();
      case 1 -> {
        copy.remove(field);
        yield copy.toBuffer();
      }
      case 2 -> HostileJson.withExtraMember(copy, rnd.nextBoolean() ? field : field.toLowerCase(),
          new JsonArray().add(HostileJson.value(rnd, 0)).encode().replaceAll("^\\[|]$", ""));
      case 3 -> HostileJson.withExtraMember(copy, HostileJson.randomText(rnd, 8),
          rnd.nextBoolean() ? HostileJson.nestedArrays(HostileJson.DEEP) : HostileJson.numberLiteral(rnd));
      case 4 -> HostileJson.mutated(rnd, copy.toBuffer());
      case 5 -> HostileJson.truncated(rnd, copy.toBuffer());
      case 6 -> HostileJson.withNonUtf8(rnd, copy.toBuffer());
      case 7 -> HostileJson.utf8(new JsonArray().add(copy).encode());
      default -> copy.put("Padding", "y".repeat(20_000)).toBuffer();
    };
  }

  private static String token(SplittableRandom rnd) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
    StringBuilder name = new StringBuilder();
    for (int i = 1 + rnd.nextInt(20); i > 0; i--) {
      name.append(chars.charAt(rnd.nextInt(chars.length())));
    }
    return name.toString();
  }

  /** Visible ASCII and spaces, as a header value may carry. */
  static String printable(SplittableRandom rnd, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) (0x21 + rnd.nextInt(0x5E)));
    }
    return text.toString();
  }

  private static String printableQuery(SplittableRandom rnd) {
    return printable(rnd, 1 + rnd.nextInt(60)).replace('#', '%');
  }
}
