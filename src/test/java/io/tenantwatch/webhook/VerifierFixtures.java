package io.tenantwatch.webhook;

import io.vertx.core.Future;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the verifier tests share: a fixed clock far from the wall clock, options, outcome helpers. */
final class VerifierFixtures {
  /** Years away from the wall clock, so any wall-clock check inside vertx-auth-jwt would show. */
  static final Instant NOW = Instant.parse("2031-03-14T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String CTX = "Cust12345";
  static final String ACCEPTED = "accepted";

  private VerifierFixtures() {
  }

  /** Trusts {@code pems} and {@code files}, accepts {@link TestTokens#ISSUER}, no JWKS, no audience, 60 s skew. */
  static TokenVerifierOptions options(List<String> files, List<String> pems) {
    return new TokenVerifierOptions(files, pems, null, List.of(TestTokens.ISSUER), null, false, 60, CLOCK);
  }

  static TokenVerifierOptions trusting(TestTokens... signers) {
    List<String> pems = new ArrayList<>();
    for (TestTokens signer : signers) {
      pems.add(signer.publicKeyPem());
    }
    return options(List.of(), pems);
  }

  /** The refusal code of a verification, or {@link #ACCEPTED}. */
  static Future<String> outcome(Future<VerifiedToken> verification) {
    return verification.map(ACCEPTED).recover(failure -> failure instanceof TokenRejected rejected
        ? Future.succeededFuture(rejected.reason())
        : Future.failedFuture(failure));
  }

  /** The refusal of a verification; fails when the token was accepted. */
  static Future<TokenRejected> rejection(Future<VerifiedToken> verification) {
    return verification.transform(result -> {
      if (result.succeeded()) {
        return Future.failedFuture(new AssertionError("the token was accepted"));
      }
      return result.cause() instanceof TokenRejected rejected
          ? Future.succeededFuture(rejected) : Future.failedFuture(result.cause());
    });
  }

  /** Verifies every token of {@code cases} (name to token) and answers name to outcome, in order. */
  static Future<Map<String, String>> outcomes(TokenVerifier verifier, Map<String, String> cases, String ctx) {
    List<String> names = new ArrayList<>(cases.keySet());
    List<Future<String>> results = new ArrayList<>();
    for (String name : names) {
      results.add(outcome(verifier.verify(cases.get(name), ctx)));
    }
    return Future.all(results).map(all -> {
      Map<String, String> outcomes = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        outcomes.put(names.get(i), results.get(i).result());
      }
      return outcomes;
    });
  }

  static String sha1Hex(X509Certificate certificate) {
    return HexFormat.of().withUpperCase().formatHex(digest("SHA-1", certificate));
  }

  static String x5t(X509Certificate certificate) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest("SHA-1", certificate));
  }

  private static byte[] digest(String algorithm, X509Certificate certificate) {
    try {
      return MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
