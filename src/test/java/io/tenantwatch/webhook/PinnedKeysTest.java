package io.tenantwatch.webhook;

import static io.tenantwatch.webhook.VerifierFixtures.CLOCK;
import static io.tenantwatch.webhook.VerifierFixtures.CTX;
import static io.tenantwatch.webhook.VerifierFixtures.options;
import static io.tenantwatch.webhook.VerifierFixtures.sha1Hex;
import static io.tenantwatch.webhook.VerifierFixtures.x5t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.Environment;
import io.tenantwatch.config.WebhookOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
class PinnedKeysTest {
  private static final List<String> SUPEROFFICE_CERTIFICATES = List.of(
      "classpath:io/tenantwatch/certs/sod-federated-login.crt",
      "classpath:io/tenantwatch/certs/stage-federated-login.crt",
      "classpath:io/tenantwatch/certs/online-federated-login.crt");

  @TempDir
  Path dir;

  private Future<String> creationFailure(Vertx vertx, TokenVerifierOptions options) {
    return TokenVerifier.create(vertx, options).transform(created -> created.succeeded()
        ? Future.failedFuture(new AssertionError("the verifier was created"))
        : Future.succeededFuture(created.cause().getMessage()));
  }

  /** The failure of a verifier's creation, which must be a {@link ConfigException} naming {@code key}. */
  private Future<String> configFailure(Vertx vertx, TokenVerifierOptions options, String key) {
    return TokenVerifier.create(vertx, options).transform(created -> {
      if (created.succeeded()) {
        return Future.failedFuture(new AssertionError("the verifier was created"));
      }
      if (!(created.cause() instanceof ConfigException config) || !key.equals(config.key())) {
        return Future.failedFuture(new AssertionError("not a ConfigException for " + key, created.cause()));
      }
      return Future.succeededFuture(config.getMessage());
    });
  }

  private String write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content).toString();
  }

  @Test
  @DisplayName("SuperOffice's three certificates load, with the thumbprints superoffice.md lists")
  void loadsSuperOfficeCertificates(Vertx vertx, VertxTestContext testContext) {
    TokenVerifier.create(vertx, options(SUPEROFFICE_CERTIFICATES, List.of()))
        .onComplete(testContext.succeeding(verifier -> testContext.verify(() -> {
          List<TrustedKey> keys = verifier.pinnedKeys().keys();
          assertThat(keys).extracting(TrustedKey::thumbprint).containsExactly(
              "16B7FB8C3F9AB06885A800C64E64C97C4AB5E98C",
              "484903A7732B928C7980A39D38E947EA119F1089",
              "60B61583DBB2B7EEC46FD01EC0056E62451D61F3");
          assertThat(keys).extracting(TrustedKey::origin).containsExactlyElementsOf(SUPEROFFICE_CERTIFICATES);
          // x5t is the same SHA-1 digest in base64url: 16B7FB8C... -> FrfrjD-asGiFqADGTmTJfEq16Yw
          assertThat(keys.get(0).exactIds()).contains(Base64.getUrlEncoder().withoutPadding()
              .encodeToString(HexFormat.of().parseHex("16B7FB8C3F9AB06885A800C64E64C97C4AB5E98C")));
          assertThat(keys.get(0).answersTo("16b7fb8c3f9ab06885a800c64e64c97c4ab5e98c")).isTrue();
          assertThat(keys.get(0).answersTo("484903A7732B928C7980A39D38E947EA119F1089")).isFalse();
          testContext.completeNow();
        })));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"SOD, 16B7FB8C3F9AB06885A800C64E64C97C4AB5E98C", "STAGE, 484903A7732B928C7980A39D38E947EA119F1089",
      "ONLINE, 60B61583DBB2B7EEC46FD01EC0056E62451D61F3"})
  @DisplayName("each environment's preset loads its certificate from the jar, with Vert.x's class-path resolving off")
  void presetsLoadFromTheJar(Environment environment, String thumbprint) throws Exception {
    // A platform may switch the file resolver's class-path fallback off; the presets must not need it.
    Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false)));
    try {
      TokenVerifierOptions preset = TokenVerifierOptions.from(WebhookOptions.defaults(environment), List.of(),
          List.of(), CLOCK);
      List<TrustedKey> keys = TokenVerifier.create(vertx, preset).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS).pinnedKeys().keys();
      assertThat(keys).extracting(TrustedKey::thumbprint).containsExactly(thumbprint);
      assertThat(keys).extracting(TrustedKey::origin).singleElement().asString().startsWith("classpath:");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a file whose key is RSA under 2048 bits, or not RSA, fails the start with a ConfigException naming it")
  void unusableKeysInFiles(Vertx vertx, VertxTestContext testContext) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String weak = write("weak.pem", PemBlocks.publicKeyPem(rsa.generateKeyPair().getPublic()));
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    String elliptic = write("ec.pem", PemBlocks.publicKeyPem(ec.generateKeyPair().getPublic()));
    Future.all(configFailure(vertx, options(List.of(weak), List.of()), "webhook.certificates"),
            configFailure(vertx, options(List.of(elliptic), List.of()), "webhook.certificates"))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertThat(all.<String>resultAt(0)).isEqualTo("webhook.certificates: the file " + weak
              + " cannot be used: its RSA key has 1024 bits, fewer than the 2048 RS256 needs");
          assertThat(all.<String>resultAt(1)).isEqualTo("webhook.certificates: the file " + elliptic
              + " cannot be used: its public key is not an RSA key in X.509 form");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a file may hold several blocks and text around them; certificates and public keys mix")
  void readsSeveralBlocks(Vertx vertx, VertxTestContext testContext) throws IOException {
    TestTokens first = TestTokens.generate(CLOCK);
    TestTokens second = TestTokens.generate(CLOCK);
    String file = write("bundle.pem", "subject=CN = first\n" + first.certificatePem() + "\nBag Attributes\n"
        + second.publicKeyPem());
    TokenVerifier.create(vertx, options(List.of(file), List.of()))
        .compose(verifier -> Future.all(verifier.verify(first.token(CTX).kid(sha1Hex(first.certificate())).sign(), CTX),
            verifier.verify(first.token(CTX).kid(x5t(first.certificate())).sign(), CTX),
            verifier.verify(second.sign(CTX), CTX)).map(verifier))
        .onComplete(testContext.succeeding(verifier -> testContext.verify(() -> {
          assertThat(verifier.pinnedKeys().keys()).extracting(TrustedKey::origin)
              .containsExactly(file + "#1", file + "#2");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a bare public key is named by its RFC 7638 thumbprint")
  void namesBareKeysByJwkThumbprint(Vertx vertx, VertxTestContext testContext) {
    TestTokens signer = TestTokens.generate(CLOCK);
    String thumbprint = TrustedKey.jwkThumbprint(
        (RSAPublicKey) signer.keyPair().getPublic());
    TokenVerifier.create(vertx, options(List.of(), List.of(signer.publicKeyPem())))
        .compose(verifier -> verifier.verify(signer.token(CTX).kid(thumbprint).sign(), CTX))
        .onComplete(testContext.succeeding(verified -> testContext.verify(() -> {
          assertThat(thumbprint).hasSize(43);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the RFC 7638 thumbprint matches the RFC's own example")
  void jwkThumbprintMatchesRfcExample() throws Exception {
    // RFC 7638 section 3.1
    String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    String e = "AQAB";
    RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, Base64.getUrlDecoder().decode(n)), new BigInteger(1, Base64.getUrlDecoder().decode(e))));
    assertThat(TrustedKey.jwkThumbprint(key)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  @DisplayName("a missing file, a directory or a missing resource fails the start with a ConfigException naming it")
  void missingFile(Vertx vertx, VertxTestContext testContext) {
    String missing = dir.resolve("nope.crt").toString();
    Future.all(configFailure(vertx, options(List.of(missing), List.of()), "webhook.certificates"),
            configFailure(vertx, options(List.of(dir.toString()), List.of()), "webhook.certificates"),
            configFailure(vertx, options(List.of("classpath:io/tenantwatch/certs/nope.crt"), List.of()),
                "webhook.certificates"))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertThat(all.<String>resultAt(0))
              .isEqualTo("webhook.certificates: the file " + missing + " cannot be read (NoSuchFileException)");
          assertThat(all.<String>resultAt(1))
              .startsWith("webhook.certificates: the file " + dir + " cannot be read (");
          assertThat(all.<String>resultAt(2)).isEqualTo("webhook.certificates: the resource "
              + "classpath:io/tenantwatch/certs/nope.crt is not on the class path");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("an entry without classpath: is a file only: a resource's name does not find the resource")
  void fileIsNotLookedUpOnTheClassPath(Vertx vertx, VertxTestContext testContext) {
    // Vert.x's file system would fall back to the class path for this relative name; the verifier must not.
    configFailure(vertx, options(List.of("io/tenantwatch/certs/sod-federated-login.crt"), List.of()),
            "webhook.certificates")
        .onComplete(testContext.succeeding(message -> testContext.verify(() -> {
          assertThat(message).isEqualTo("webhook.certificates: the file io/tenantwatch/certs/sod-federated-login.crt"
              + " cannot be read (NoSuchFileException)");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a file without PEM, with a broken certificate or with a private key fails the start, naming the file")
  void unusableFiles(Vertx vertx, VertxTestContext testContext) throws IOException {
    String garbage = write("garbage.crt", "hello, I am not a certificate\n");
    String broken = write("broken.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    String privateKey = write("private.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Future.all(configFailure(vertx, options(List.of(garbage), List.of()), "webhook.certificates"),
            configFailure(vertx, options(List.of(broken), List.of()), "webhook.certificates"),
            configFailure(vertx, options(List.of(privateKey), List.of()), "webhook.certificates"))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertThat(all.<String>resultAt(0)).isEqualTo("webhook.certificates: the file " + garbage
              + " cannot be used: it holds no PEM certificate or public key");
          assertThat(all.<String>resultAt(1)).startsWith("webhook.certificates: the file " + broken
              + " cannot be used: its certificate cannot be parsed");
          assertThat(all.<String>resultAt(2)).isEqualTo("webhook.certificates: the file " + privateKey
              + " cannot be used: it holds a PRIVATE KEY block; only CERTIFICATE and PUBLIC KEY blocks can be trusted");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("an extra key that is not PEM, or an RSA key under 2048 bits, fails the start, naming it")
  void unusableExtraKeys(Vertx vertx, VertxTestContext testContext) throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weak = generator.generateKeyPair();
    String strong = TestTokens.generate(CLOCK).publicKeyPem();
    Future.all(creationFailure(vertx, options(List.of(), List.of(strong, "ssh-rsa AAAA"))),
            creationFailure(vertx, options(List.of(), List.of(PemBlocks.publicKeyPem(weak.getPublic())))))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertThat(all.<String>resultAt(0))
              .isEqualTo("the webhook's extra public key 2 cannot be used: it holds no PEM certificate or public key");
          assertThat(all.<String>resultAt(1)).isEqualTo("the webhook's extra public key 1 cannot be used: "
              + "its RSA key has 1024 bits, fewer than the 2048 RS256 needs");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a JWKS URL that is not http(s) fails the start")
  void badJwksUrl(Vertx vertx, VertxTestContext testContext) {
    TokenVerifierOptions options = new TokenVerifierOptions(List.of(), List.of(), "file:///etc/passwd",
        List.of(TestTokens.ISSUER), null, false, 60, CLOCK);
    configFailure(vertx, options, "webhook.jwksUrl").onComplete(testContext.succeeding(message -> testContext.verify(() -> {
      assertThat(message).isEqualTo("webhook.jwksUrl: must be an absolute http or https URL, got \"file:///etc/passwd\"");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a negative clock skew is refused when the options are built")
  void negativeSkew() {
    assertThatIllegalArgumentException().isThrownBy(() ->
        new TokenVerifierOptions(List.of(), List.of(), null, List.of(), null, false, -1, CLOCK))
        .withMessage("clockSkewSeconds must not be negative, got -1");
  }
}
