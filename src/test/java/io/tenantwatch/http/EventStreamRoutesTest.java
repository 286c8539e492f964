package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.SseClient;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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

  private final List<SseClient> streams = new ArrayList<>();
  private TestEngine env;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
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
    Future.join(streams.stream().map(SseClient::close).toList())
        .compose(v -> env.engine.close()).onComplete(context.succeedingThenComplete());
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
  void streamsTransitions(Vertx vertx, VertxTestContext context) {
    Future.all(stream(vertx, "/admin/events?token=" + TOKEN),
            stream(vertx, "/admin/events?token=" + TOKEN + "&tenant=" + WATCHED))
        .compose(both -> env.simulator.set(OTHER, TenantState.SUSPENDED)
            .compose(v -> admin(HttpMethod.POST, "/admin/tenants/" + OTHER + "/poll"))
            .compose(v -> env.simulator.set(WATCHED, TenantState.SUSPENDED))
            .compose(v -> admin(HttpMethod.POST, "/admin/tenants/" + WATCHED + "/poll"))
            .compose(v -> Future.all(
                both.<SseClient>resultAt(0).until(events -> events.stream().anyMatch(e -> about(e, WATCHED))),
                // The command comes from the worker registry, the transition from the tenant: either may be first.
                both.<SseClient>resultAt(1).until(events -> named(events, "command") && named(events, "transition")))))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          List<SseClient.Event> unfiltered = all.resultAt(0);
          assertThat(firstAbout(unfiltered, OTHER)).isNotNegative().isLessThan(firstAbout(unfiltered, WATCHED));
          List<SseClient.Event> filtered = all.resultAt(1);
          assertThat(filtered).noneMatch(e -> about(e, OTHER));
          assertThat(filtered.get(0).comment()).isEqualTo("connected");
          JsonObject transition = new JsonObject(filtered.stream().filter(e -> "transition".equals(e.name()))
              .findFirst().orElseThrow().data());
          assertThat(transition.fieldNames()).containsExactlyInAnyOrder("tenant", "from", "to", "cause", "commands", "at");
          assertThat(transition.getString("tenant")).isEqualTo(WATCHED);
          assertThat(transition.getString("from")).isEqualTo("Running");
          assertThat(transition.getString("to")).isEqualTo("Suspended");
          JsonObject command = new JsonObject(filtered.stream().filter(e -> "command".equals(e.name()))
              .findFirst().orElseThrow().data());
          assertThat(command.getString("type")).isEqualTo("pause");
          assertThat(command.getString("tenant")).isEqualTo(WATCHED);
          context.completeNow();
        })));
  }

  /** A stream from the admin listener, once it has said ": connected" (subscribed from then on). */
  private Future<SseClient> stream(Vertx vertx, String path) {
    return SseClient.open(vertx, env.engine.adminPort(), path, null)
        .onSuccess(streams::add)
        .compose(sse -> {
          assertThat(sse.response().statusCode()).isEqualTo(200);
          assertThat(sse.response().getHeader("Content-Type")).startsWith("text/event-stream");
          return sse.until(events -> !events.isEmpty()).map(sse);
        });
  }

  private static boolean about(SseClient.Event event, String tenant) {
    return event.data() != null && tenant.equals(new JsonObject(event.data()).getString("tenant"));
  }

  /** The index of the first event about {@code tenant}, -1 when none is. */
  private static int firstAbout(List<SseClient.Event> events, String tenant) {
    return IntStream.range(0, events.size()).filter(i -> about(events.get(i), tenant)).findFirst()
        .orElse(-1);
  }

  private static boolean named(List<SseClient.Event> events, String name) {
    return events.stream().anyMatch(e -> name.equals(e.name()));
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
