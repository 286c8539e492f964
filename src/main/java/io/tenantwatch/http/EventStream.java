package io.tenantwatch.http;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /admin/events}: a {@code text/event-stream} of every transition ({@code event: transition},
 * the {@link Addresses#EVENTS} message as its {@code data}) and every command ({@code event: command},
 * the {@link Addresses#COMMANDS} message), optionally for one tenant ({@code ?tenant=Cust123}), with a
 * {@code : keep-alive} comment every {@code keepAlive} so proxies keep the connection open. On a cluster node
 * it shows every node's transitions and commands, each once, since they are published on the clustered bus
 * ({@link Routing#everyNodesPublications}); {@code : connected} comes once its consumers are registered.
 *
 * <p>A client that does not read as fast as events come cannot make the engine hold them: once its
 * response's write queue holds {@code maxQueuedBytes}, further events for it are dropped and counted,
 * and as soon as it has caught up it is told how many with {@code event: dropped}
 * ({@code {"count":N}}) ahead of the next event. A dashboard that sees it should reload its listing.
 */
final class EventStream {
  /** How often an idle stream gets a comment line. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  /** Keep-alives per idle timeout: one lost or late still leaves two to keep the connection open. */
  private static final int KEEP_ALIVES_PER_IDLE_TIMEOUT = 3;
  /** What one client's response may hold unsent before its events are dropped. */
  static final int MAX_QUEUED_BYTES = 128 * 1024;
  /** Vert.x numbers its timers from 0. */
  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final Routing routing;
  private final EngineMetrics metrics;
  private final Duration keepAlive;
  private final int maxQueuedBytes;
  private final BooleanSupplier ended;

  /**
   * How often to send a keep-alive so that a listener closing connections idle for {@code idleTimeout}
   * never closes a quiet stream: {@link #KEEP_ALIVE}, or a third of the idle timeout when that is shorter.
   */
  static Duration keepAliveWithin(Duration idleTimeout) {
    Duration third = idleTimeout.dividedBy(KEEP_ALIVES_PER_IDLE_TIMEOUT);
    return third.compareTo(KEEP_ALIVE) < 0 ? third : KEEP_ALIVE;
  }

  /** A single engine's stream, which hears its own tenants. */
  EventStream(Vertx vertx, EngineMetrics metrics, Duration keepAlive, int maxQueuedBytes) {
    this(vertx, Routing.local(vertx), metrics, keepAlive, maxQueuedBytes, () -> false);
  }

  /**
   * @param routing the engine's: on a cluster node the stream hears every node's tenants
   * @param ended true once the engine has stopped: each stream then ends at its next keep-alive. Streams
   *     on the engine's own listener end with it; those on a platform's server that mounted the admin
   *     routes would otherwise outlive the engine.
   */
  EventStream(Vertx vertx, Routing routing, EngineMetrics metrics, Duration keepAlive, int maxQueuedBytes,
      BooleanSupplier ended) {
    this.vertx = vertx;
    this.routing = routing;
    this.metrics = metrics;
    this.keepAlive = keepAlive;
    this.maxQueuedBytes = maxQueuedBytes;
    this.ended = ended;
  }

  /** Answers one client: validates its filter, then streams until it goes away. */
  void open(RoutingContext ctx) {
    String tenant = ctx.queryParams().get("tenant");
    if (tenant != null && !ContextId.isValid(tenant)) {
      throw HttpError.badRequest("bad-context-identifier",
          "tenant must be 'Cust' followed by 1 to 12 digits, for example Cust12345");
    }
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        // Asks reverse proxies (nginx) not to buffer the stream.
        .putHeader("X-Accel-Buffering", "no")
        .setWriteQueueMaxSize(maxQueuedBytes);
    new Client(ctx, response, tenant).start();
  }

  /** One connected client: its two consumers, its keep-alive timer and its count of dropped events. */
  private final class Client {
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final String tenant;
    private MessageConsumer<JsonObject> transitions;
    private MessageConsumer<JsonObject> commands;
    private long keepAliveTimer = NO_TIMER;
    private long dropped;
    private boolean connected;
    private boolean closed;

    private Client(RoutingContext ctx, HttpServerResponse response, String tenant) {
      this.ctx = ctx;
      this.response = response;
      this.tenant = tenant;
    }

    private void start() {
      metrics.streamClients(1);
      response.closeHandler(v -> close());
      response.exceptionHandler(e -> close());
      response.drainHandler(v -> reportDropped());
      transitions = routing.everyNodesPublications(Addresses.EVENTS, m -> send("transition", m.body()));
      commands = routing.everyNodesPublications(Addresses.COMMANDS, m -> send("command", m.body()));
      // The stream starts once both consumers hear every node: a local consumer at once, a clustered one once
      // the cluster knows it. The headers go with ": connected", so the client knows it is subscribed before
      // the first event.
      Future.all(transitions.completion(), commands.completion()).onComplete(registered -> {
        if (closed) {
          return;
        }
        if (registered.failed()) {
          close();
          ctx.fail(registered.cause());
          return;
        }
        connected = true;
        response.write(": connected\n\n");
        keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), id -> keepAlive());
      });
    }

    private void keepAlive() {
      if (ended.getAsBoolean()) {
        close();
        response.end();
      } else if (!closed && !response.writeQueueFull()) {
        reportDropped();
        response.write(": keep-alive\n\n");
      }
    }

    private void send(String event, JsonObject body) {
      if (!connected || closed || body == null || (tenant != null && !tenant.equals(body.getString("tenant")))) {
        return;
      }
      if (response.writeQueueFull()) {
        dropped++;
        metrics.streamEvent(false);
        return;
      }
      reportDropped();
      // JSON's encoding escapes line breaks, so the body is exactly one data line.
      response.write("event: " + event + "\ndata: " + body.encode() + "\n\n");
      metrics.streamEvent(true);
    }

    /** Tells a client that has caught up how many events it missed, before anything else. */
    private void reportDropped() {
      if (!connected || closed || dropped == 0 || response.writeQueueFull()) {
        return;
      }
      response.write("event: dropped\ndata: " + new JsonObject().put("count", dropped).encode() + "\n\n");
      dropped = 0;
    }

    private void close() {
      if (closed) {
        return;
      }
      closed = true;
      metrics.streamClients(-1);
      if (keepAliveTimer != NO_TIMER) {
        vertx.cancelTimer(keepAliveTimer);
      }
      transitions.unregister();
      commands.unregister();
    }
  }
}
