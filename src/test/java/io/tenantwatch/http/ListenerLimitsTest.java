package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RawConnection;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.webhook.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.vertx.junit5.VertxExtension;

/**
 * docs/contracts.md, "Limits on every connection": slow and hostile clients cannot starve them.
 * Real engines, real sockets from blocking clients that send a byte at a time or stop halfway; every wait
 * is generous, and no assertion is on how fast the server is, only on what it does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListenerLimitsTest {
  private static final String CTX = "Cust64001";
  private static final String PATH = "/superoffice/state-change";
  private static final String AUDIENCE = "spn:tenantwatch-test";
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** The short request deadline the tests configure; the waits for its effect are many times longer. */
  private static final int DEADLINE_MS = 2_000;
  /**
   * An idle timeout longer than any wait here, so that what closes a connection in a test is the limit
   * it is about. (Vert.x counts a connection idle until a request's headers are whole, so the idle
   * timeout would cut a header trickle too, only later.)
   */
  private static final int NEVER_IDLE_MS = 600_000;

  private static TestTokens tokens;
  private static Path certificate;

  private TestEngine env;
  private final List<RawConnection> connections = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService trickler;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    tokens = TestTokens.generate(Clock.systemUTC());
    certificate = tokens.writeCertificate(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (trickler != null) {
      trickler.shutdownNow();
    }
    connections.forEach(RawConnection::close);
    if (env != null) {
      await(env.engine.close());
    }
  }

  private void start(Vertx vertx, JsonObject http, JsonObject admin, String... tenants) throws Exception {
    JsonObject overrides = new JsonObject()
        .put("http", http)
        .put("admin", admin)
        .put("webhook", new JsonObject()
            .put("certificates", new JsonArray().add(certificate.toString()))
            .put("issuers", new JsonArray().add(TestTokens.ISSUER))
            .put("audience", AUDIENCE));
    env = await(TestEngine.start(vertx, overrides, tenants));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private RawConnection connect(int port) throws IOException {
    RawConnection connection = RawConnection.open(port);
    connections.add(connection);
    return connection;
  }

  /** Sends one more byte of a header value on each connection every 200 ms until the server hangs up. */
  private void trickle(List<RawConnection> slow) {
    trickler = Executors.newSingleThreadScheduledExecutor();
    List<RawConnection> open = new CopyOnWriteArrayList<>(slow);
    trickler.scheduleWithFixedDelay(() -> open.removeIf(c -> !c.send("a")), 0, 200, TimeUnit.MILLISECONDS);
  }

  /** Sends {@code text} on the connection a character every 100 ms, then nothing more. */
  private void trickleOnce(RawConnection connection, String text) {
    trickler = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger next = new AtomicInteger();
    trickler.scheduleWithFixedDelay(() -> {
      int i = next.getAndIncrement();
      if (i < text.length()) {
        connection.send(String.valueOf(text.charAt(i)));
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** An {@code http} section with this request deadline and no idle timeout to speak of. */
  private static JsonObject deadline(int requestTimeoutMs) {
    return new JsonObject().put("requestTimeoutMs", requestTimeoutMs).put("idleTimeoutMs", NEVER_IDLE_MS);
  }

  private static String healthRequest() {
    return "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private Future<HttpResponse<Buffer>> notification() {
    JsonObject body = new JsonObject().put("ChangeType", ChangeType.RESUME.code()).put("ContextIdentifier", CTX)
        .put("VersionName", "Release_11.10_2026.02.24-02").put("FileVersion", "")
        .put("Token", tokens.token(CTX).claim("aud", AUDIENCE).sign());
    return env.client.post(env.engine.httpPort(), "127.0.0.1", PATH).putHeader("Content-Type", "application/json")
        .sendBuffer(body.toBuffer());
  }

  @Test
  @DisplayName("300 connections trickling their headers do not keep /health or a signed notification from "
      + "being answered, and the server closes each of them once requestTimeoutMs has passed")
  void tricklingHeaders(Vertx vertx) throws Exception {
    start(vertx, deadline(DEADLINE_MS), new JsonObject(), CTX);
    List<RawConnection> slow = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      RawConnection connection = connect(env.engine.httpPort());
      connection.send("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      slow.add(connection);
    }
    trickle(slow);

    HttpResponse<Buffer> health = await(env.publicRequest(HttpMethod.GET, "/health"));
    HttpResponse<Buffer> accepted = await(notification());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.bodyAsJsonObject()).isEqualTo(new JsonObject().put("accepted", true));
    for (RawConnection connection : slow) {
      assertThat(connection.closedWithin(WAIT)).as("a trickling connection is closed by the server").isTrue();
    }
  }

  @Test
  @DisplayName("a notification whose body stops short of its Content-Length is answered 408 request-timeout as "
      + "JSON, with Connection: close, and the connection is closed")
  void tricklingBody(Vertx vertx) throws Exception {
    start(vertx, deadline(DEADLINE_MS), new JsonObject(), CTX);
    RawConnection connection = connect(env.engine.httpPort());
    connection.send("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 500\r\n\r\n{\"ChangeType\":");
    trickleOnce(connection, "2,\"Cont");

    RawConnection.Response response = connection.readResponse(WAIT);

    assertThat(response.status()).isEqualTo(408);
    assertThat(response.headers()).containsEntry("connection", "close");
    assertThat(response.headers().get("content-type")).startsWith("application/json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("error", "message");
    assertThat(body.getString("error")).isEqualTo("request-timeout");
    assertThat(connection.closedWithin(WAIT)).isTrue();
  }

  @Test
  @DisplayName("a keep-alive connection gets a whole deadline after each answer, and is closed when it then "
      + "trickles its next request")
  void keepAlive(Vertx vertx) throws Exception {
    start(vertx, deadline(3 * DEADLINE_MS / 2), new JsonObject());
    RawConnection connection = connect(env.engine.httpPort());
    // Four requests, a second apart: together longer than one deadline, each well within its own.
    for (int i = 0; i < 4; i++) {
      assertThat(connection.send(healthRequest())).isTrue();
      assertThat(connection.readResponse(WAIT).status()).isEqualTo(200);
      assertThat(connection.closedWithin(Duration.ofSeconds(1))).as("open between its requests").isFalse();
    }
    connection.send("GET /health HTTP/1.1\r\nX-Slow: ");
    trickle(List.of(connection));

    assertThat(connection.closedWithin(WAIT)).isTrue();
  }

  @Test
  @DisplayName("a keep-alive connection that sends nothing after its answer is closed after idleTimeoutMs")
  void idleConnection(Vertx vertx) throws Exception {
    // A deadline longer than the test, so only the idle timeout closes the connection here.
    start(vertx, new JsonObject().put("idleTimeoutMs", 1_500).put("requestTimeoutMs", NEVER_IDLE_MS),
        new JsonObject());
    RawConnection connection = connect(env.engine.httpPort());
    assertThat(connection.send(healthRequest())).isTrue();
    assertThat(connection.readResponse(WAIT).status()).isEqualTo(200);

    assertThat(connection.closedWithin(WAIT)).isTrue();
  }

  @Test
  @DisplayName("with http.maxConnections 5, a sixth connection to the public listener (all its instances "
      + "together) is closed at once while the five are open, and served once they are closed")
  void connectionCap(Vertx vertx) throws Exception {
    // A deadline longer than the test, so only the cap closes connections here.
    start(vertx, deadline(NEVER_IDLE_MS).put("maxConnections", 5), new JsonObject());
    int port = env.engine.httpPort();
    List<RawConnection> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RawConnection connection = connect(port);
      // Answered, so the listener has counted it.
      assertThat(connection.send(healthRequest())).isTrue();
      assertThat(connection.readResponse(WAIT).status()).isEqualTo(200);
      five.add(connection);
    }

    RawConnection sixth = connect(port);
    sixth.send(healthRequest());
    assertThat(sixth.readUntilClosed(WAIT)).as("the sixth connection is closed without an answer").contains("");
    assertThat(env.engine.meterRegistry().get("tenantwatch.http.connections.refused").tag("listener", "public")
        .counter().count()).isEqualTo(1.0);

    five.forEach(RawConnection::close);
    // The server learns of the closes a moment later: until its count of open connections is back to
    // zero, a new connection may still be refused.
    Gauge open = env.engine.meterRegistry().get("tenantwatch.http.connections.open").tag("listener", "public")
        .gauge();
    Eventually.until(vertx, () -> Future.succeededFuture(open.value()), count -> count == 0)
        .toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    RawConnection next = connect(port);
    next.send(healthRequest());
    assertThat(next.readResponse(WAIT).status()).isEqualTo(200);
    next.close();
  }

  @Test
  @DisplayName("an event stream with no events outlives several admin idle timeouts (2500 ms): its keep-alives "
      + "come within the idle timeout, and the request deadline does not cut it")
  void eventStreamOutlivesIdleTimeout(Vertx vertx) throws Exception {
    start(vertx, new JsonObject(), new JsonObject().put("idleTimeoutMs", 2_500).put("requestTimeoutMs", 1_000));
    int port = env.engine.adminPort();
    RawConnection stream = connect(port);
    stream.send("GET /admin/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");

    // The test engine's stateApi.requestTimeoutMs of 500 lets the admin idle timeout be as short as 2001 ms.
    String received = stream.readFor(Duration.ofMillis(10_000));

    assertThat(received).as("the stream is still open after four idle timeouts").isNotNull();
    assertThat(received).startsWith("HTTP/1.1 200").contains(": connected");
    assertThat(received.split(": keep-alive", -1).length - 1).isGreaterThanOrEqualTo(2);
  }
}
