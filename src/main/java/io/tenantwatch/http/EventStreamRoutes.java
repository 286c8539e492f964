package io.tenantwatch.http;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ContextId;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /admin/events}: a {@code text/event-stream} of the {@code tenantwatch.events} messages, as
 * the dashboard reads them. Each transition is an {@code event: transition} whose data is the message's
 * JSON on one line, each of its commands an {@code event: command}; {@code : keep-alive} comments keep
 * idle proxies from closing the stream; {@code ?tenant=CustNNN} keeps one tenant's events only.
 *
 * <p>The admin token may come as {@code Authorization: Bearer} or as {@code ?token=}, because a browser's
 * {@code EventSource} cannot set headers. A client that reads too slowly does not make the engine hold
 * its events: while the connection's write queue is full they are counted, not queued, and the count is
 * sent as an {@code event: dropped} once it drains.
 */
public final class EventStreamRoutes {
  /** The path, on the admin listener. */
  public static final String PATH = "/admin/events";
  static final long KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;

  private EventStreamRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Adds the stream to an admin router; call it before the router's bearer check so {@code ?token=}
   * is honoured.
   *
   * @param token the admin token, or null when the admin listener needs none
   */
  public static void install(Router router, Vertx vertx, String token) {
    EventStreamRoutes routes = new EventStreamRoutes(vertx);
    router.get(PATH).handler(token == null ? RoutingContext::next : new QueryOrBearer(token))
        .handler(routes::stream);
  }

  private void stream(RoutingContext ctx) {
    String tenant = ctx.queryParams().get("tenant");
    if (tenant != null && !ContextId.isValid(tenant)) {
      throw HttpError.badRequest("bad-context-identifier",
          "tenant must be 'Cust' followed by 1 to 12 digits, for example Cust12345");
    }
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    new Subscription(vertx, response, tenant).open();
  }

  /** One client's stream: its bus consumer, its keep-alive timer and its count of dropped events. */
  private static final class Subscription {
    private final Vertx vertx;
    private final HttpServerResponse response;
    private final String tenant;
    private MessageConsumer<JsonObject> consumer;
    private long keepAlive;
    private long dropped;

    Subscription(Vertx vertx, HttpServerResponse response, String tenant) {
      this.vertx = vertx;
      this.response = response;
      this.tenant = tenant;
    }

    void open() {
      consumer = vertx.eventBus().consumer(Addresses.EVENTS, message -> onEvent(message.body()));
      keepAlive = vertx.setPeriodic(KEEP_ALIVE_MS, id -> send(": keep-alive\n\n"));
      response.closeHandler(v -> close());
      response.drainHandler(v -> reportDropped());
      // The first bytes tell the client the stream is open (EventSource fires "open" on them).
      response.write(": connected\n\n");
    }

    private void onEvent(JsonObject event) {
      if (event == null || (tenant != null && !tenant.equals(event.getString("tenant")))) {
        return;
      }
      if (response.writeQueueFull()) {
        dropped++;
        return;
      }
      StringBuilder frames = new StringBuilder(frame("transition", event.encode()));
      JsonArray commands = event.getJsonArray("commands", new JsonArray());
      for (int i = 0; i < commands.size(); i++) {
        frames.append(frame("command", commands.getJsonObject(i).encode()));
      }
      send(frames.toString());
    }

    private void reportDropped() {
      if (dropped > 0) {
        String count = new JsonObject().put("count", dropped).encode();
        dropped = 0;
        send(frame("dropped", count));
      }
    }

    private void send(String text) {
      if (!response.closed() && !response.ended()) {
        response.write(text);
      }
    }

    private void close() {
      vertx.cancelTimer(keepAlive);
      consumer.unregister();
    }

    private static String frame(String name, String oneLineJson) {
      return "event: " + name + "\ndata: " + oneLineJson + "\n\n";
    }
  }

  /** Accepts the token as {@code ?token=}, or else requires the usual bearer header. */
  private static final class QueryOrBearer implements Handler<RoutingContext> {
    private final byte[] expected;
    private final BearerAuth bearer;

    QueryOrBearer(String token) {
      this.expected = token.getBytes(StandardCharsets.UTF_8);
      this.bearer = new BearerAuth(token);
    }

    @Override
    public void handle(RoutingContext ctx) {
      String query = ctx.queryParams().get("token");
      if (query == null || ctx.request().getHeader("Authorization") != null) {
        bearer.handle(ctx);
      } else if (MessageDigest.isEqual(expected, query.getBytes(StandardCharsets.UTF_8))) {
        ctx.next();
      } else {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tenantwatch-admin\"");
        ctx.fail(new HttpError(401, "unauthorized", "the admin token is not valid"));
      }
    }
  }
}
