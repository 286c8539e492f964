package io.tenantwatch.webhook;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints SuperOffice-like notification tokens in tests: RS256 with a key pair of its own, {@code iss},
 * the {@code ctx} claim, {@code iat} from the clock, {@code nbf = iat - 60}, {@code exp = iat + 300}, no
 * {@code kid} unless asked. {@link #token(String)} gives a builder to bend any part (other claims, a kid,
 * another key, alg none, HS256) for refusal tests.
 *
 * <pre>{@code
 * TestTokens tokens = TestTokens.generate(clock);
 * options: extraPublicKeysPem = List.of(tokens.publicKeyPem()), issuers = List.of(TestTokens.ISSUER)
 * String good = tokens.sign("Cust12345");
 * String late = tokens.token("Cust12345").issuedAt(clock.instant().minusSeconds(3600)).sign();
 * }</pre>
 */
public final class TestTokens {
  public static final String ISSUER = "https://sod.superoffice.com";
  public static final String TENANT_CLAIM = TokenVerifier.TENANT_CLAIM;

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final Clock clock;
  private final String issuer;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestTokens(Clock clock, String issuer, KeyPair keys) {
    this.clock = clock;
    this.issuer = issuer;
    this.keys = keys;
    this.certificate = TestCertificates.selfSigned(keys, "tenantwatch test signer");
  }

  /** Tokens from a fresh RSA-2048 key, issued by {@link #ISSUER}. */
  public static TestTokens generate(Clock clock) {
    return generate(clock, ISSUER);
  }

  public static TestTokens generate(Clock clock, String issuer) {
    return new TestTokens(clock, issuer, generateKeyPair());
  }

  public static KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public KeyPair keyPair() {
    return keys;
  }

  /** The public key as a {@code PUBLIC KEY} PEM block. */
  public String publicKeyPem() {
    return PemBlocks.publicKeyPem(keys.getPublic());
  }

  /** A self-signed certificate for the key, for the kid and JWKS x5c tests. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The certificate as PEM. */
  public String certificatePem() {
    return TestCertificates.pem(certificate());
  }

  /** Writes the certificate as PEM to {@code dir/signer.crt}, a file {@code webhook.certificates} can name. */
  public Path writeCertificate(Path dir) throws IOException {
    return Files.writeString(dir.resolve("signer.crt"), certificatePem());
  }

  /** A valid token for {@code contextIdentifier}, issued now, without kid. */
  public String sign(String contextIdentifier) {
    return token(contextIdentifier).sign();
  }

  /** A builder starting from a valid token for {@code contextIdentifier}, issued now. */
  public Token token(String contextIdentifier) {
    return new Token(contextIdentifier);
  }

  /** One token being minted; every method changes it and returns it. */
  public final class Token {
    private final JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT");
    private final JsonObject claims = new JsonObject();

    private Token(String contextIdentifier) {
      claims.put("iss", issuer).put(TENANT_CLAIM, contextIdentifier);
      issuedAt(clock.instant());
    }

    /** Sets {@code iat}, {@code nbf = iat - 60} and {@code exp = iat + 300}. */
    public Token issuedAt(Instant at) {
      long iat = at.getEpochSecond();
      claims.put("iat", iat).put("nbf", iat - 60).put("exp", iat + 300);
      return this;
    }

    public Token kid(String kid) {
      header.put("kid", kid);
      return this;
    }

    public Token header(String name, Object value) {
      header.put(name, value);
      return this;
    }

    public Token claim(String name, Object value) {
      claims.put(name, value);
      return this;
    }

    public Token without(String claim) {
      claims.remove(claim);
      return this;
    }

    /** Signed RS256 with this helper's key. */
    public String sign() {
      return signWith(keys.getPrivate());
    }

    /** Signed RS256 with another private key (a wrong key, a rotated one). */
    public String signWith(PrivateKey key) {
      header.put("alg", "RS256");
      String input = signingInput();
      try {
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + BASE64URL.encodeToString(signer.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** {@code alg: none} with an empty signature, as the classic attack sends it. */
    public String unsigned() {
      header.put("alg", "none");
      return signingInput() + ".";
    }

    /** {@code alg: HS256} keyed with {@code secret}, e.g. the bytes of the verifier's own public key. */
    public String hs256(byte[] secret) {
      header.put("alg", "HS256");
      String input = signingInput();
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return input + "." + BASE64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private String signingInput() {
      return encode(header) + "." + encode(claims);
    }
  }

  /** A JSON object as a base64url token part. */
  public static String encode(JsonObject json) {
    return BASE64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
