package io.tenantwatch.webhook;

import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWS;
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

/**
 * One RSA public key that may sign notification tokens, with every name a token's {@code kid} may call it
 * by, and vertx-auth-jwt's RS256 signature check ({@code JWS}, the one behind {@code JWTAuth}) against it.
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
  private final JWK jwk;
  /**
   * Idle signature checkers for this key. A {@code JWS} verifies under a lock of its own, so one shared
   * checker would make the public listener's event loops take turns at the RSA work; each verification
   * borrows one instead, and there are never more than verifications at once.
   *
   * <p>Not {@code JWTAuth.authenticate}: that takes the token apart and decodes its JSON a second time
   * (after {@link UnverifiedToken}, which must judge the header before any key is consulted), and builds a
   * {@code User} nobody reads; the signature check underneath is this same {@code JWS.verify}.
   */
  private final Queue<JWS> idleChecks = new ConcurrentLinkedQueue<>();

  private TrustedKey(String origin, RSAPublicKey key, String thumbprint, Set<String> exactIds, Set<String> hexIds) {
    this.origin = origin;
    this.thumbprint = thumbprint;
    this.exactIds = Set.copyOf(exactIds);
    this.hexIds = Set.copyOf(hexIds);
    try {
      this.jwk = new JWK(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(PemBlocks.publicKeyPem(key)));
      // The first checker now, so a key vertx-auth-jwt cannot use is refused at start, not at the first token.
      idleChecks.add(new JWS(jwk));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("vertx-auth-jwt cannot check RS256 signatures with its key: " + e.getMessage(), e);
    }
  }

  /**
   * The key of a certificate, named by its thumbprints and {@code moreIds}.
   *
   * @throws IllegalArgumentException when the certificate's key is not RSA of at least 2048 bits
   */
  static TrustedKey ofCertificate(X509Certificate certificate, String origin, Collection<String> moreIds) {
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
    return new TrustedKey(origin, key, HEX.formatHex(sha1), exact,
        Set.of(HEX.formatHex(sha1), HEX.formatHex(sha256)));
  }

  /**
   * A bare public key, named by its JWK thumbprint and {@code moreIds}.
   *
   * @throws IllegalArgumentException when the key is not RSA of at least 2048 bits
   */
  static TrustedKey ofPublicKey(PublicKey publicKey, String origin, Collection<String> moreIds) {
    RSAPublicKey key = rsa(publicKey);
    Set<String> exact = new LinkedHashSet<>(moreIds);
    exact.add(jwkThumbprint(key));
    return new TrustedKey(origin, key, null, exact, Set.of());
  }

  /** Whether a token header's {@code kid} names this key. */
  boolean answersTo(String kid) {
    return exactIds.contains(kid) || (isHex(kid) && hexIds.contains(kid.toUpperCase(Locale.ROOT)));
  }

  /** Whether {@code token} carries a valid RS256 signature by this key; never throws. */
  boolean signed(UnverifiedToken token) {
    JWS check = idleChecks.poll();
    try {
      if (check == null) {
        check = new JWS(jwk);
      }
      return check.verify(token.signature(), token.signingInput());
    } catch (RuntimeException e) {
      // A signature the key cannot even be applied to (a wrong length, say) is not its signature.
      return false;
    } finally {
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
