package io.tenantwatch.bench;

import io.tenantwatch.domain.Notification;
import io.tenantwatch.webhook.NotificationBody;
import io.tenantwatch.webhook.TokenRejected;
import io.tenantwatch.webhook.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * The webhook benchmark's checks floor: the hand-over floor ({@link SignatureFloorRoute#handingOver}) with
 * every check the contract asks of a notification done by the engine's own parts instead of one bare RSA
 * check: the body read strictly ({@link NotificationBody#parse}: duplicate fields, unsafe text, the fields'
 * forms) and the token judged whole ({@link TokenVerifier#verify}: its form, {@code alg}, the key, the
 * signature, the times, issuer, audience and tenant claim). The verified notification then goes to its
 * tenant's bare verticle and is answered on its reply, as in the hand-over floor. What it leaves out is the
 * tenant's own work: its step, the poll the notification asks for, and keeping the replay id across restarts.
 * So the engine's ratio to it is the cost of that work, and its ratio to the signature floor the cost of the
 * checks and the hand-over.
 */
final class ChecksFloorRoute implements Handler<RoutingContext> {
  private final TokenVerifier verifier;
  private final String answer;
  private final EventBus bus;
  private final Function<String, String> tenantAddress;

  ChecksFloorRoute(TokenVerifier verifier, String answer, EventBus bus, Function<String, String> tenantAddress) {
    this.verifier = verifier;
    this.answer = answer;
    this.bus = bus;
    this.tenantAddress = tenantAddress;
  }

  @Override
  public void handle(RoutingContext ctx) {
    NotificationBody body;
    try {
      body = NotificationBody.parse(ctx.body().buffer());
    } catch (NotificationBody.Malformed e) {
      answer(ctx, 400);
      return;
    }
    Notification notification = body.notification();
    verifier.verify(body.token(), notification.contextIdentifier())
        .compose(token -> bus.request(tenantAddress.apply(notification.contextIdentifier()), new JsonObject()
            .put("tenant", notification.contextIdentifier())
            .put("changeType", notification.changeType().code())
            .put("replayId", token.id())
            .put("rememberUntil", token.expiresAt().toString())))
        .onComplete(taken -> answer(ctx, taken.succeeded() ? 200 : taken.cause() instanceof TokenRejected ? 401 : 503));
  }

  private void answer(RoutingContext ctx, int status) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(answer);
  }
}
