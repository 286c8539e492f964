package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * {@link TenantWatch#close()} drains before it undeploys: webhooks and admin changes are answered 503
 * at once, no poll starts any more, the poll in flight finishes and the command it brings reaches the
 * workers, and nothing is logged at WARN or ERROR on the way down.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GracefulShutdownTest {
  private static final String CTX = "Cust33001";
  /** Long enough for the test to knock on the doors while the engine drains, short beside the timeouts. */
  private static final Duration SLOW_ANSWER = Duration.ofMillis(1_500);

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @AfterEach
  void releaseLog() {
    root.detachAppender(log);
  }

  private static Future<HttpResponse<Buffer>> postNotification(TestEngine env) {
    return env.client.post(env.engine.httpPort(), "127.0.0.1", "/superoffice/state-change")
        .putHeader("Content-Type", "application/json")
        .sendJsonObject(new JsonObject().put("ContextIdentifier", CTX).put("ChangeType", 1).put("Token", "x.y.z"));
  }

  @Test
  @DisplayName("close() answers webhooks 503 while it finishes the poll in flight, delivers its command, and logs no error")
  void closeDrainsFirst(Vertx vertx, VertxTestContext context) {
    JsonObject slowAnswersFit = new JsonObject().put("stateApi", new JsonObject().put("requestTimeoutMs", 5_000))
        .put("shutdownTimeoutMs", 10_000);
    RecordingWorker worker = new RecordingWorker(vertx);
    long[] requestsAtClose = new long[1];
    TestEngine.start(vertx, slowAnswersFit)
        .compose(env -> worker.register()
            .compose(registered -> env.simulator.addTenant(CTX))
            .compose(added -> env.admin(HttpMethod.PUT, "/admin/tenants/" + CTX))
            .compose(watched -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
            // From now on the state API holds each answer a while, and the answer says Suspended.
            .compose(resumed -> env.simulator.answerSlowly(CTX, SLOW_ANSWER))
            .compose(v -> env.simulator.set(CTX, TenantState.SUSPENDED))
            .compose(v -> {
              long before = env.simulator.requestCount(CTX);
              return Eventually.until(vertx, () -> Future.succeededFuture(env.simulator.requestCount(CTX)),
                  count -> count > before);
            })
            .compose(slowPollInFlight -> {
              log.start();
              root.addAppender(log);
              requestsAtClose[0] = env.simulator.requestCount();
              Future<Void> closed = env.engine.close();
              return Future.all(postNotification(env), env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"),
                      env.publicRequest(HttpMethod.GET, "/health"))
                  .compose(answers -> {
                    // A 503 at all means the listeners were still up: the engine was draining, not gone.
                    context.verify(() -> {
                      for (int i = 0; i < answers.size(); i++) {
                        HttpResponse<Buffer> answer = answers.resultAt(i);
                        assertThat(answer.statusCode()).isEqualTo(503);
                        assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("shutting-down");
                        assertThat(answer.getHeader("Retry-After")).isEqualTo("5");
                      }
                    });
                    return closed;
                  })
                  .map(env);
            }))
        .onComplete(context.succeeding(env -> context.verify(() -> {
          assertThat(worker.commandsFor(CTX)).extracting(Command::type)
              .as("the poll in flight finished and its pause was delivered before close() completed")
              .containsExactly(CommandType.RESUME, CommandType.PAUSE);
          assertThat(env.simulator.requestCount()).as("no poll started once close() began")
              .isEqualTo(requestsAtClose[0]);
          assertThat(vertx.deploymentIDs()).as("only the test's own simulator is left").hasSize(1);
          assertThat(log.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("close() called twice drains once and completes both times")
  void closeTwice(Vertx vertx, VertxTestContext context) {
    TestEngine.start(vertx, CTX)
        .compose(env -> {
          Future<Void> first = env.engine.close();
          Future<Void> second = env.engine.close();
          context.verify(() -> assertThat(second).isSameAs(first));
          return Future.all(first, second);
        })
        .onComplete(context.succeeding(both -> context.verify(() -> {
          assertThat(vertx.deploymentIDs()).hasSize(1);
          context.completeNow();
        })));
  }
}
