package io.tenantwatch.webhook;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the keys out of PEM text: {@code CERTIFICATE} and {@code PUBLIC KEY} blocks, several per text
 * allowed, text around them ignored (as openssl writes it). Anything else is refused, so a private key
 * or a typo in a trusted-keys file stops the start instead of being skipped.
 */
final class PemBlocks {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private PemBlocks() {
  }

  private record Block(String kind, String base64) {
  }

  /**
   * Every key in {@code pem}, each named {@code origin} (with {@code #n} when there are several).
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong (not naming the origin)
   */
  static List<TrustedKey> trustedKeys(String pem, String origin) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      blocks.add(new Block(matcher.group(1), matcher.group(2)));
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("it holds no PEM certificate or public key");
    }
    List<TrustedKey> keys = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String name = blocks.size() == 1 ? origin : origin + "#" + (i + 1);
      keys.add(trustedKey(blocks.get(i).kind(), der(blocks.get(i).base64()), name));
    }
    return keys;
  }

  /** A public key as a {@code PUBLIC KEY} PEM block (X.509 SubjectPublicKeyInfo), as vertx-auth-jwt reads it. */
  static String publicKeyPem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Parses one DER certificate, as found in a JWKS {@code x5c}. */
  static X509Certificate certificate(byte[] der) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  private static TrustedKey trustedKey(String kind, byte[] der, String name) {
    try {
      return switch (kind) {
        case "CERTIFICATE" -> TrustedKey.ofCertificate(certificate(der), name, List.of());
        case "PUBLIC KEY" -> TrustedKey.ofPublicKey(
            KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)), name, List.of());
        default -> throw new IllegalArgumentException(
            "it holds a " + kind + " block; only CERTIFICATE and PUBLIC KEY blocks can be trusted");
      };
    } catch (CertificateException e) {
      throw new IllegalArgumentException("its certificate cannot be parsed (" + e.getMessage() + ")", e);
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("its public key is not an RSA key in X.509 form", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has RSA", e);
    }
  }

  private static byte[] der(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a PEM block is not valid base64", e);
    }
  }
}
