package io.tenantwatch.http;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.bus.ShardMoving;
import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.tenant.DirectoryMessages;
import io.tenantwatch.tenant.TenantMessages;
import io.tenantwatch.tenant.WatchOrigin;
import io.tenantwatch.webhook.NotificationBody;
import io.tenantwatch.webhook.TokenRejected;
import io.tenantwatch.webhook.TokenVerifier;
import io.tenantwatch.webhook.VerifiedToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST {webhook.path}}: SuperOffice's state-change notifications (docs/contracts.md, "The webhook"). The
 * body is judged before the token (413, 415, 400), then the token (401); a verified notification is
 * handed to its tenant's verticle, which recognises a repeat by the token and applies it once (R5).
 * The answer goes out once the tenant has taken the notification, not after the poll it triggers.
 */
public final class WebhookRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);
  private static final DeliveryOptions HANDOVER = new DeliveryOptions().setSendTimeout(5_000);
  /** A verified notification the tenant took. The answers are encoded once, not per notification. */
  private static final Answer ACCEPTED = new Answer(200, new JsonObject().put("accepted", true));
  private static final Answer NOT_WATCHED = new Answer(202, new JsonObject().put("accepted", false)
      .put("message", "the tenant is not watched and watchUnknownTenants is false"));
  /** Refusal reasons already logged at WARN: each is logged once there, then at DEBUG (no log floods). */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final Routing routing;
  private final WebhookOptions options;
  private final TokenVerifier verifier;
  private final EngineMetrics metrics;

  private WebhookRoutes(Routing routing, WebhookOptions options, TokenVerifier verifier, EngineMetrics metrics) {
    this.routing = routing;
    this.options = options;
    this.verifier = verifier;
    this.metrics = metrics;
  }

  /** Adds the webhook route to a public listener's router. */
  public static void mount(Router router, Vertx vertx, WebhookOptions options, TokenVerifier verifier) {
    mount(router, Routing.local(vertx), options, verifier, EngineMetrics.unscraped());
  }

  /**
   * Adds the webhook route, counting every notification's outcome in {@code metrics}; each notification is
   * handed to its tenant wherever {@code routing} finds it.
   */
  public static void mount(Router router, Routing routing, WebhookOptions options, TokenVerifier verifier,
      EngineMetrics metrics) {
    WebhookRoutes routes = new WebhookRoutes(routing, options, verifier, metrics);
    // Every refusal of this path passes here on its way to the listener's one error writer, whichever
    // handler refused it (the drain guard, the media-type check, the body limit, the body, the token).
    router.post(options.path()).failureHandler(routes::countRefusal);
    // The media type is judged from the header before any of the body is read; vertx-web wants the body
    // handler first on its own route, so the check is a route of its own ahead of it.
    router.post(options.path()).handler(WebhookRoutes::requireJson);
    router.post(options.path())
        .handler(BodyHandler.create(false).setBodyLimit(options.maxBodyBytes()))
        .handler(routes::receive);
  }

  private static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !isJson(type)) {
      throw new HttpError(415, "unsupported-media-type", "the body must be JSON (Content-Type: application/json)");
    }
    ctx.next();
  }

  static boolean isJson(String contentType) {
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
  }

  private void receive(RoutingContext ctx) {
    NotificationBody body;
    try {
      body = NotificationBody.parse(ctx.body().buffer());
    } catch (NotificationBody.Malformed e) {
      refuse(ctx, 400, e.code(), e.getMessage());
      return;
    }
    if (body.token() == null || body.token().isBlank()) {
      refuse(ctx, 401, "missing-token", "the notification has no Token");
      return;
    }
    Notification notification = body.notification();
    verifier.verify(body.token(), notification.contextIdentifier())
        .compose(token -> handOver(notification, token))
        .onSuccess(answer -> {
          metrics.notificationAnswered(answer == ACCEPTED);
          ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body());
        })
        .onFailure(failure -> {
          if (failure instanceof TokenRejected rejected) {
            refuse(ctx, 401, rejected.reason(), rejected.getMessage());
          } else if (failure instanceof HttpError restarting) {
            LOG.debug("{}: notification answered 503: the tenant's verticle is being restarted",
                notification.contextIdentifier());
            ctx.fail(restarting);
          } else if (failure instanceof ShardMoving moving) {
            LOG.debug("{}: notification answered 503: {}", notification.contextIdentifier(), moving.getMessage());
            ctx.fail(HttpError.unavailable(ShardMoving.CODE, moving.getMessage(), moving.retryAfterSeconds()));
          } else {
            LOG.warn("{}: could not hand over a verified notification: {}", notification.contextIdentifier(),
                failure.getMessage());
            ctx.response().putHeader("Retry-After", "5");
            ctx.fail(new HttpError(503, "unavailable", "the notification could not be handed over; try again"));
          }
        });
  }

  private void countRefusal(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpError error) {
      metrics.notificationRefused(error.status(), error.code());
    } else {
      int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
      metrics.notificationRefused(status, status == 413 ? "body-too-large" : status >= 500 ? "internal" : "bad-request");
    }
    ctx.next();
  }

  /**
   * Gives the notification to its tenant, watching the tenant first when that is configured. A watched
   * tenant whose verticle cannot take it (failed, waiting to be restarted) fails it with its 503.
   */
  private Future<Answer> handOver(Notification notification, VerifiedToken token) {
    String tenant = notification.contextIdentifier();
    JsonObject message = TenantMessages.notification(notification, replayId(notification, token),
        token.expiresAt().plusSeconds(options.clockSkewSeconds()));
    return deliver(tenant, message).recover(failure -> !RestartingTenant.noVerticle(failure)
        ? Future.failedFuture(failure)
        : RestartingTenant.ask(routing, tenant).compose(restarting -> restarting.isPresent()
            ? Future.failedFuture(restarting.get())
            : notWatched(tenant, notification, message, failure)));
  }

  /** The tenant is not watched: it is watched now when that is configured, else the notification is ignored. */
  private Future<Answer> notWatched(String tenant, Notification notification, JsonObject message,
      Throwable failure) {
    if (!(failure instanceof ReplyException reply) || reply.failureType() != ReplyFailure.NO_HANDLERS) {
      return Future.failedFuture(failure);
    }
    if (!options.watchUnknownTenants()) {
      LOG.debug("{}: notification {} ignored: the tenant is not watched", tenant, notification.changeType());
      return Future.succeededFuture(NOT_WATCHED);
    }
    return routing.toOwner(tenant, Addresses.DIRECTORY, DirectoryMessages.watch(tenant, WatchOrigin.NOTIFICATION),
            HANDOVER)
        .compose(watched -> deliver(tenant, message));
  }

  /**
   * A repeat is the same token saying the same thing. The body is part of the id because SuperOffice does
   * not document whether a token may be reused for several notifications while it is valid: a Resume
   * under the token of an earlier Suspend must still be applied.
   */
  static String replayId(Notification notification, VerifiedToken token) {
    String text = String.join("\n", token.id(), Integer.toString(notification.changeType().code()),
        String.valueOf(notification.publicEndpoint()), String.valueOf(notification.versionName()),
        String.valueOf(notification.fileVersion()));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private Future<Answer> deliver(String tenant, JsonObject message) {
    return routing.toOwner(tenant, Addresses.tenant(tenant), message, HANDOVER).map(ACCEPTED);
  }

  /** A status and the JSON body that goes with it. */
  private record Answer(int status, String body) {
    Answer(int status, JsonObject body) {
      this(status, body.encode());
    }
  }

  private static void refuse(RoutingContext ctx, int status, String code, String message) {
    if (WARNED.add(code)) {
      LOG.warn("webhook refused a notification ({}: {}); further refusals for this reason are logged at DEBUG",
          code, message);
    } else {
      LOG.debug("webhook refused a notification ({})", code);
    }
    ctx.fail(new HttpError(status, code, message));
  }
}
