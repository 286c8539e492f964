package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.health.Readiness;
import io.tenantwatch.health.StoreCheck;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /ready}: 200 with every check up on a running engine; 503 with the failing check marked
 * DOWN (listeners not bound, store unreachable, no poller, a wedged poller); 503 {@code shutting-down}
 * while the engine drains. The failing cases run the public listener's own routes with a readiness whose
 * parts the test controls, and a stand-in poller answering {@link Addresses#POLL_PROGRESS}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ReadinessTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  private static final WebhookOptions WEBHOOK =
      TenantWatchOptions.fromJson(TestEngine.config("http://127.0.0.1:9/api/state/")).webhook();

  @Test
  @DisplayName("a running engine is ready: 200 with listeners, store and poller UP")
  void engineIsReady(Vertx vertx, VertxTestContext context) {
    TestEngine.start(vertx, "Cust64001")
        .compose(env -> env.publicRequest(HttpMethod.GET, "/ready")
            .compose(ready -> env.engine.close().map(ready)))
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(200);
          assertThat(ready.getHeader("Content-Type")).startsWith("application/json");
          assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
          assertThat(checks(ready)).containsExactlyInAnyOrderEntriesOf(
              Map.of("listeners", "UP", "store", "UP", "poller", "UP"));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a store that does not answer makes /ready 503 with the store check DOWN and the others UP")
  void storeDown(Vertx vertx, VertxTestContext context) {
    progressAnswers(vertx, 0, Instant.now())
        .compose(v -> ready(vertx, new AtomicBoolean(true), StoreCheck.onBus(REQUEST_TIMEOUT), () -> false))
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(503);
          assertThat(checks(ready)).containsExactlyInAnyOrderEntriesOf(
              Map.of("listeners", "UP", "store", "DOWN", "poller", "UP"));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a store that answers ok on tenantwatch.store.health is UP, with what it said as the check's data")
  void storeUpOnBus(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().consumer(StoreCheck.ADDRESS, m -> m.reply(new JsonObject().put("reachable", true).put("pendingWrites", 0)));
    progressAnswers(vertx, 0, Instant.now())
        .compose(v -> ready(vertx, new AtomicBoolean(true), StoreCheck.onBus(REQUEST_TIMEOUT), () -> false))
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(200);
          assertThat(checks(ready)).containsEntry("store", "UP");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a store that answers unreachable (writes pending) makes /ready 503 with the store DOWN")
  void storeUnreachableOnBus(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().consumer(StoreCheck.ADDRESS, m -> m.reply(new JsonObject().put("reachable", false).put("pendingWrites", 21)));
    progressAnswers(vertx, 0, Instant.now())
        .compose(v -> ready(vertx, new AtomicBoolean(true), StoreCheck.onBus(REQUEST_TIMEOUT), () -> false))
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(503);
          assertThat(checks(ready)).containsEntry("store", "DOWN");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("polls in flight with no progress for three request timeouts make the poller DOWN; recent progress does not")
  void pollerWedged(Vertx vertx, VertxTestContext context) {
    Instant longAgo = Instant.now().minus(REQUEST_TIMEOUT.multipliedBy(10));
    progressAnswers(vertx, 2, longAgo)
        .compose(v -> ready(vertx, new AtomicBoolean(true), StoreCheck.memory(), () -> false))
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(503);
          assertThat(checks(ready)).containsEntry("poller", "DOWN").containsEntry("store", "UP");
          Readiness readiness = Readiness.of(() -> true, StoreCheck.memory(), REQUEST_TIMEOUT, Clock.systemUTC());
          assertThat(readiness.judgePoller(progress(2, Instant.now())).isOk()).as("in flight, recent progress").isTrue();
          assertThat(readiness.judgePoller(progress(0, longAgo)).isOk()).as("idle for long").isTrue();
          assertThat(readiness.judgePoller(new JsonObject().put("inFlight", 0).putNull("lastProgressAt")).isOk())
              .as("never polled yet").isTrue();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("no poller answering, or listeners not yet bound, make /ready 503 with that check DOWN")
  void pollerMissingAndListenersDown(Vertx vertx, VertxTestContext context) {
    ready(vertx, new AtomicBoolean(false), StoreCheck.memory(), () -> false)
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(503);
          assertThat(checks(ready)).containsExactlyInAnyOrderEntriesOf(
              Map.of("listeners", "DOWN", "store", "UP", "poller", "DOWN"));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("while the engine drains, /ready answers 503 shutting-down with Retry-After, like the rest of the listener")
  void drainingIsNotReady(Vertx vertx, VertxTestContext context) {
    progressAnswers(vertx, 0, Instant.now())
        .compose(v -> ready(vertx, new AtomicBoolean(true), StoreCheck.memory(), () -> true))
        .onComplete(context.succeeding(ready -> context.verify(() -> {
          assertThat(ready.statusCode()).isEqualTo(503);
          assertThat(ready.bodyAsJsonObject().getString("error")).isEqualTo("shutting-down");
          assertThat(ready.getHeader("Retry-After")).isEqualTo("5");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a cluster node without its membership is not ready (cluster DOWN); with it, cluster is UP; a single engine has no cluster check")
  void clusterMembership(Vertx vertx, VertxTestContext context) {
    AtomicBoolean member = new AtomicBoolean(false);
    Readiness clustered = Readiness.of(() -> true, StoreCheck.memory(), REQUEST_TIMEOUT, Clock.systemUTC())
        .withMembership(member::get);
    progressAnswers(vertx, 0, Instant.now())
        .compose(v -> ready(vertx, clustered, () -> false))
        .compose(out -> {
          context.verify(() -> {
            assertThat(out.statusCode()).isEqualTo(503);
            assertThat(checks(out)).containsEntry("cluster", "DOWN").containsEntry("store", "UP");
          });
          member.set(true);
          return ready(vertx, clustered, () -> false);
        })
        .compose(in -> {
          context.verify(() -> {
            assertThat(in.statusCode()).isEqualTo(200);
            assertThat(checks(in)).containsEntry("cluster", "UP");
          });
          return ready(vertx, new AtomicBoolean(true), StoreCheck.memory(), () -> false);
        })
        .onComplete(context.succeeding(single -> context.verify(() -> {
          assertThat(checks(single)).doesNotContainKey("cluster");
          context.completeNow();
        })));
  }

  /** Serves the public listener's routes with this readiness and asks {@code GET /ready} once. */
  private static Future<HttpResponse<Buffer>> ready(Vertx vertx, AtomicBoolean listening, StoreCheck store,
      java.util.function.BooleanSupplier draining) {
    return ready(vertx, Readiness.of(listening::get, store, REQUEST_TIMEOUT, Clock.systemUTC()), draining);
  }

  private static Future<HttpResponse<Buffer>> ready(Vertx vertx, Readiness readiness,
      java.util.function.BooleanSupplier draining) {
    HttpListener listener = new HttpListener("public", "127.0.0.1", 0,
        v -> PublicRoutes.create(v, WEBHOOK, null, draining, EngineMetrics.unscraped(), readiness));
    return vertx.deployVerticle(listener)
        .compose(id -> WebClient.create(vertx).get(listener.actualPort(), "127.0.0.1", "/ready").send());
  }

  /** A stand-in poller that answers the readiness check's progress request. */
  private static Future<Void> progressAnswers(Vertx vertx, int inFlight, Instant lastProgressAt) {
    return vertx.eventBus().consumer(Addresses.POLL_PROGRESS, m -> m.reply(progress(inFlight, lastProgressAt)))
        .completion();
  }

  private static JsonObject progress(int inFlight, Instant lastProgressAt) {
    return new JsonObject().put("inFlight", inFlight).put("lastProgressAt", lastProgressAt.toString());
  }

  private static Map<String, String> checks(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("id"), c -> c.getString("status")));
  }
}
