package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.SseClient;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /admin/events} on a whole engine: the contract the dashboard builds on (one
 * {@code event: transition} per tenantwatch.events message, one {@code event: command} per command, the
 * data one JSON line), the tenant filter, the token (header or {@code ?token=}), and a client that does
 * not read, which costs the engine a bounded queue and is told what it missed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class EventStreamTest {
  private static final String TOKEN = "an-admin-token-of-32-characters!";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final String FIRST = "Cust61001";
  private static final String SECOND = "Cust61002";

  private TestEngine env;
  private RecordingWorker worker;
  private final List<SseClient> streams = new java.util.ArrayList<>();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    TestEngine.start(vertx, new JsonObject().put("admin", new JsonObject().put("token", TOKEN)))
        .compose(started -> {
          env = started;
          worker = new RecordingWorker(vertx);
          return worker.register();
        })
        .compose(v -> env.simulator.setValidity(Duration.ofMinutes(10)))
        .compose(v -> env.simulator.addTenant(FIRST))
        .compose(v -> env.simulator.addTenant(SECOND))
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    Future.join(streams.stream().map(SseClient::close).toList())
        .eventually(() -> env.engine.close())
        .onComplete(context.succeedingThenComplete());
  }

  private Future<SseClient> stream(Vertx vertx, String uri, String authorization) {
    return SseClient.open(vertx, env.engine.adminPort(), uri, authorization).onSuccess(streams::add)
        // The first block is the server's ": connected": from then on the stream is subscribed.
        .compose(sse -> sse.response().statusCode() != 200 ? Future.succeededFuture(sse)
            : sse.until(events -> !events.isEmpty()).map(sse));
  }

  private Future<Void> watch(String tenant) {
    return env.admin(HttpMethod.PUT, "/admin/tenants/" + tenant, BEARER)
        .compose(r -> worker.await(c -> c.tenant().equals(tenant) && c.type() == CommandType.RESUME))
        .mapEmpty();
  }

  private static boolean has(List<SseClient.Event> events, String name, String tenant) {
    return events.stream().anyMatch(e -> name.equals(e.name()) && tenant.equals(new JsonObject(e.data())
        .getString("tenant")));
  }

  @Test
  @DisplayName("a transition and its command arrive live as 'transition' and 'command' events, each one JSON line")
  void transitionAndCommand(Vertx vertx, VertxTestContext context) {
    stream(vertx, "/admin/events", BEARER)
        .compose(sse -> {
          context.verify(() -> {
            assertThat(sse.response().getHeader("Content-Type")).isEqualTo("text/event-stream");
            assertThat(sse.events().get(0).comment()).isEqualTo("connected");
          });
          return watch(FIRST).compose(v -> sse.until(events -> has(events, "transition", FIRST)
              && has(events, "command", FIRST)));
        })
        .onComplete(context.succeeding(events -> context.verify(() -> {
          JsonObject transition = data(events, "transition");
          assertThat(transition.fieldNames()).containsExactlyInAnyOrder("tenant", "from", "to", "cause", "commands",
              "at");
          assertThat(transition.getString("from")).isEqualTo("Unknown");
          assertThat(transition.getString("to")).isEqualTo("Running");
          JsonArray commands = transition.getJsonArray("commands");
          assertThat(commands).hasSize(1);
          JsonObject command = data(events, "command");
          assertThat(command).isEqualTo(commands.getJsonObject(0));
          assertThat(command.getString("type")).isEqualTo("resume");
          assertThat(command.getString("tenant")).isEqualTo(FIRST);
          assertThat(command.getLong("seq")).isEqualTo(1L);
          assertThat(events).filteredOn(e -> e.data() != null).allMatch(e -> !e.data().contains("\n"));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("?tenant= streams that tenant's events only; a bad tenant is refused with 400")
  void filter(Vertx vertx, VertxTestContext context) {
    SseClient[] all = new SseClient[1];
    stream(vertx, "/admin/events", BEARER)
        .compose(sse -> {
          all[0] = sse;
          return stream(vertx, "/admin/events?tenant=" + SECOND, BEARER);
        })
        .compose(only -> watch(FIRST).compose(v -> watch(SECOND))
            .compose(v -> all[0].until(events -> has(events, "command", FIRST) && has(events, "command", SECOND)))
            // A command and its transition reach the stream from two verticles, in either order.
            .compose(v -> only.until(events -> has(events, "transition", SECOND) && has(events, "command", SECOND))))
        .compose(filtered -> env.admin(HttpMethod.GET, "/admin/events?tenant=cust1", BEARER).map(bad -> {
          context.verify(() -> {
            assertThat(filtered).filteredOn(e -> e.data() != null)
                .extracting(e -> new JsonObject(e.data()).getString("tenant")).containsOnly(SECOND);
            assertThat(filtered).filteredOn(e -> e.data() != null).extracting(SseClient.Event::name)
                .contains("transition", "command");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("bad-context-identifier");
          });
          return null;
        }))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("the stream needs the admin token, as a Bearer header or (for EventSource) ?token=; no other route takes ?token=")
  void token(Vertx vertx, VertxTestContext context) {
    env.admin(HttpMethod.GET, "/admin/events", null)
        .compose(none -> {
          context.verify(() -> assertThat(none.statusCode()).isEqualTo(401));
          return env.admin(HttpMethod.GET, "/admin/events", "Bearer not-the-token");
        })
        .compose(wrong -> {
          context.verify(() -> assertThat(wrong.statusCode()).isEqualTo(401));
          return env.admin(HttpMethod.GET, "/admin/events?token=not-the-token", null);
        })
        .compose(wrongQuery -> {
          context.verify(() -> assertThat(wrongQuery.statusCode()).isEqualTo(401));
          return env.admin(HttpMethod.GET, "/admin/tenants?token=" + TOKEN, null);
        })
        .compose(elsewhere -> {
          context.verify(() -> assertThat(elsewhere.statusCode()).isEqualTo(401));
          return stream(vertx, "/admin/events?token=" + TOKEN, null);
        })
        .onComplete(context.succeeding(sse -> context.verify(() -> {
          assertThat(sse.response().statusCode()).isEqualTo(200);
          assertThat(sse.events()).first().extracting(SseClient.Event::comment).isEqualTo("connected");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a client that does not read costs a bounded queue: events beyond it are dropped, and it is told how many once it reads")
  void slowClient(Vertx vertx, VertxTestContext context) {
    int published = 3_000;
    // Large enough that the events far outgrow the kernel's socket buffers as well as the engine's bound.
    String padding = "x".repeat(4_000);
    MeterRegistry registry = env.engine.meterRegistry();
    StringBuilder received = new StringBuilder();
    Promise<Void> subscribed = Promise.promise();
    Promise<Void> markerSeen = Promise.promise();
    long[] droppedBefore = new long[1];
    vertx.createNetClient().connect(env.engine.adminPort(), "127.0.0.1")
        .compose(socket -> {
          socket.handler(bytes -> {
            received.append(bytes.toString());
            if (received.indexOf(": connected") >= 0) {
              subscribed.tryComplete();
            }
            if (received.indexOf("\"tenant\":\"" + SECOND + "\"") >= 0) {
              markerSeen.tryComplete();
            }
          });
          socket.write("GET /admin/events?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1:" + env.engine.adminPort() + "\r\n\r\n");
          return subscribed.future().map(socket);
        })
        .compose(socket -> {
          // From here the client reads nothing: its socket and then the engine's queue fill up.
          socket.pause();
          for (int i = 0; i < published; i++) {
            vertx.eventBus().publish(Addresses.EVENTS, transition(FIRST, i, padding));
          }
          return Eventually.until(vertx, () -> Future.succeededFuture(streamed(registry, "written")
                  + streamed(registry, "dropped")), handled -> handled >= published)
              .map(socket);
        })
        .compose(socket -> {
          droppedBefore[0] = (long) streamed(registry, "dropped");
          context.verify(() -> assertThat(droppedBefore[0]).as("events dropped for the client that did not read")
              .isGreaterThan(0));
          socket.resume();
          // Once it reads again, the next event comes after the notice of what it missed.
          return Eventually.until(vertx, () -> {
            vertx.eventBus().publish(Addresses.EVENTS, transition(SECOND, 0, ""));
            return Future.succeededFuture(markerSeen.future().isComplete());
          }, seen -> seen).map(socket);
        })
        .onComplete(context.succeeding(socket -> context.verify(() -> {
          String text = received.toString();
          int marker = text.indexOf("\"tenant\":\"" + SECOND + "\"");
          Matcher notice = Pattern.compile("event: dropped\ndata: \\{\"count\":(\\d+)}").matcher(text);
          assertThat(notice.find()).as("a dropped notice").isTrue();
          assertThat(notice.start()).as("the notice comes before the next event").isLessThan(marker);
          // Markers published while its queue was still full are dropped too, and counted in the same notice.
          assertThat(Long.parseLong(notice.group(1))).as("the notice counts every event dropped")
              .isGreaterThanOrEqualTo(droppedBefore[0]);
          assertThat(count(text, "\"tenant\":\"" + FIRST + "\"")).as("every event not dropped was written")
              .isEqualTo(published - droppedBefore[0]);
          socket.close();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("closing the engine ends the streams still open, without waiting for their clients")
  void closeEndsStreams(Vertx vertx, VertxTestContext context) {
    stream(vertx, "/admin/events", BEARER)
        .compose(sse -> env.engine.close().compose(v -> sse.ended()))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("an idle stream gets a ': keep-alive' comment every keep-alive period")
  void keepAlive(Vertx vertx, VertxTestContext context) {
    EngineMetrics metrics = EngineMetrics.unscraped();
    HttpListener listener = new HttpListener("admin", "127.0.0.1", 0, v -> AdminRoutes.create(v, TOKEN,
        Duration.ofSeconds(2), () -> false, metrics, new EventStream(v, metrics, Duration.ofMillis(50), 4096)));
    vertx.deployVerticle(listener)
        .compose(id -> SseClient.open(vertx, listener.actualPort(), "/admin/events", BEARER).onSuccess(streams::add)
            .compose(sse -> sse.until(events -> events.stream().filter(e -> "keep-alive".equals(e.comment()))
                .count() >= 2))
            .compose(events -> vertx.undeploy(id).map(events)))
        .onComplete(context.succeeding(events -> context.verify(() -> {
          assertThat(events.get(0).comment()).isEqualTo("connected");
          assertThat(events).allMatch(e -> e.name() == null);
          context.completeNow();
        })));
  }

  private static JsonObject transition(String tenant, int i, String padding) {
    return new JsonObject().put("tenant", tenant).put("from", "Running").put("to", "Running")
        .put("cause", "test " + i + " " + padding).put("commands", new JsonArray()).put("at", "2026-11-26T00:00:00Z");
  }

  private static double streamed(MeterRegistry registry, String outcome) {
    Counter counter = registry.find("tenantwatch.event.stream.events").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }

  private static JsonObject data(List<SseClient.Event> events, String name) {
    return events.stream().filter(e -> name.equals(e.name())).map(e -> new JsonObject(e.data())).findFirst()
        .orElseThrow();
  }
}
