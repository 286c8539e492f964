package io.tenantwatch.http;

import static io.tenantwatch.http.AdminApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.ErrorLog;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The public listener of a whole engine: {@code GET /health}, JSON errors for anything else, and none of
 * the admin routes, which live on the admin listener alone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PublicListenerTest {
  private static final String CTX = "Cust60001";

  private TestEngine env;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    TestEngine.start(vertx, CTX).onComplete(context.succeeding(started -> {
      env = started;
      context.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    env.engine.close().onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("GET /health answers 200 {\"status\":\"UP\"} as JSON")
  void health(VertxTestContext context) {
    env.publicRequest(HttpMethod.GET, "/health").onComplete(context.succeeding(response -> context.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("Another server in the same Vert.x asking for a free port gets one of its own, not the public listener's")
  void portOfItsOwn(Vertx vertx, VertxTestContext context) {
    // Vert.x shares one port between every server of a Vertx that listens on the same negative number.
    vertx.createHttpServer().requestHandler(request -> request.response().end("not the engine"))
        .listen(-1, "127.0.0.1")
        .onComplete(context.succeeding(other -> context.verify(() -> {
          assertThat(other.actualPort()).isNotEqualTo(env.engine.httpPort());
          other.close();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("An unknown path on the public listener answers 404 as a JSON error, and a wrong method on /health 405")
  void unknownPath(VertxTestContext context) {
    env.publicRequest(HttpMethod.GET, "/nothing-here")
        .compose(response -> {
          context.verify(() -> assertError(response, 404, "not-found"));
          return env.publicRequest(HttpMethod.POST, "/health");
        })
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertError(response, 405, "method-not-allowed");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("The admin routes are not reachable on the public port: each answers 404 and changes nothing")
  void noAdminRoutes(VertxTestContext context) {
    List<String[]> requests = List.of(
        new String[] {"GET", "/admin/tenants"},
        new String[] {"GET", "/admin/tenants/" + CTX},
        new String[] {"POST", "/admin/tenants/" + CTX + "/poll"},
        new String[] {"POST", "/admin/tenants/poll"},
        new String[] {"PUT", "/admin/tenants/Cust60002"},
        new String[] {"DELETE", "/admin/tenants/" + CTX},
        new String[] {"GET", "/admin/workers"});
    Future<Void> chain = Future.succeededFuture();
    for (String[] request : requests) {
      chain = chain.compose(v -> env.publicRequest(HttpMethod.valueOf(request[0]), request[1]).map(response -> {
        context.verify(() -> assertError(response, 404, "not-found"));
        return null;
      }));
    }
    chain
        .compose(v -> env.admin(HttpMethod.GET, "/admin/tenants"))
        .onComplete(context.succeeding(list -> context.verify(() -> {
          // The DELETE and PUT sent to the public port did nothing: the admin listener still lists CTX alone.
          assertThat(list.statusCode()).isEqualTo(200);
          assertThat(list.bodyAsJsonObject().getInteger("total")).isEqualTo(1);
          assertThat(list.bodyAsJsonObject().getJsonArray("tenants").getJsonObject(0).getString("tenant"))
              .isEqualTo(CTX);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("A request the HTTP layer finds unreadable (a Host that is no host, a path it cannot decode, a chunk"
      + " size that is no number) answers 400, and nothing is logged at ERROR")
  void unreadableRequests(Vertx vertx, VertxTestContext context) {
    ErrorLog errors = ErrorLog.capture();
    env.client.request(HttpMethod.GET, env.engine.httpPort(), "127.0.0.1", "/health")
        .putHeader("Host", "not a host name at all")
        .send()
        .compose(response -> {
          context.verify(() -> assertError(response, 400, "bad-request"));
          return env.publicRequest(HttpMethod.POST, "/superoffice/state-change%zz");
        })
        .compose(response -> {
          context.verify(() -> assertError(response, 400, "bad-request"));
          return statusLineOf(vertx, "POST /superoffice/state-change HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
              + "zz\r\n{}\r\n0\r\n\r\n");
        })
        .onComplete(context.succeeding(statusLine -> context.verify(() -> {
          errors.close();
          // Vert.x may close the connection of a request it cannot decode before the answer is out.
          assertThat(statusLine).matches("HTTP/1.1 400 .*|closed without an answer");
          assertThat(errors.events()).isEmpty();
          context.completeNow();
        })));
  }

  /** Sends bytes no HTTP client would send and answers the first line of the answer, if there is one. */
  private Future<String> statusLineOf(Vertx vertx, String request) {
    Promise<String> line = Promise.promise();
    vertx.createNetClient().connect(env.engine.httpPort(), "127.0.0.1").onFailure(line::fail).onSuccess(socket -> {
      Buffer answer = Buffer.buffer();
      socket.handler(chunk -> {
        answer.appendBuffer(chunk);
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        if (text.contains("\r\n") && line.tryComplete(text.substring(0, text.indexOf("\r\n")))) {
          socket.close();
        }
      });
      socket.closeHandler(v -> line.tryComplete("closed without an answer"));
      socket.write(request);
    });
    return line.future();
  }
}
