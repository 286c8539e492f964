package io.tenantwatch.webhook;

import static io.tenantwatch.webhook.VerifierFixtures.CLOCK;
import static io.tenantwatch.webhook.VerifierFixtures.CTX;
import static io.tenantwatch.webhook.VerifierFixtures.NOW;
import static io.tenantwatch.webhook.VerifierFixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class NotificationSignerTest {
  private static final NotificationSigner SIGNER = NotificationSigner.generate(CLOCK, TestTokens.ISSUER);

  private static JsonObject part(String token, int index) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
  }

  private static TokenVerifierOptions trusting(String publicKeyPem) {
    return new TokenVerifierOptions(List.of(), List.of(publicKeyPem), null, List.of(TestTokens.ISSUER), null,
        true, 60, CLOCK);
  }

  @Test
  @DisplayName("a signed notification token looks like SuperOffice's: RS256, its kid, iss, ctx, nbf and exp around iat, a jti")
  void mintsSuperOfficeLikeTokens() {
    String token = SIGNER.sign(CTX);
    JsonObject header = part(token, 0);
    JsonObject claims = part(token, 1);
    long iat = NOW.getEpochSecond();
    assertThat(header.getString("alg")).isEqualTo("RS256");
    assertThat(header.getString("kid")).isEqualTo(SIGNER.keyId()).hasSize(43);
    assertThat(claims.getString("iss")).isEqualTo(TestTokens.ISSUER);
    assertThat(claims.getString(TokenVerifier.TENANT_CLAIM)).isEqualTo(CTX);
    assertThat(claims.getLong("iat")).isEqualTo(iat);
    assertThat(claims.getLong("nbf")).isEqualTo(iat - 60);
    assertThat(claims.getLong("exp")).isEqualTo(iat + 300);
    assertThat(UUID.fromString(claims.getString("jti"))).isNotNull();
    assertThat(SIGNER.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
  }

  @Test
  @DisplayName("a verifier trusting the signer's public key accepts its tokens, with the jti as replay id")
  void verifiesWithItsPublicKey(Vertx vertx, VertxTestContext testContext) {
    String first = SIGNER.sign(CTX);
    String second = SIGNER.sign(CTX);
    TokenVerifier.create(vertx, trusting(SIGNER.publicKeyPem()))
        .compose(verifier -> Future.all(verifier.verify(first, CTX), verifier.verify(second, CTX)))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          VerifiedToken one = all.resultAt(0);
          VerifiedToken two = all.resultAt(1);
          assertThat(one.id()).isEqualTo(part(first, 1).getString("jti")).isNotEqualTo(two.id());
          assertThat(one.tenantClaim()).isEqualTo(CTX);
          assertThat(one.expiresAt()).isEqualTo(NOW.plusSeconds(300));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a signer without key id mints tokens without kid that verify too")
  void signsWithoutKeyId(Vertx vertx, VertxTestContext testContext) {
    NotificationSigner anonymous = NotificationSigner.generateWithoutKeyId(CLOCK, TestTokens.ISSUER);
    String token = anonymous.sign(CTX);
    TokenVerifier.create(vertx, trusting(anonymous.publicKeyPem()))
        .compose(verifier -> verifier.verify(token, CTX))
        .onComplete(testContext.succeeding(verified -> testContext.verify(() -> {
          assertThat(anonymous.keyId()).isNull();
          assertThat(part(token, 0).containsKey("kid")).isFalse();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a verifier that does not trust the signer refuses its tokens")
  void refusedWhenNotTrusted(Vertx vertx, VertxTestContext testContext) {
    TokenVerifier.create(vertx, trusting(TestTokens.generate(CLOCK).publicKeyPem()))
        .compose(verifier -> outcome(verifier.verify(SIGNER.sign(CTX), CTX)))
        .onComplete(testContext.succeeding(code -> testContext.verify(() -> {
          assertThat(code).isEqualTo("unknown-key");
          testContext.completeNow();
        })));
  }
}
