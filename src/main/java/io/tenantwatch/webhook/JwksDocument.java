package io.tenantwatch.webhook;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the RS256 signing keys out of a JWKS ({@code {"keys":[...]}}). A key comes from its {@code x5c}
 * chain (the first certificate) or else from {@code n}/{@code e}; it is named by its {@code kid}, its
 * {@code x5t} and the thumbprints of its certificate. Entries for other uses, algorithms or key types are
 * skipped. The certificate's validity dates are not checked: the key is trusted because the configured
 * JWKS URL published it, as with a pinned certificate.
 */
final class JwksDocument {
  private static final Logger LOG = LoggerFactory.getLogger(JwksDocument.class);

  private JwksDocument() {
  }

  /**
   * The usable keys of a JWKS body.
   *
   * @throws IllegalArgumentException when the body is not a JWKS or holds no usable key
   */
  static KeySet keys(Buffer body) {
    JsonObject document;
    try {
      document = new JsonObject(body);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("the answer is not a JSON object");
    }
    if (!(document.getValue("keys") instanceof JsonArray entries)) {
      throw new IllegalArgumentException("the answer has no \"keys\" array");
    }
    List<TrustedKey> keys = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.getValue(i) instanceof JsonObject entry && isRs256Signing(entry)) {
        String origin = "JWKS key " + (i + 1);
        try {
          keys.add(key(entry, origin));
        } catch (IllegalArgumentException | CertificateException | InvalidKeySpecException e) {
          LOG.debug("{} skipped: {}", origin, e.getMessage());
        }
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("none of its " + entries.size() + " keys is a usable RS256 key");
    }
    return new KeySet(keys);
  }

  private static boolean isRs256Signing(JsonObject entry) {
    Object use = entry.getValue("use");
    Object alg = entry.getValue("alg");
    return "RSA".equals(entry.getValue("kty")) && (use == null || "sig".equals(use))
        && (alg == null || "RS256".equals(alg));
  }

  private static TrustedKey key(JsonObject entry, String origin)
      throws CertificateException, InvalidKeySpecException {
    List<String> ids = new ArrayList<>(2);
    if (entry.getValue("kid") instanceof String kid && !kid.isEmpty()) {
      ids.add(kid);
    }
    if (entry.getValue("x5t") instanceof String x5t && !x5t.isEmpty()) {
      ids.add(x5t);
    }
    if (entry.getValue("x5c") instanceof JsonArray chain && !chain.isEmpty()
        && chain.getValue(0) instanceof String first) {
      // x5c is plain base64 (RFC 7517 4.7), not base64url.
      return TrustedKey.ofCertificate(PemBlocks.certificate(Base64.getMimeDecoder().decode(first)),
          origin, ids);
    }
    if (entry.getValue("n") instanceof String n && entry.getValue("e") instanceof String e) {
      Base64.Decoder base64url = Base64.getUrlDecoder();
      RSAPublicKeySpec spec = new RSAPublicKeySpec(
          new BigInteger(1, base64url.decode(n)), new BigInteger(1, base64url.decode(e)));
      try {
        return TrustedKey.ofPublicKey(KeyFactory.getInstance("RSA").generatePublic(spec), origin, ids);
      } catch (NoSuchAlgorithmException impossible) {
        throw new IllegalStateException("every Java runtime has RSA", impossible);
      }
    }
    throw new IllegalArgumentException("it has neither x5c nor n and e");
  }
}
