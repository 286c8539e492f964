package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.webhook.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a whole engine: behind the admin token, in Prometheus' text format, with the
 * engine's meter names, and counts that move as the engine polls, takes notifications and delivers
 * commands; no tenant id in any label.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class MetricsEndpointTest {
  private static final String TOKEN = "an-admin-token-of-32-characters!";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final String CTX = "Cust62001";
  private static final String WEBHOOK = "/superoffice/state-change";

  private static TestTokens tokens;
  private static Path certificate;

  private TestEngine env;
  private RecordingWorker worker;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    tokens = TestTokens.generate(Clock.systemUTC());
    certificate = tokens.writeCertificate(dir);
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    JsonObject overrides = new JsonObject()
        .put("admin", new JsonObject().put("token", TOKEN))
        .put("webhook", new JsonObject().put("certificates", new JsonArray().add(certificate.toString()))
            .put("issuers", new JsonArray().add(TestTokens.ISSUER)));
    TestEngine.start(vertx, overrides)
        .compose(started -> {
          env = started;
          worker = new RecordingWorker(vertx);
          return worker.register();
        })
        .compose(v -> env.simulator.setValidity(Duration.ofMinutes(10)))
        .compose(v -> env.simulator.addTenant(CTX))
        .compose(v -> env.admin(HttpMethod.PUT, "/admin/tenants/" + CTX, BEARER))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    env.engine.close().onComplete(context.succeedingThenComplete());
  }

  private Future<String> scrape() {
    return env.admin(HttpMethod.GET, "/metrics", BEARER).map(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /metrics answered " + response.statusCode());
      }
      return response.bodyAsString();
    });
  }

  /** Awaits a scrape in which the sample {@code series} (name and labels as written) has reached {@code value}. */
  private Future<String> scrapeUntil(Vertx vertx, String series, double value) {
    return Eventually.until(vertx, this::scrape, text -> sample(text, series) >= value);
  }

  /** The value of one sample line, or -1 when the scrape has no such line. */
  static double sample(String scrape, String series) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return line.find() ? Double.parseDouble(line.group(1)) : -1;
  }

  @Test
  @DisplayName("GET /metrics needs the admin token, which a scraper sends as a Bearer header; ?token= is not taken")
  void token(VertxTestContext context) {
    env.admin(HttpMethod.GET, "/metrics", null)
        .compose(none -> {
          context.verify(() -> assertThat(none.statusCode()).isEqualTo(401));
          return env.admin(HttpMethod.GET, "/metrics", "Bearer not-the-token");
        })
        .compose(wrong -> {
          context.verify(() -> assertThat(wrong.statusCode()).isEqualTo(401));
          return env.admin(HttpMethod.GET, "/metrics?token=" + TOKEN, null);
        })
        .compose(query -> {
          context.verify(() -> assertThat(query.statusCode()).isEqualTo(401));
          return env.admin(HttpMethod.GET, "/metrics", BEARER);
        })
        .onComplete(context.succeeding(ok -> context.verify(() -> {
          assertThat(ok.statusCode()).isEqualTo(200);
          assertThat(ok.getHeader("Content-Type")).startsWith("text/plain");
          assertThat(ok.bodyAsString()).contains("# TYPE tenantwatch_polls_total counter");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the scrape names every engine meter by Prometheus' conventions and carries no tenant id")
  void names(Vertx vertx, VertxTestContext context) {
    scrapeUntil(vertx, "tenantwatch_commands_acknowledged_total", 1)
        .compose(v -> scrapeUntil(vertx, "tenantwatch_tenants{state=\"Running\"}", 1))
        .onComplete(context.succeeding(text -> context.verify(() -> {
          assertThat(text).contains(
              "# TYPE tenantwatch_tenants gauge",
              "# TYPE tenantwatch_tenants_open gauge",
              "# TYPE tenantwatch_tenants_closed gauge",
              "# TYPE tenantwatch_tenants_stale gauge",
              "# TYPE tenantwatch_tenant_closed_longest_seconds gauge",
              "# TYPE tenantwatch_polls_total counter",
              "# TYPE tenantwatch_poll_duration_seconds histogram",
              "tenantwatch_poll_duration_seconds_bucket{outcome=\"ok\",le=\"0.5\"}",
              "# TYPE tenantwatch_polls_queued gauge",
              "# TYPE tenantwatch_polls_in_flight gauge",
              "# TYPE tenantwatch_commands_total counter",
              "# TYPE tenantwatch_commands_sent_total counter",
              "# TYPE tenantwatch_commands_acknowledged_total counter",
              "# TYPE tenantwatch_workers gauge",
              "# TYPE tenantwatch_workers_failing gauge",
              "# TYPE tenantwatch_event_stream_clients gauge");
          assertThat(sample(text, "tenantwatch_tenants{state=\"Running\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_tenants{state=\"Suspended\"}")).isZero();
          assertThat(sample(text, "tenantwatch_tenants_open")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_tenants_closed")).isZero();
          assertThat(sample(text, "tenantwatch_tenants_stale")).isZero();
          assertThat(sample(text, "tenantwatch_polls_total{outcome=\"ok\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_poll_duration_seconds_count{outcome=\"ok\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_commands_total{type=\"resume\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_commands_sent_total")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_workers")).isEqualTo(1);
          assertThat(text).doesNotContain("Cust");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("polls, closed tenants, pauses and their acknowledgements move their counts and gauges")
  void pollsAndCommandsCount(Vertx vertx, VertxTestContext context) {
    double[] polls = new double[1];
    scrapeUntil(vertx, "tenantwatch_commands_acknowledged_total", 1)
        .compose(before -> {
          polls[0] = sample(before, "tenantwatch_polls_total{outcome=\"ok\"}");
          return env.simulator.set(CTX, TenantState.SUSPENDED);
        })
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll", BEARER))
        .compose(polled -> {
          context.verify(() -> assertThat(polled.statusCode()).isEqualTo(200));
          return env.simulator.failWith(CTX, 503, null);
        })
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll", BEARER))
        .compose(failed -> scrapeUntil(vertx, "tenantwatch_commands_acknowledged_total", 2))
        .compose(v -> scrapeUntil(vertx, "tenantwatch_tenants{state=\"Suspended\"}", 1))
        .onComplete(context.succeeding(text -> context.verify(() -> {
          assertThat(sample(text, "tenantwatch_polls_total{outcome=\"ok\"}")).isEqualTo(polls[0] + 1);
          assertThat(sample(text, "tenantwatch_polls_total{outcome=\"http-status\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_commands_total{type=\"pause\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_commands_sent_total")).isEqualTo(2);
          assertThat(sample(text, "tenantwatch_commands_acknowledged_total")).isEqualTo(2);
          assertThat(sample(text, "tenantwatch_tenants{state=\"Running\"}")).isZero();
          assertThat(sample(text, "tenantwatch_tenants_open")).isZero();
          assertThat(sample(text, "tenantwatch_tenants_closed")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_tenant_closed_longest_seconds{state=\"Suspended\"}"))
              .isGreaterThanOrEqualTo(0);
          assertThat(sample(text, "tenantwatch_tenant_closed_longest_seconds{state=\"Running\"}")).isZero();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("notifications count by outcome, and refusals by the error code they were answered with")
  void notificationsCount(Vertx vertx, VertxTestContext context) {
    JsonObject valid = notification(tokens.sign(CTX));
    post(valid.encode(), "application/json")
        .compose(accepted -> {
          context.verify(() -> assertThat(accepted.statusCode()).isEqualTo(200));
          return post("{not json", "application/json");
        })
        .compose(badJson -> post(valid.encode(), "text/plain"))
        .compose(wrongType -> post(notification("not-a-jwt").encode(), "application/json"))
        .compose(badToken -> {
          context.verify(() -> assertThat(badToken.statusCode()).isEqualTo(401));
          return scrape();
        })
        .onComplete(context.succeeding(text -> context.verify(() -> {
          assertThat(sample(text, "tenantwatch_notifications_total{outcome=\"accepted\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_notifications_total{outcome=\"refused\"}")).isEqualTo(3);
          assertThat(sample(text, "tenantwatch_notifications_refused_total{reason=\"bad-json\"}")).isEqualTo(1);
          assertThat(sample(text, "tenantwatch_notifications_refused_total{reason=\"unsupported-media-type\"}"))
              .isEqualTo(1);
          assertThat(sample(text, "tenantwatch_notifications_refused_total{reason=\"not-a-jwt\"}")).isEqualTo(1);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("workers' symptom reports count by symptom and by what became of their poll; a refused one does not count")
  void reportsCount(Vertx vertx, VertxTestContext context) {
    Future<Message<JsonObject>> wrongHost = vertx.eventBus().request(Addresses.REPORT,
        new SymptomReport(CTX, Symptom.WRONG_HOST, 421, null, "metered").toJson());
    wrongHost
        .compose(first -> {
          context.verify(() -> assertThat(first.body().getString("poll")).isEqualTo("started"));
          return vertx.eventBus().<JsonObject>request(Addresses.REPORT,
              new SymptomReport(CTX, Symptom.UNAVAILABLE, 503, null, "metered").toJson());
        })
        .compose(second -> vertx.eventBus().request(Addresses.REPORT,
                new SymptomReport("Cust62999", Symptom.UNREACHABLE, 0, null, "metered").toJson())
            .transform(notWatched -> scrape())
            .map(text -> {
              context.verify(() -> {
                String outcome = second.body().getString("poll");
                assertThat(outcome).isIn("started", "deduplicated");
                assertThat(sample(text, "tenantwatch_reports_total{outcome=\"started\",symptom=\"wrong-host\"}"))
                    .isEqualTo(1);
                assertThat(sample(text, "tenantwatch_reports_total{outcome=\"" + outcome
                    + "\",symptom=\"unavailable\"}")).isEqualTo(1);
                assertThat(text).contains("# TYPE tenantwatch_reports_total counter");
                assertThat(text).doesNotContain("symptom=\"unreachable\"", "Cust");
              });
              return text;
            }))
        .onComplete(context.succeedingThenComplete());
  }

  private static JsonObject notification(String token) {
    return new JsonObject().put("ChangeType", ChangeType.RESUME.code()).put("ContextIdentifier", CTX)
        .put("VersionName", "Release_11.10_2026.02.24-02").put("FileVersion", "").put("Token", token);
  }

  private Future<HttpResponse<Buffer>> post(String body, String contentType) {
    return env.client.post(env.engine.httpPort(), "127.0.0.1", WEBHOOK).putHeader("Content-Type", contentType)
        .sendBuffer(Buffer.buffer(body));
  }
}
