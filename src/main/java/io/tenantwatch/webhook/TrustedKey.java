package io.tenantwatch.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * One RSA public key that may sign notification tokens, with every name a token's {@code kid} may call it
 * by, and the vertx-auth-jwt provider that checks RS256 signatures against it (and nothing else).
 *
 * <p>Names: for a certificate its SHA-1 and SHA-256 thumbprints in hex (matched case-insensitively) and as
 * {@code x5t} / {@code x5t#S256} (base64url, exact); for every key its RFC 7638 JWK thumbprint; for a JWKS
 * entry also the {@code kid} and {@code x5t} it was published with. Immutable, so shared across event loops.
 */
final class TrustedKey {
  /** RS256 with a shorter modulus is breakable; SuperOffice's keys are RSA-2048. */
  static final int MIN_MODULUS_BITS = 2048;

  private static final HexFormat HEX = HexFormat.of().withUpperCase();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String origin;
  private final String thumbprint;
  private final Set<String> exactIds;
  private final Set<String> hexIds;
  /**
   * Idle signature checkers for this key. A vertx-auth-jwt provider verifies under a lock of its own, so
   * one shared provider would make the public listener's event loops take turns at the RSA work; each
   * verification borrows a provider instead, and there are never more than verifications at once.
   */
  private final Queue<JWTAuth> idleChecks = new ConcurrentLinkedQueue<>();
  private final Supplier<JWTAuth> newCheck;

  private TrustedKey(Vertx vertx, String origin, RSAPublicKey key, String thumbprint, Set<String> exactIds,
      Set<String> hexIds) {
    this.origin = origin;
    this.thumbprint = thumbprint;
    this.exactIds = Set.copyOf(exactIds);
    this.hexIds = Set.copyOf(hexIds);
    // The expiry check of vertx-auth-jwt reads the wall clock; times are judged by TokenVerifier's Clock.
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(PemBlocks.publicKeyPem(key)))
        .setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
    this.newCheck = () -> JWTAuth.create(vertx, options);
    // The first one now, so a key vertx-auth-jwt cannot use is refused at start, not at the first token.
    idleChecks.add(newCheck.get());
  }

  /**
   * The key of a certificate, named by its thumbprints and {@code moreIds}.
   *
   * @throws IllegalArgumentException when the certificate's key is not RSA of at least 2048 bits
   */
  static TrustedKey ofCertificate(Vertx vertx, X509Certificate certificate, String origin,
      Collection<String> moreIds) {
    RSAPublicKey key = rsa(certificate.getPublicKey());
    byte[] der;
    try {
      der = certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
    }
    byte[] sha1 = digest("SHA-1", der);
    byte[] sha256 = digest("SHA-256", der);
    Set<String> exact = new LinkedHashSet<>(moreIds);
    exact.add(BASE64URL.encodeToString(sha1));
    exact.add(BASE64URL.encodeToString(sha256));
    exact.add(jwkThumbprint(key));
    return new TrustedKey(vertx, origin, key, HEX.formatHex(sha1), exact,
        Set.of(HEX.formatHex(sha1), HEX.formatHex(sha256)));
  }

  /**
   * A bare public key, named by its JWK thumbprint and {@code moreIds}.
   *
   * @throws IllegalArgumentException when the key is not RSA of at least 2048 bits
   */
  static TrustedKey ofPublicKey(Vertx vertx, PublicKey publicKey, String origin, Collection<String> moreIds) {
    RSAPublicKey key = rsa(publicKey);
    Set<String> exact = new LinkedHashSet<>(moreIds);
    exact.add(jwkThumbprint(key));
    return new TrustedKey(vertx, origin, key, null, exact, Set.of());
  }

  /** Whether a token header's {@code kid} names this key. */
  boolean answersTo(String kid) {
    return exactIds.contains(kid) || (isHex(kid) && hexIds.contains(kid.toUpperCase(Locale.ROOT)));
  }

  /** Succeeds when {@code token} carries a valid RS256 signature by this key; never throws. */
  Future<Void> checkSignature(String token) {
    JWTAuth check = idleChecks.poll();
    try {
      if (check == null) {
        check = newCheck.get();
      }
      return check.authenticate(new TokenCredentials(token)).mapEmpty();
    } catch (RuntimeException e) {
      // vertx-auth-jwt reports a bad token by failing its future; a throw is the same verdict.
      return Future.failedFuture(e);
    } finally {
      // authenticate does all its work before it returns; the provider is free again (and thread-safe
      // should that ever change).
      if (check != null) {
        idleChecks.offer(check);
      }
    }
  }

  /** Where the key came from (a file, "extra key 1", a JWKS), for log lines and error messages. */
  String origin() {
    return origin;
  }

  /** The certificate's SHA-1 thumbprint in upper-case hex; null for a bare public key. */
  String thumbprint() {
    return thumbprint;
  }

  /** The names a {@code kid} may match exactly (x5t forms, JWK thumbprint, published ids). */
  Set<String> exactIds() {
    return exactIds;
  }

  @Override
  public String toString() {
    return thumbprint == null ? origin : origin + " (" + thumbprint + ")";
  }

  /** RFC 7638: base64url SHA-256 of the key's canonical JSON; a stable name for a key without certificate. */
  static String jwkThumbprint(RSAPublicKey key) {
    String canonical = "{\"e\":\"" + BASE64URL.encodeToString(unsigned(key.getPublicExponent()))
        + "\",\"kty\":\"RSA\",\"n\":\"" + BASE64URL.encodeToString(unsigned(key.getModulus())) + "\"}";
    return BASE64URL.encodeToString(digest("SHA-256", canonical.getBytes(StandardCharsets.US_ASCII)));
  }

  private static RSAPublicKey rsa(PublicKey key) {
    if (!(key instanceof RSAPublicKey rsa)) {
      throw new IllegalArgumentException("it holds a " + key.getAlgorithm() + " key, not an RSA key");
    }
    if (rsa.getModulus().bitLength() < MIN_MODULUS_BITS) {
      throw new IllegalArgumentException("its RSA key has " + rsa.getModulus().bitLength()
          + " bits, fewer than the " + MIN_MODULUS_BITS + " RS256 needs");
    }
    return rsa;
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return !text.isEmpty();
  }

  static byte[] digest(String algorithm, byte[] input) {
    try {
      return MessageDigest.getInstance(algorithm).digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has " + algorithm, e);
    }
  }
}
