package io.tenantwatch.bench;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * The webhook benchmark's second baseline: the bare route plus the one thing no route that takes signed
 * notifications can leave out, an RS256 signature check of each. It reads the body as JSON, takes the
 * token, and checks its signature with the JDK's {@code SHA256withRSA} (one {@link Signature} per event
 * loop, kept), answering 200 or 401; no claims, no replay check, no hand-over. So the engine's ratio to it
 * says how close the engine comes to what the cryptography alone allows on this machine.
 */
final class SignatureFloorRoute implements Handler<RoutingContext> {
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final ThreadLocal<Signature> VERIFIERS = ThreadLocal.withInitial(() -> {
    try {
      return Signature.getInstance("SHA256withRSA");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  private final PublicKey key;
  private final String answer;

  SignatureFloorRoute(PublicKey key, String answer) {
    this.key = key;
    this.answer = answer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean valid;
    try {
      String token = new JsonObject(ctx.body().buffer()).getString("Token");
      int signatureAt = token.lastIndexOf('.');
      Signature verifier = VERIFIERS.get();
      verifier.initVerify(key);
      verifier.update(token.substring(0, signatureAt).getBytes(StandardCharsets.US_ASCII));
      valid = verifier.verify(BASE64URL.decode(token.substring(signatureAt + 1)));
    } catch (GeneralSecurityException | RuntimeException e) {
      valid = false;
    }
    ctx.response().setStatusCode(valid ? 200 : 401).putHeader("Content-Type", "application/json").end(answer);
  }
}
