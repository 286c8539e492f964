package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.support.ExactRequest;
import io.tenantwatch.support.SseClient;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/contracts.md, "Mounted routes": a platform with its own HTTP server (127.0.0.1, port 0, its own
 * router) mounts the engine's routers, at its root and under the prefix {@code /tw}, beside routes of its
 * own; the engine, with {@code http.enabled} and {@code admin.enabled} false, opens no port. Through the
 * platform's server the token, the {@code Host} and {@code Origin} checks, the webhook's 415 and 413 and
 * the drain's 503 are what they are on the engine's own listeners, and the platform's own routes are
 * judged by none of them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MountedRoutesTest {
  private static final String TENANT = "Cust71001";
  private static final String TOKEN = "mounted-admin-token-0123456789";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final String WEBHOOK = "/superoffice/state-change";
  private static final String PREFIX = "/tw";
  private static final int MAX_BODY = 1_024;

  private TestEngine env;
  private HttpServer platform;
  private NetClient net;
  private boolean closed;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    JsonObject overrides = new JsonObject()
        .put("http", new JsonObject().put("enabled", false))
        // A short idle timeout, so that the event stream's keep-alive (a third of it) comes often.
        .put("admin", new JsonObject().put("enabled", false).put("token", TOKEN).put("idleTimeoutMs", 3_000))
        .put("webhook", new JsonObject().put("maxBodyBytes", MAX_BODY));
    net = vertx.createNetClient();
    TestEngine.start(vertx, overrides, TENANT)
        .compose(started -> {
          env = started;
          Router router = Router.router(vertx);
          router.route("/*").subRouter(env.engine.publicRouter());
          router.route("/*").subRouter(env.engine.adminRouter());
          router.route(PREFIX + "/*").subRouter(env.engine.publicRouter());
          router.route(PREFIX + "/*").subRouter(env.engine.adminRouter());
          // The platform's own routes, and its own failure handler after the engine's routers.
          router.get("/platform/hello").handler(ctx -> ctx.end("hello"));
          router.get("/platform/fail").handler(ctx -> ctx.fail(new IllegalStateException("the platform's own")));
          router.route().failureHandler(ctx -> ctx.response().setStatusCode(599).end("platform"));
          return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
        })
        .onComplete(context.succeeding(server -> {
          platform = server;
          context.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    Future<Void> engine = env == null || closed ? Future.succeededFuture() : env.engine.close();
    engine.compose(v -> platform == null ? Future.succeededFuture() : platform.close())
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("with http.enabled and admin.enabled false the engine opens no listener: its ports say so, no connection gauge")
  void noListenerOfItsOwn() {
    assertThatThrownBy(() -> env.engine.httpPort()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http.enabled is false");
    assertThatThrownBy(() -> env.engine.adminPort()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("admin.enabled is false");
    assertThat(env.engine.meterRegistry().find("tenantwatch.http.connections.open").gauges())
        .as("no listener counts connections").isEmpty();
  }

  @Test
  @DisplayName("/health and /ready answer through the platform's server, at its root and under a prefix, ready with no listener of the engine's own")
  void healthAndReady(VertxTestContext context) {
    Future.all(List.of(get("/health", null), get("/ready", null), get(PREFIX + "/health", null),
            get(PREFIX + "/ready", null)))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          for (int i = 0; i < all.size(); i++) {
            HttpResponse<Buffer> answer = all.resultAt(i);
            assertThat(answer.statusCode()).as("answer %d", i).isEqualTo(200);
            assertThat(answer.bodyAsJsonObject().getString("status")).isEqualTo("UP");
          }
          HttpResponse<Buffer> ready = all.resultAt(1);
          assertThat(ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
              .filter(check -> check.getString("id").equals("listeners")).findFirst().orElseThrow()
              .getString("status")).isEqualTo("UP");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the admin routes through the platform's server need the token: 401 without, 200 with, at its root and under a prefix")
  void adminNeedsToken(VertxTestContext context) {
    Future.all(List.of(get("/admin/tenants", null), get("/admin/tenants", "Bearer not-the-token"),
            get("/admin/tenants", BEARER), get(PREFIX + "/admin/tenants", null), get(PREFIX + "/admin/tenants", BEARER),
            get("/metrics", null), get("/metrics", BEARER)))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          assertThat(statuses(all)).containsExactly(401, 401, 200, 401, 200, 401, 200);
          HttpResponse<Buffer> refused = all.resultAt(0);
          assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
          assertThat(refused.getHeader("WWW-Authenticate")).startsWith("Bearer");
          HttpResponse<Buffer> listed = all.resultAt(2);
          assertThat(listed.bodyAsJsonObject().getInteger("total")).isEqualTo(1);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a foreign Host, or ours on another port than the platform's, is refused 403 as on the engine's own listener; a foreign Origin too")
  void hostAndOriginChecks() throws Throwable {
    int port = platform.actualPort();
    for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}) {
      assertThat(status("GET", "/admin/tenants", host, null)).as(host).isEqualTo(200);
      assertThat(status("GET", PREFIX + "/admin/tenants", host, null)).as(host).isEqualTo(200);
    }
    for (String host : new String[] {"evil.example:" + port, "evil.example", "127.0.0.1:" + (port + 1), "127.0.0.1"}) {
      String answer = answer("GET", "/admin/tenants", host, null);
      assertThat(answer).as(host).startsWith("HTTP/1.1 403").contains("\"error\":\"foreign-host\"");
      assertThat(status("GET", PREFIX + "/admin/tenants", host, null)).as(host).isEqualTo(403);
    }
    assertThat(status("GET", "/admin/", "evil.example:" + port, null)).as("the dashboard too").isEqualTo(403);
    String own = "127.0.0.1:" + port;
    assertThat(answer("DELETE", "/admin/tenants/" + TENANT, own, "http://evil.example"))
        .startsWith("HTTP/1.1 403").contains("\"error\":\"foreign-origin\"");
    assertThat(status("GET", "/admin/tenants/" + TENANT, own, null)).as("the refused DELETE changed nothing")
        .isEqualTo(200);
    assertThat(status("POST", "/admin/tenants/poll", own, "http://" + own)).as("the platform's own origin")
        .isEqualTo(202);
  }

  @Test
  @DisplayName("without admin.token the mounted admin routes answer a loopback connection, refuse one on another address, and keep the Host check")
  void withoutTokenLoopbackOnly(Vertx vertx, VertxTestContext context) throws Throwable {
    assertThat(AdminHostGuard.onLoopback(SocketAddress.inetSocketAddress(8080, "127.0.0.1"))).isTrue();
    assertThat(AdminHostGuard.onLoopback(SocketAddress.inetSocketAddress(8080, "::1"))).isTrue();
    assertThat(AdminHostGuard.onLoopback(SocketAddress.inetSocketAddress(8080, "10.1.2.3"))).isFalse();
    assertThat(AdminHostGuard.onLoopback(SocketAddress.inetSocketAddress(8080, "0.0.0.0"))).isFalse();
    AdminHostGuard mounted = AdminHostGuard.forMountedRoutes(List.of("ops.internal"), false);
    assertThat(mounted.accepts("localhost:9000", 9000)).isTrue();
    assertThat(mounted.accepts("ops.internal", 9000)).isTrue();
    assertThat(mounted.accepts("localhost:8081", 9000)).as("the engine's admin.port is not the platform's").isFalse();
    JsonObject noToken = new JsonObject()
        .put("http", new JsonObject().put("enabled", false))
        .put("admin", new JsonObject().put("enabled", false));
    TestEngine.start(vertx, noToken, "Cust71002")
        .compose(other -> {
          Router router = Router.router(vertx);
          router.route("/*").subRouter(other.engine.adminRouter());
          return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
              .compose(server -> other.client.get(server.actualPort(), "127.0.0.1", "/admin/tenants").send()
                  .compose(listed -> other.client.get(server.actualPort(), "127.0.0.1", "/admin/tenants")
                      .virtualHost("evil.example").send()
                      .map(foreign -> List.of(listed.statusCode(), foreign.statusCode())))
                  .eventually(() -> server.close()))
              .eventually(() -> other.engine.close());
        })
        .onComplete(context.succeeding(statuses -> context.verify(() -> {
          assertThat(statuses).containsExactly(200, 403);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the platform's own routes are judged by none of the engine's checks: a foreign Host is answered, its failures and unknown paths are its own")
  void platformRoutesAreItsOwn() throws Throwable {
    String foreign = "evil.example:" + platform.actualPort();
    assertThat(answer("GET", "/platform/hello", foreign, null)).startsWith("HTTP/1.1 200").endsWith("hello");
    assertThat(answer("GET", "/platform/fail", foreign, null)).startsWith("HTTP/1.1 599").endsWith("platform");
    String own = "127.0.0.1:" + platform.actualPort();
    // An unknown path or method under the engine's paths gets the platform router's answer, not the engine's JSON.
    assertThat(answer("GET", "/admin/nope", own, null)).startsWith("HTTP/1.1 404").doesNotContain("\"error\"");
    assertThat(answer("PATCH", "/admin/tenants", own, null)).startsWith("HTTP/1.1 405").doesNotContain("\"error\"");
  }

  @Test
  @DisplayName("a mounted webhook refuses a body that is not JSON with 415 and one over webhook.maxBodyBytes with 413")
  void webhookLimits(VertxTestContext context) {
    Buffer oversized = Buffer.buffer("{\"ContextIdentifier\":\"" + TENANT + "\",\"pad\":\"" + "x".repeat(MAX_BODY * 4)
        + "\"}");
    Future.all(List.of(
            post(WEBHOOK, "text/plain", Buffer.buffer("hello")),
            post(WEBHOOK, "application/json", oversized),
            post(PREFIX + WEBHOOK, "text/plain", Buffer.buffer("hello")),
            post(PREFIX + WEBHOOK, "application/json", oversized)))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          assertThat(statuses(all)).containsExactly(415, 413, 415, 413);
          assertThat(((HttpResponse<Buffer>) all.resultAt(0)).bodyAsJsonObject().getString("error"))
              .isEqualTo("unsupported-media-type");
          assertThat(((HttpResponse<Buffer>) all.resultAt(1)).bodyAsJsonObject().getString("error"))
              .isEqualTo("body-too-large");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the dashboard works under a prefix: the redirect keeps it, the page and its assets answer, the stream takes ?token=")
  void dashboardUnderPrefix(Vertx vertx, VertxTestContext context) {
    Future.all(get(PREFIX + "/admin", null), get(PREFIX + "/admin/", null),
            get(PREFIX + "/admin/assets/dashboard.js", null))
        .compose(pages -> SseClient.open(vertx, platform.actualPort(), PREFIX + "/admin/events?token=" + TOKEN, null)
            .map(stream -> {
              context.verify(() -> {
                HttpResponse<Buffer> bare = pages.resultAt(0);
                assertThat(bare.statusCode()).isEqualTo(302);
                assertThat(bare.getHeader("Location")).isEqualTo(PREFIX + "/admin/");
                HttpResponse<Buffer> page = pages.resultAt(1);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.bodyAsString()).contains("<title>tenantwatch</title>");
                assertThat(((HttpResponse<Buffer>) pages.resultAt(2)).statusCode()).isEqualTo(200);
                assertThat(stream.response().statusCode()).isEqualTo(200);
                assertThat(stream.response().getHeader("Content-Type")).startsWith("text/event-stream");
              });
              return stream;
            }))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("during and after engine.close() the mounted webhook and /health answer 503 shutting-down; the admin routes once stopped; open streams end")
  void closeDrains(Vertx vertx, VertxTestContext context) {
    SseClient.open(vertx, platform.actualPort(), "/admin/events", BEARER)
        .compose(stream -> {
          closed = true;
          Future<Void> closing = env.engine.close();
          Future<List<HttpResponse<Buffer>>> during = Future.all(notification(), get("/health", null),
                  post(PREFIX + WEBHOOK, "application/json", notificationBody()))
              .map(all -> all.list());
          return during.compose(answers -> closing
              .compose(v -> Future.all(notification(), get("/ready", null), get("/admin/tenants", BEARER)))
              .compose(after -> stream.ended().map(ended -> List.of(answers.get(0), answers.get(1), answers.get(2),
                  after.<HttpResponse<Buffer>>resultAt(0), after.<HttpResponse<Buffer>>resultAt(1),
                  after.<HttpResponse<Buffer>>resultAt(2)))));
        })
        .onComplete(context.succeeding(answers -> context.verify(() -> {
          for (HttpResponse<Buffer> answer : answers) {
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("shutting-down");
            assertThat(answer.getHeader("Retry-After")).isEqualTo("5");
          }
          context.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> get(String path, String authorization) {
    HttpRequest<Buffer> request = env.client.request(HttpMethod.GET, platform.actualPort(), "127.0.0.1", path)
        .followRedirects(false);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return request.send();
  }

  private Future<HttpResponse<Buffer>> post(String path, String contentType, Buffer body) {
    return env.client.post(platform.actualPort(), "127.0.0.1", path).putHeader("Content-Type", contentType)
        .sendBuffer(body);
  }

  private Future<HttpResponse<Buffer>> notification() {
    return post(WEBHOOK, "application/json", notificationBody());
  }

  private static Buffer notificationBody() {
    return new JsonObject().put("ContextIdentifier", TENANT).put("ChangeType", 1).put("Token", "x.y.z").toBuffer();
  }

  private static List<Integer> statuses(io.vertx.core.CompositeFuture all) {
    return all.<HttpResponse<Buffer>>list().stream().map(HttpResponse::statusCode).toList();
  }

  private int status(String method, String path, String host, String origin) throws Throwable {
    String answer = answer(method, path, host, origin);
    return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
  }

  /** The whole answer to one request, with the token, written byte for byte so Host and Origin are exact. */
  private String answer(String method, String path, String host, String origin) throws Throwable {
    return ExactRequest.answer(net, platform.actualPort(), method, path, host, origin, BEARER);
  }

}
