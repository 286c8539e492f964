package io.tenantwatch.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Self-signed X.509 certificates built with plain JDK APIs (the JDK can parse certificates but not make
 * them), so the kid tests need no openssl: a minimal v1 certificate in hand-written DER, signed
 * SHA256withRSA.
 */
public final class TestCertificates {
  private static final byte[] SHA256_WITH_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7,
      0x0D, 0x01, 0x01, 0x0B};
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  private static final byte[] NULL = {0x05, 0x00};
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private TestCertificates() {
  }

  /** A certificate for {@code keys}' public key, signed by its own private key, valid in [from, until]. */
  public static X509Certificate selfSigned(KeyPair keys, String commonName, Instant from, Instant until) {
    byte[] algorithm = der(0x30, SHA256_WITH_RSA, NULL);
    byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME,
        der(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] validity = der(0x30, der(0x17, UTC_TIME.format(from).getBytes(StandardCharsets.US_ASCII)),
        der(0x17, UTC_TIME.format(until).getBytes(StandardCharsets.US_ASCII)));
    byte[] tbs = der(0x30, der(0x02, new byte[] {0x01}), algorithm, name, validity, name,
        keys.getPublic().getEncoded());
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      return PemBlocks.certificate(der(0x30, tbs, algorithm, der(0x03, bits)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate valid from a year ago for a hundred years. */
  public static X509Certificate selfSigned(KeyPair keys, String commonName) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return selfSigned(keys, commonName, now.minusSeconds(365L * 86400), now.plusSeconds(36500L * 86400));
  }

  public static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xFF);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
