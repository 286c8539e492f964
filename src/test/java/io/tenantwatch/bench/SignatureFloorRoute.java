package io.tenantwatch.bench;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.function.Function;

/**
 * The webhook benchmark's floors: the bare route plus the one thing no route that takes signed
 * notifications can leave out, an RS256 signature check of each. It reads the body as JSON, takes the
 * token, and checks its signature with the JDK's {@code SHA256withRSA} (one {@link Signature} per event
 * loop, kept), answering 200 or 401; no claims, no replay check. So the engine's ratio to it says how close
 * the engine comes to what the cryptography alone allows on this machine.
 *
 * <p>The {@linkplain #handingOver hand-over floor} adds what the design asks of every verified notification
 * beyond that: it reaches its tenant's own verticle as an event-bus message, and is answered once that
 * verticle has taken it. Here the verticle is a bare one ({@link BareTenantVerticles}) that replies at once;
 * the body goes to it as the JSON object read, as the engine sends its tenant a JSON message.
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
  /** The bus a verified notification is handed over on, null for the signature floor alone. */
  private final EventBus bus;
  private final Function<String, String> tenantAddress;

  private SignatureFloorRoute(PublicKey key, String answer, EventBus bus, Function<String, String> tenantAddress) {
    this.key = key;
    this.answer = answer;
    this.bus = bus;
    this.tenantAddress = tenantAddress;
  }

  /** The signature floor: each token's signature checked, and nothing more. */
  static SignatureFloorRoute checking(PublicKey key, String answer) {
    return new SignatureFloorRoute(key, answer, null, null);
  }

  /**
   * The hand-over floor: each token's signature checked, then the notification handed to a consumer at
   * {@code tenantAddress} of its {@code ContextIdentifier}, and answered once that consumer replies.
   */
  static SignatureFloorRoute handingOver(PublicKey key, String answer, EventBus bus,
      Function<String, String> tenantAddress) {
    return new SignatureFloorRoute(key, answer, bus, tenantAddress);
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = null;
    boolean valid;
    try {
      body = new JsonObject(ctx.body().buffer());
      String token = body.getString("Token");
      int signatureAt = token.lastIndexOf('.');
      Signature verifier = VERIFIERS.get();
      verifier.initVerify(key);
      verifier.update(token.substring(0, signatureAt).getBytes(StandardCharsets.US_ASCII));
      valid = verifier.verify(BASE64URL.decode(token.substring(signatureAt + 1)));
    } catch (GeneralSecurityException | RuntimeException e) {
      valid = false;
    }
    if (!valid || bus == null) {
      answer(ctx, valid ? 200 : 401);
      return;
    }
    bus.request(tenantAddress.apply(body.getString("ContextIdentifier")), body)
        .onComplete(taken -> answer(ctx, taken.succeeded() ? 200 : 503));
  }

  private void answer(RoutingContext ctx, int status) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer);
  }
}
