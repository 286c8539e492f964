package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard's page and the event stream it reads, over real HTTP on a whole engine with an admin
 * token: what answers without the token, what does not, and what the stream carries.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class EventStreamRoutesTest {
  private static final String TOKEN = "an-admin-token-of-32-characters!";
  private static final String WATCHED = "Cust50001";
  private static final String OTHER = "Cust50002";

  private TestEngine env;
  private HttpClient http;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    http = vertx.createHttpClient();
    TestEngine.start(vertx, new JsonObject().put("admin", new JsonObject().put("token", TOKEN)))
        .compose(started -> {
          env = started;
          return env.simulator.setValidity(Duration.ofMinutes(10));
        })
        .compose(v -> env.simulator.addTenant(WATCHED))
        .compose(v -> env.simulator.addTenant(OTHER))
        .compose(v -> admin(HttpMethod.PUT, "/admin/tenants/" + WATCHED))
        .compose(v -> admin(HttpMethod.PUT, "/admin/tenants/" + OTHER))
        .compose(v -> Eventually.until(vertx, () -> admin(HttpMethod.GET, "/admin/tenants"),
            list -> list.bodyAsJsonObject().getJsonArray("tenants").stream().map(JsonObject.class::cast)
                .filter(view -> view.getBoolean("running")).count() == 2))
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    http.close().compose(v -> env.engine.close()).onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("The page and its assets answer without the token, with a policy that loads nothing from elsewhere, while the API still refuses")
  void pageWithoutToken(VertxTestContext context) {
    Future.all(plain("/admin/"), plain("/admin/assets/dashboard.js"), plain("/admin/assets/dashboard.css"),
            plain("/admin"), plain("/admin/tenants"), plain("/admin/tenants/.."))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          HttpResponse<Buffer> page = all.resultAt(0);
          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.getHeader("Content-Type")).startsWith("text/html");
          assertThat(page.bodyAsString()).contains("<title>tenantwatch</title>").doesNotContain(TOKEN);
          assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'none'")
              .contains("script-src 'self'").contains("connect-src 'self'");
          HttpResponse<Buffer> script = all.resultAt(1);
          assertThat(script.statusCode()).isEqualTo(200);
          assertThat(script.getHeader("Content-Type")).contains("javascript");
          assertThat(script.bodyAsString()).contains("EventSource").doesNotContain("http://", "https://");
          assertThat(((HttpResponse<Buffer>) all.resultAt(2)).statusCode()).isEqualTo(200);
          HttpResponse<Buffer> bare = all.resultAt(3);
          assertThat(bare.statusCode()).isEqualTo(302);
          assertThat(bare.getHeader("Location")).isEqualTo("/admin/");
          assertThat(((HttpResponse<Buffer>) all.resultAt(4)).statusCode()).isEqualTo(401);
          // The same page by another spelling is not the page: it goes on to the API, which wants the token.
          assertThat(((HttpResponse<Buffer>) all.resultAt(5)).statusCode()).isEqualTo(401);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("The stream refuses a missing or wrong token, in the header or the query, and a tenant filter that is no context identifier")
  void refusals(VertxTestContext context) {
    Future.all(List.of(
            status("/admin/events", null),
            status("/admin/events?token=not-the-token", null),
            status("/admin/events", "Bearer not-the-token"),
            status("/admin/events?token=" + TOKEN + "&tenant=cust1", null),
            status("/admin/events?tenant=..%2F", "Bearer " + TOKEN)))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          assertThat(all.<Integer>list()).containsExactly(401, 401, 401, 400, 400);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("A transition arrives as an event: transition line of JSON and its commands as event: command lines (either may come first), and ?tenant= keeps one tenant's only")
  void streamsTransitions(VertxTestContext context) {
    EventStream everything = new EventStream("/admin/events?token=" + TOKEN);
    EventStream one = new EventStream("/admin/events?token=" + TOKEN + "&tenant=" + WATCHED);
    Future.all(everything.connected(), one.connected())
        .compose(v -> env.simulator.set(OTHER, TenantState.SUSPENDED))
        .compose(v -> admin(HttpMethod.POST, "/admin/tenants/" + OTHER + "/poll"))
        .compose(v -> env.simulator.set(WATCHED, TenantState.SUSPENDED))
        .compose(v -> admin(HttpMethod.POST, "/admin/tenants/" + WATCHED + "/poll"))
        .compose(v -> Future.all(everything.until(text -> text.contains("\"tenant\":\"" + WATCHED + "\"")),
            // The command comes from the worker registry, the transition from the tenant: either may be first.
            one.until(text -> text.contains("event: command") && text.contains("event: transition"))))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          String unfiltered = all.resultAt(0);
          assertThat(unfiltered.indexOf("\"tenant\":\"" + OTHER + "\"")).isPositive()
              .isLessThan(unfiltered.indexOf("\"tenant\":\"" + WATCHED + "\""));
          String filtered = all.resultAt(1);
          assertThat(filtered).doesNotContain(OTHER);
          List<String> frames = List.of(filtered.split("\n\n"));
          assertThat(frames.get(0)).isEqualTo(": connected");
          String transitionFrame = frames.stream().filter(f -> f.startsWith("event: transition\ndata: {")).findFirst()
              .orElseThrow();
          JsonObject transition = new JsonObject(transitionFrame.substring(transitionFrame.indexOf("data: ") + 6));
          assertThat(transition.fieldNames()).containsExactlyInAnyOrder("tenant", "from", "to", "cause", "commands", "at");
          assertThat(transition.getString("tenant")).isEqualTo(WATCHED);
          assertThat(transition.getString("from")).isEqualTo("Running");
          assertThat(transition.getString("to")).isEqualTo("Suspended");
          String commandFrame = frames.stream().filter(f -> f.startsWith("event: command\ndata: {")).findFirst()
              .orElseThrow();
          JsonObject command = new JsonObject(commandFrame.substring(commandFrame.indexOf("data: ") + 6));
          assertThat(command.getString("type")).isEqualTo("pause");
          assertThat(command.getString("tenant")).isEqualTo(WATCHED);
          context.completeNow();
        })));
  }

  /** One client of the stream, collecting what it has read so far. */
  private final class EventStream {
    private final StringBuilder text = new StringBuilder();
    private final Promise<HttpClientResponse> response = Promise.promise();

    EventStream(String path) {
      http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(env.engine.adminPort())
              .setHost("127.0.0.1").setURI(path))
          .compose(request -> request.send())
          .onSuccess(answer -> {
            answer.handler(chunk -> {
              synchronized (text) {
                text.append(chunk.toString());
              }
            });
            response.complete(answer);
          })
          .onFailure(response::fail);
    }

    Future<Void> connected() {
      return response.future().compose(answer -> {
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.getHeader("Content-Type")).startsWith("text/event-stream");
        return until(read -> read.startsWith(": connected\n\n"));
      }).mapEmpty();
    }

    Future<String> until(Predicate<String> done) {
      return Eventually.until(env.vertx, () -> {
        synchronized (text) {
          return Future.succeededFuture(text.toString());
        }
      }, done);
    }
  }

  private Future<HttpResponse<Buffer>> plain(String path) {
    return env.client.request(HttpMethod.GET, env.engine.adminPort(), "127.0.0.1", path)
        .followRedirects(false).send();
  }

  private Future<Integer> status(String path, String authorization) {
    return env.admin(HttpMethod.GET, path, authorization).map(HttpResponse::statusCode);
  }

  private Future<HttpResponse<Buffer>> admin(HttpMethod method, String path) {
    return env.admin(method, path, "Bearer " + TOKEN);
  }
}
