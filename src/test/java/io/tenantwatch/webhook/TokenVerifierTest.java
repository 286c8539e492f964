package io.tenantwatch.webhook;

import static io.tenantwatch.webhook.VerifierFixtures.ACCEPTED;
import static io.tenantwatch.webhook.VerifierFixtures.CLOCK;
import static io.tenantwatch.webhook.VerifierFixtures.CTX;
import static io.tenantwatch.webhook.VerifierFixtures.NOW;
import static io.tenantwatch.webhook.VerifierFixtures.options;
import static io.tenantwatch.webhook.VerifierFixtures.outcomes;
import static io.tenantwatch.webhook.VerifierFixtures.rejection;
import static io.tenantwatch.webhook.VerifierFixtures.sha1Hex;
import static io.tenantwatch.webhook.VerifierFixtures.trusting;
import static io.tenantwatch.webhook.VerifierFixtures.x5t;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class TokenVerifierTest {
  private static final TestTokens TOKENS = TestTokens.generate(CLOCK);
  private static final TestTokens STRANGER = TestTokens.generate(CLOCK);

  @TempDir
  static Path dir;
  private static String certificateFile;

  @BeforeAll
  static void writeCertificate() throws IOException {
    certificateFile = TOKENS.writeCertificate(dir).toString();
  }

  private static Future<TokenVerifier> verifier(Vertx vertx, TokenVerifierOptions options) {
    return TokenVerifier.create(vertx, options);
  }

  private static TokenVerifierOptions claimsOptions(List<String> issuers, String audience, boolean requireTenant) {
    return new TokenVerifierOptions(List.of(), List.of(TOKENS.publicKeyPem()), null, issuers, audience,
        requireTenant, 60, CLOCK);
  }

  @Test
  @DisplayName("a valid token without kid is accepted and tells its expiry, issuer, tenant and a hash as replay id")
  void acceptsValidToken(Vertx vertx, VertxTestContext testContext) {
    String token = TOKENS.sign(CTX);
    verifier(vertx, trusting(TOKENS))
        .compose(verifier -> verifier.verify(token, CTX))
        .onComplete(testContext.succeeding(verified -> testContext.verify(() -> {
          assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(300));
          assertThat(verified.issuer()).isEqualTo(TestTokens.ISSUER);
          assertThat(verified.tenantClaim()).isEqualTo(CTX);
          assertThat(verified.id()).isEqualTo(sha256Hex(token)).hasSize(64);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the jti claim is the replay id when the token has one")
  void jtiIsTheReplayId(Vertx vertx, VertxTestContext testContext) {
    verifier(vertx, trusting(TOKENS))
        .compose(verifier -> verifier.verify(TOKENS.token(CTX).claim("jti", "n-1").sign(), CTX))
        .onComplete(testContext.succeeding(verified -> testContext.verify(() -> {
          assertThat(verified.id()).isEqualTo("n-1");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a pinned certificate is found by its thumbprint in either case, by its x5t, or tried without kid")
  void findsCertificateByKid(Vertx vertx, VertxTestContext testContext) {
    String thumbprint = sha1Hex(TOKENS.certificate());
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("thumbprint", TOKENS.token(CTX).kid(thumbprint).sign());
    cases.put("thumbprint lower case", TOKENS.token(CTX).kid(thumbprint.toLowerCase(Locale.ROOT)).sign());
    cases.put("x5t", TOKENS.token(CTX).kid(x5t(TOKENS.certificate())).sign());
    cases.put("no kid", TOKENS.sign(CTX));
    cases.put("unknown kid", TOKENS.token(CTX).kid("0123456789ABCDEF0123456789ABCDEF01234567").sign());
    cases.put("x5t in the wrong case", TOKENS.token(CTX).kid(x5t(TOKENS.certificate()).toUpperCase(Locale.ROOT)).sign());
    verifier(vertx, options(List.of(certificateFile), List.of()))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsExactly(
              Map.entry("thumbprint", ACCEPTED),
              Map.entry("thumbprint lower case", ACCEPTED),
              Map.entry("x5t", ACCEPTED),
              Map.entry("no kid", ACCEPTED),
              Map.entry("unknown kid", "unknown-key"),
              Map.entry("x5t in the wrong case", "unknown-key"));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("during a key rotation both pinned keys are accepted, and a key trusted by neither is not")
  void acceptsBothKeysOfARotation(Vertx vertx, VertxTestContext testContext) {
    TestTokens next = TestTokens.generate(CLOCK);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("old key", TOKENS.sign(CTX));
    cases.put("new key", next.sign(CTX));
    cases.put("new key by thumbprint", next.token(CTX).kid(sha1Hex(next.certificate())).sign());
    cases.put("stranger", STRANGER.sign(CTX));
    verifier(vertx, options(List.of(certificateFile), List.of(next.certificatePem())))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsExactly(
              Map.entry("old key", ACCEPTED),
              Map.entry("new key", ACCEPTED),
              Map.entry("new key by thumbprint", ACCEPTED),
              Map.entry("stranger", "bad-signature"));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("tokens that are missing or not JWTs are refused before any key is tried")
  void refusesShapes(Vertx vertx, VertxTestContext testContext) {
    String good = TOKENS.sign(CTX);
    String[] parts = good.split("\\.");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("null", null);
    cases.put("empty", "");
    cases.put("blank", "   ");
    cases.put("one word", "Bearer");
    cases.put("four parts", good + ".AAAA");
    cases.put("no signature", parts[0] + "." + parts[1] + ".");
    cases.put("two parts", parts[0] + "." + parts[1]);
    cases.put("header not base64url", "e30+." + parts[1] + "." + parts[2]);
    cases.put("header not JSON", encode("RS256") + "." + parts[1] + "." + parts[2]);
    cases.put("header a JSON array", encode("[\"RS256\"]") + "." + parts[1] + "." + parts[2]);
    cases.put("payload not JSON", parts[0] + "." + encode("{\"iss\":") + "." + parts[2]);
    cases.put("signature not base64url", parts[0] + "." + parts[1] + ".a+b/");
    cases.put("exp a string", TOKENS.token(CTX).claim("exp", "tomorrow").sign());
    cases.put("nbf null", TOKENS.token(CTX).claim("nbf", null).sign());
    cases.put("iat beyond year 9999", TOKENS.token(CTX).claim("iat", 1e15).sign());
    cases.put("kid a number", TOKENS.token(CTX).kid(null).header("kid", 7).sign());
    cases.put("critical extension", TOKENS.token(CTX).header("crit", new JsonArray().add("exp")).sign());
    cases.put("too long", TOKENS.token(CTX).claim("pad", "x".repeat(UnverifiedToken.MAX_LENGTH)).sign());
    verifier(vertx, trusting(TOKENS))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsOnlyKeys(cases.keySet());
          assertThat(outcomes.get("null")).isEqualTo("missing-token");
          assertThat(outcomes.get("empty")).isEqualTo("missing-token");
          assertThat(outcomes.get("blank")).isEqualTo("missing-token");
          Map<String, String> rest = new LinkedHashMap<>(outcomes);
          rest.keySet().removeAll(List.of("null", "empty", "blank"));
          assertThat(rest).allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo("not-a-jwt"));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("alg none, HS256 (even keyed with our own public key as PEM or DER) and other algs are refused as bad-alg")
  void refusesAlgorithms(Vertx vertx, VertxTestContext testContext) {
    byte[] randomSecret = new byte[32];
    new SecureRandom().nextBytes(randomSecret);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("none", TOKENS.token(CTX).unsigned());
    cases.put("none without the trailing dot", TOKENS.token(CTX).unsigned().replaceAll("\\.$", ""));
    cases.put("none with a signature", forgeHeader(TOKENS.sign(CTX), "{\"alg\":\"none\"}"));
    cases.put("HS256 random secret", TOKENS.token(CTX).hs256(randomSecret));
    cases.put("HS256 public key PEM", TOKENS.token(CTX).hs256(TOKENS.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
    cases.put("HS256 public key DER", TOKENS.token(CTX).hs256(TOKENS.keyPair().getPublic().getEncoded()));
    cases.put("HS256 with a known kid", TOKENS.token(CTX).kid(sha1Hex(TOKENS.certificate()))
        .hs256(TOKENS.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
    cases.put("RS512", forgeHeader(TOKENS.sign(CTX), "{\"alg\":\"RS512\"}"));
    cases.put("PS256", forgeHeader(TOKENS.sign(CTX), "{\"alg\":\"PS256\"}"));
    cases.put("rs256 in lower case", forgeHeader(TOKENS.sign(CTX), "{\"alg\":\"rs256\"}"));
    cases.put("no alg", forgeHeader(TOKENS.sign(CTX), "{\"typ\":\"JWT\"}"));
    cases.put("alg not a string", forgeHeader(TOKENS.sign(CTX), "{\"alg\":[\"RS256\"]}"));
    verifier(vertx, options(List.of(certificateFile), List.of()))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsOnlyKeys(cases.keySet())
              .allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo("bad-alg"));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a tampered payload, a wrong key or a signature of another token is a bad signature")
  void refusesBadSignatures(Vertx vertx, VertxTestContext testContext) {
    String good = TOKENS.sign(CTX);
    String[] parts = good.split("\\.");
    String otherTenant = TOKENS.sign("Cust999");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("tampered payload", parts[0] + "." + otherTenant.split("\\.")[1] + "." + parts[2]);
    cases.put("tampered payload with kid", TOKENS.token(CTX).kid(sha1Hex(TOKENS.certificate())).sign()
        .replace(parts[1], otherTenant.split("\\.")[1]));
    cases.put("wrong key", TOKENS.token(CTX).signWith(STRANGER.keyPair().getPrivate()));
    cases.put("wrong key, our kid", TOKENS.token(CTX).kid(sha1Hex(TOKENS.certificate()))
        .signWith(STRANGER.keyPair().getPrivate()));
    cases.put("truncated signature", good.substring(0, good.length() - 4));
    verifier(vertx, options(List.of(certificateFile), List.of()))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsOnlyKeys(cases.keySet())
              .allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo("bad-signature"));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a token is accepted within the clock skew of its nbf and exp and refused beyond it")
  void judgesTimesWithSkew(Vertx vertx, VertxTestContext testContext) {
    Map<String, String> cases = new LinkedHashMap<>();
    // exp = iat + 300, nbf = iat - 60; the skew is 60 s.
    cases.put("expired 59 s ago", TOKENS.token(CTX).issuedAt(NOW.minusSeconds(359)).sign());
    cases.put("expired 60 s ago", TOKENS.token(CTX).issuedAt(NOW.minusSeconds(360)).sign());
    cases.put("expired an hour ago", TOKENS.token(CTX).issuedAt(NOW.minusSeconds(3600)).sign());
    cases.put("no exp", TOKENS.token(CTX).without("exp").sign());
    cases.put("valid in 60 s", TOKENS.token(CTX).issuedAt(NOW.plusSeconds(120)).without("iat").sign());
    cases.put("valid in 61 s", TOKENS.token(CTX).issuedAt(NOW.plusSeconds(121)).without("iat").sign());
    cases.put("issued in 61 s", TOKENS.token(CTX).issuedAt(NOW.plusSeconds(61)).without("nbf").sign());
    cases.put("fractional exp", TOKENS.token(CTX).claim("exp", NOW.getEpochSecond() - 59.5).sign());
    verifier(vertx, trusting(TOKENS))
        .compose(verifier -> outcomes(verifier, cases, CTX))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsExactly(
              Map.entry("expired 59 s ago", ACCEPTED),
              Map.entry("expired 60 s ago", "expired"),
              Map.entry("expired an hour ago", "expired"),
              Map.entry("no exp", "expired"),
              Map.entry("valid in 60 s", ACCEPTED),
              Map.entry("valid in 61 s", "not-yet-valid"),
              Map.entry("issued in 61 s", "not-yet-valid"),
              Map.entry("fractional exp", ACCEPTED));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a token without exp is refused as expired with a message that says so")
  void noExpiryMessage(Vertx vertx, VertxTestContext testContext) {
    verifier(vertx, trusting(TOKENS))
        .compose(verifier -> rejection(verifier.verify(TOKENS.token(CTX).without("exp").sign(), CTX)))
        .onComplete(testContext.succeeding(rejected -> testContext.verify(() -> {
          assertThat(rejected.reason()).isEqualTo("expired");
          assertThat(rejected.getMessage()).isEqualTo("the token has no expiry");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("times are judged by the injected clock, however far it is from the wall clock")
  void usesTheInjectedClock(Vertx vertx, VertxTestContext testContext) {
    Clock past = Clock.fixed(Instant.parse("2014-05-01T08:00:00Z"), ZoneOffset.UTC);
    TokenVerifierOptions options = new TokenVerifierOptions(List.of(), List.of(TOKENS.publicKeyPem()), null,
        List.of(TestTokens.ISSUER), null, false, 60, past);
    String fromThePast = TOKENS.token(CTX).issuedAt(past.instant()).sign();
    String fromNow = TOKENS.token(CTX).issuedAt(Instant.now(Clock.systemUTC())).sign();
    verifier(vertx, options)
        .compose(verifier -> outcomes(verifier, Map.of("past", fromThePast), CTX)
            .compose(first -> outcomes(verifier, Map.of("now", fromNow), CTX).map(second -> Map.of(
                "past", first.get("past"), "now", second.get("now")))))
        .onComplete(testContext.succeeding(outcomes -> testContext.verify(() -> {
          assertThat(outcomes).containsEntry("past", ACCEPTED).containsEntry("now", "not-yet-valid");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the issuer must be one of the accepted ones; an empty list accepts none")
  void judgesIssuer(Vertx vertx, VertxTestContext testContext) {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("accepted", TOKENS.sign(CTX));
    cases.put("the other accepted", TOKENS.token(CTX).claim("iss", "SuperOffice AS").sign());
    cases.put("other", TOKENS.token(CTX).claim("iss", "https://evil.example").sign());
    cases.put("missing", TOKENS.token(CTX).without("iss").sign());
    cases.put("not a string", TOKENS.token(CTX).claim("iss", new JsonArray().add(TestTokens.ISSUER)).sign());
    cases.put("other case", TOKENS.token(CTX).claim("iss", TestTokens.ISSUER.toUpperCase(Locale.ROOT)).sign());
    TokenVerifierOptions two = claimsOptions(List.of(TestTokens.ISSUER, "SuperOffice AS"), null, false);
    TokenVerifierOptions none = claimsOptions(List.of(), null, false);
    Future.all(verifier(vertx, two).compose(verifier -> outcomes(verifier, cases, CTX)),
            verifier(vertx, none).compose(verifier -> outcomes(verifier, cases, CTX)))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          Map<String, String> withTwo = all.resultAt(0);
          Map<String, String> withNone = all.resultAt(1);
          assertThat(withTwo).containsExactly(
              Map.entry("accepted", ACCEPTED),
              Map.entry("the other accepted", ACCEPTED),
              Map.entry("other", "bad-issuer"),
              Map.entry("missing", "bad-issuer"),
              Map.entry("not a string", "bad-issuer"),
              Map.entry("other case", "bad-issuer"));
          assertThat(withNone).allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo("bad-issuer"));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the audience is checked only when configured, as a string or within an array")
  void judgesAudience(Vertx vertx, VertxTestContext testContext) {
    String audience = "spn:4d2f1e6c";
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("string", TOKENS.token(CTX).claim("aud", audience).sign());
    cases.put("array", TOKENS.token(CTX).claim("aud", new JsonArray().add("other").add(audience)).sign());
    cases.put("other", TOKENS.token(CTX).claim("aud", "spn:other").sign());
    cases.put("array without it", TOKENS.token(CTX).claim("aud", new JsonArray().add("other")).sign());
    cases.put("missing", TOKENS.sign(CTX));
    Future.all(
            verifier(vertx, claimsOptions(List.of(TestTokens.ISSUER), audience, false))
                .compose(verifier -> outcomes(verifier, cases, CTX)),
            verifier(vertx, claimsOptions(List.of(TestTokens.ISSUER), null, false))
                .compose(verifier -> outcomes(verifier, cases, CTX)))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          Map<String, String> checked = all.resultAt(0);
          Map<String, String> unchecked = all.resultAt(1);
          assertThat(checked).containsExactly(
              Map.entry("string", ACCEPTED),
              Map.entry("array", ACCEPTED),
              Map.entry("other", "bad-audience"),
              Map.entry("array without it", "bad-audience"),
              Map.entry("missing", "bad-audience"));
          assertThat(unchecked).allSatisfy((name, code) -> assertThat(code).as(name).isEqualTo(ACCEPTED));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a tenant claim must name the notification's tenant, and must be there when required")
  void judgesTenantClaim(Vertx vertx, VertxTestContext testContext) {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("same tenant", TOKENS.sign(CTX));
    cases.put("other tenant", TOKENS.sign("Cust54321"));
    cases.put("other case", TOKENS.sign("cust12345"));
    cases.put("not a string", TOKENS.token(CTX).claim(TestTokens.TENANT_CLAIM, 12345).sign());
    cases.put("no claim", TOKENS.token(CTX).without(TestTokens.TENANT_CLAIM).sign());
    Future.all(
            verifier(vertx, claimsOptions(List.of(TestTokens.ISSUER), null, false))
                .compose(verifier -> outcomes(verifier, cases, CTX)),
            verifier(vertx, claimsOptions(List.of(TestTokens.ISSUER), null, true))
                .compose(verifier -> outcomes(verifier, cases, CTX)))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          Map<String, String> optional = all.resultAt(0);
          Map<String, String> required = all.resultAt(1);
          assertThat(optional).containsExactly(
              Map.entry("same tenant", ACCEPTED),
              Map.entry("other tenant", "tenant-mismatch"),
              Map.entry("other case", "tenant-mismatch"),
              Map.entry("not a string", "tenant-mismatch"),
              Map.entry("no claim", ACCEPTED));
          assertThat(required).containsEntry("same tenant", ACCEPTED)
              .containsEntry("other tenant", "tenant-mismatch")
              .containsEntry("no claim", "missing-tenant-claim");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a token without ctx claim verifies with a null tenant claim when the claim is optional")
  void tenantClaimIsOptional(Vertx vertx, VertxTestContext testContext) {
    verifier(vertx, trusting(TOKENS))
        .compose(verifier -> verifier.verify(TOKENS.token(CTX).without(TestTokens.TENANT_CLAIM).sign(), CTX))
        .onComplete(testContext.succeeding(verified -> testContext.verify(() -> {
          assertThat(verified.tenantClaim()).isNull();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("no rejection message ever quotes the token or a part of it")
  void messagesNeverQuoteTheToken(Vertx vertx, VertxTestContext testContext) {
    List<String> tokens = List.of(
        TOKENS.token(CTX).unsigned(),
        TOKENS.token(CTX).hs256(new byte[32]),
        "not.a.jwt",
        "Bearer-" + TOKENS.sign(CTX) + "x",
        TOKENS.token(CTX).signWith(STRANGER.keyPair().getPrivate()),
        TOKENS.token(CTX).kid("evil-kid-<script>").sign(),
        TOKENS.token(CTX).issuedAt(NOW.minusSeconds(7200)).sign(),
        TOKENS.token(CTX).issuedAt(NOW.plusSeconds(7200)).sign(),
        TOKENS.token(CTX).claim("iss", "https://evil.example/iss").sign(),
        TOKENS.token(CTX).claim("aud", "spn:evil-audience").sign(),
        TOKENS.sign("Cust99999"),
        TOKENS.token(CTX).without(TestTokens.TENANT_CLAIM).sign());
    TokenVerifierOptions options = new TokenVerifierOptions(List.of(certificateFile), List.of(), null,
        List.of(TestTokens.ISSUER), "spn:ours", true, 60, CLOCK);
    verifier(vertx, options)
        .compose(verifier -> Future.all(tokens.stream().map(token -> rejection(verifier.verify(token, CTX))).toList()))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          for (int i = 0; i < tokens.size(); i++) {
            TokenRejected rejected = all.resultAt(i);
            assertThat(rejected.getMessage()).as(rejected.reason()).isNotBlank()
                .doesNotContain(tokens.get(i)).doesNotContain("evil").doesNotContain("Cust99999");
            for (String part : tokens.get(i).split("\\.")) {
              if (part.length() > 8) {
                assertThat(rejected.getMessage()).doesNotContain(part);
              }
            }
          }
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("verification on several event loops at once accepts every valid token")
  void isThreadSafe(Vertx vertx, VertxTestContext testContext) {
    int instances = 4;
    int perInstance = 50;
    List<String> tokens = IntStream.range(0, perInstance)
        .mapToObj(i -> TOKENS.token(CTX).claim("jti", "t" + i).sign()).toList();
    AtomicInteger accepted = new AtomicInteger();
    verifier(vertx, options(List.of(certificateFile), List.of(STRANGER.publicKeyPem())))
        .compose(verifier -> vertx.deployVerticle(() -> new VerticleBase() {
          @Override
          public Future<?> start() {
            return Future.all(tokens.stream().map(token -> verifier.verify(token, CTX)
                .onSuccess(verified -> accepted.incrementAndGet())).toList());
          }
        }, new DeploymentOptions().setInstances(instances)))
        .onComplete(testContext.succeeding(id -> testContext.verify(() -> {
          assertThat(accepted.get()).isEqualTo(instances * perInstance);
          testContext.completeNow();
        })));
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The token with its header replaced (its signature then belongs to another header). */
  private static String forgeHeader(String token, String headerJson) {
    return encode(headerJson) + token.substring(token.indexOf('.'));
  }

  private static String sha256Hex(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
