package io.tenantwatch.webhook;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

/**
 * Mints notification tokens the way SuperOffice does (RS256, {@code iss}, the {@code ctx} claim,
 * {@code nbf = iat - 60 s}, {@code exp = iat + 300 s}, a random {@code jti}) with a key pair of its own:
 * the simulator signs its notifications with one, and the engine trusts its {@link #publicKeyPem()} while
 * the simulator is enabled. Thread-safe.
 */
public final class NotificationSigner {
  /** SuperOffice's tokens are valid from a minute before they are issued... */
  public static final long NOT_BEFORE_SECONDS = 60;
  /** ...to five minutes after. */
  public static final long LIFETIME_SECONDS = 300;

  private final Clock clock;
  private final String issuer;
  private final String keyId;
  private final String publicKeyPem;
  private final JWT jwt;

  private NotificationSigner(Clock clock, String issuer, KeyPair keys, String keyId) {
    this.clock = clock;
    this.issuer = issuer;
    this.keyId = keyId;
    this.publicKeyPem = PemBlocks.publicKeyPem(keys.getPublic());
    PubSecKeyOptions privateKey = new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    if (keyId != null) {
      privateKey.setId(keyId);
    }
    // JWT is the signing engine behind JWTAuth.generateToken; JWTAuth itself wants a Vertx (only to read
    // key stores), which a signer made from a Clock has not got.
    this.jwt = new JWT().addJWK(new JWK(privateKey));
  }

  /**
   * A signer with a fresh RSA-2048 key; its tokens name the key by its RFC 7638 thumbprint
   * ({@link #keyId()}), which a {@link TokenVerifier} trusting {@link #publicKeyPem()} recognises.
   */
  public static NotificationSigner generate(Clock clock, String issuer) {
    KeyPair keys = generateKeyPair();
    return new NotificationSigner(clock, issuer, keys, TrustedKey.jwkThumbprint((RSAPublicKey) keys.getPublic()));
  }

  /** A signer with a fresh RSA-2048 key whose tokens carry no {@code kid}. */
  public static NotificationSigner generateWithoutKeyId(Clock clock, String issuer) {
    return new NotificationSigner(clock, issuer, generateKeyPair(), null);
  }

  /** The public key as a {@code PUBLIC KEY} PEM block, for {@link TokenVerifierOptions#extraPublicKeysPem()}. */
  public String publicKeyPem() {
    return publicKeyPem;
  }

  /** The {@code kid} its tokens carry; null when they carry none. */
  public String keyId() {
    return keyId;
  }

  /** A token for a notification about {@code contextIdentifier}, issued now by the clock. */
  public String sign(String contextIdentifier) {
    long issuedAt = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject()
        .put("iss", issuer)
        .put(TokenVerifier.TENANT_CLAIM, contextIdentifier)
        .put("iat", issuedAt)
        .put("nbf", issuedAt - NOT_BEFORE_SECONDS)
        .put("exp", issuedAt + LIFETIME_SECONDS)
        .put("jti", UUID.randomUUID().toString());
    return jwt.sign(claims, new JWTOptions().setAlgorithm("RS256"));
  }

  private static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(TrustedKey.MIN_MODULUS_BITS);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has RSA", e);
    }
  }
}
