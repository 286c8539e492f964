package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers' symptom reports through a whole engine (contracts.md, "Symptom reports"): sent on the event bus to
 * {@code tenantwatch.report}, carried to the tenant, answered with what became of the poll, and the poll seen
 * at the simulator's state API. {@code minPollIntervalMs} is 30 s here, so no timer poll and no second
 * report-driven poll falls within a test.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SymptomReportsTest {
  private static final String CTX = "Cust17001";
  private static final String MOVED_ENDPOINT = "https://sod3.superoffice.com/" + CTX;

  private TestEngine env;
  /** The tenant's api as the simulator serves it, before and after the move. */
  private String api;
  private String movedApi;
  private TenantGate gate;
  private final List<Command> endpoints = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    JsonObject slow = new JsonObject().put("stateApi", new JsonObject().put("minPollIntervalMs", 30_000)
        .put("transitionalPollIntervalMs", 30_000));
    TestEngine.start(vertx, slow, CTX)
        .compose(started -> {
          env = started;
          api = env.simulator.tenantApiUrl("sod2.superoffice.com", CTX);
          movedApi = env.simulator.tenantApiUrl("sod3.superoffice.com", CTX);
          gate = TenantGate.create(vertx, new TenantGateOptions("reporting-worker")).onEndpoint(command -> {
            endpoints.add(command);
            return Future.succeededFuture();
          });
          return gate.start();
        })
        .compose(v -> Eventually.until(vertx, () -> Future.succeededFuture(gate.isRunning(CTX)), open -> open))
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    gate.stop().transform(v -> env.engine.close()).onComplete(context.succeedingThenComplete());
  }

  private Future<JsonObject> send(Vertx vertx, Object body) {
    return vertx.eventBus().<JsonObject>request(Addresses.REPORT, body).map(reply -> reply.body());
  }

  private Future<JsonObject> report(Vertx vertx, String tenant, Symptom symptom, int status, String api) {
    return send(vertx, new SymptomReport(tenant, symptom, status, api, "reporting-worker").toJson());
  }

  /** The view once a poll newer than {@code before}'s has been applied. */
  private Future<JsonObject> polledAfter(JsonObject before) {
    String last = before.getString("lastPolledAt");
    return env.viewUntil(CTX, view -> !view.getString("lastPolledAt").equals(last));
  }

  @Test
  @DisplayName("A storm of 200 reports for one tenant, half while its poll is on the way and half after it answered, "
      + "makes exactly one poll of its state API")
  void stormMakesOnePoll(Vertx vertx, VertxTestContext context) {
    JsonObject[] before = new JsonObject[1];
    long[] requests = new long[1];
    List<JsonObject> answers = new ArrayList<>();
    env.view(CTX)
        .compose(view -> {
          before[0] = view;
          requests[0] = env.simulator.requestCount(CTX);
          return storm(vertx, 100);
        })
        .compose(first -> {
          answers.addAll(first);
          return polledAfter(before[0]);
        })
        .compose(polled -> storm(vertx, 100))
        .compose(second -> {
          answers.addAll(second);
          return env.view(CTX);
        })
        .onComplete(context.succeeding(after -> context.verify(() -> {
          Map<String, Long> outcomes = answers.stream()
              .collect(Collectors.groupingBy(a -> a.getString("poll"), Collectors.counting()));
          assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("started", 1L, "deduplicated", 199L));
          assertThat(answers).allSatisfy(a -> assertThat(a.getString("tenant")).isEqualTo(CTX));
          assertThat(env.simulator.requestCount(CTX)).isEqualTo(requests[0] + 1);
          assertThat(after.getLong("seq")).as("no command").isEqualTo(before[0].getLong("seq"));
          assertThat(after.getBoolean("running")).isTrue();
          assertThat(gate.isRunning(CTX)).isTrue();
          context.completeNow();
        })));
  }

  /** {@code count} reports of a 503 at once; their answers. */
  private Future<List<JsonObject>> storm(Vertx vertx, int count) {
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(report(vertx, CTX, Symptom.UNAVAILABLE, 503, api));
    }
    return Future.all(answers).map(all -> all.<JsonObject>list());
  }

  @Test
  @DisplayName("A wrong host marks the endpoint suspect until a poll answers; that poll finds the tenant moved and "
      + "an endpoint command reaches the worker's gate")
  void wrongHostFindsTheMove(Vertx vertx, VertxTestContext context) {
    env.simulator.failWith(CTX, 503, null)
        .compose(v -> env.simulator.setStatus(CTX, TenantState.RUNNING, MOVED_ENDPOINT, movedApi, "Release_11"))
        .compose(v -> report(vertx, CTX, Symptom.WRONG_HOST, 421, api))
        .compose(answer -> {
          context.verify(() -> assertThat(answer.getString("poll")).isEqualTo("started"));
          return env.view(CTX);
        })
        .compose(view -> {
          context.verify(() -> {
            assertThat(view.getBoolean("endpointSuspect")).as("the state API has not answered").isTrue();
            assertThat(view.getBoolean("running")).as("a report moves no gate").isTrue();
            assertThat(gate.api(CTX)).isEqualTo(api);
          });
          return env.simulator.clearFault(CTX);
        })
        .compose(v -> Eventually.until(vertx, () -> Future.succeededFuture(endpoints), list -> !list.isEmpty()))
        .compose(list -> {
          context.verify(() -> {
            assertThat(list).singleElement().satisfies(endpoint -> {
              assertThat(endpoint.api()).isEqualTo(movedApi);
              assertThat(endpoint.reason()).isEqualTo("poll");
            });
            assertThat(gate.api(CTX)).isEqualTo(movedApi);
            assertThat(gate.isRunning(CTX)).isTrue();
          });
          return env.viewUntil(CTX, view -> movedApi.equals(view.getString("api")));
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getBoolean("endpointSuspect")).isFalse();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("A report about a tenant the state API still says is Running polls it and sends nothing: the gate stays open")
  void runningTenantStaysOpen(Vertx vertx, VertxTestContext context) {
    JsonObject[] before = new JsonObject[1];
    env.view(CTX)
        .compose(view -> {
          before[0] = view;
          return report(vertx, CTX, Symptom.UNREACHABLE, 0, api);
        })
        .compose(answer -> {
          context.verify(() -> assertThat(answer.getString("poll")).isEqualTo("started"));
          return polledAfter(before[0]);
        })
        .onComplete(context.succeeding(after -> context.verify(() -> {
          assertThat(after.getBoolean("running")).isTrue();
          assertThat(after.getLong("seq")).as("no command").isEqualTo(before[0].getLong("seq"));
          assertThat(after.getJsonArray("history")).isEqualTo(before[0].getJsonArray("history"));
          assertThat(after.getBoolean("endpointSuspect")).isFalse();
          assertThat(gate.isRunning(CTX)).isTrue();
          assertThat(gate.lastSeq(CTX)).isEqualTo(before[0].getLong("seq"));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("A malformed report fails MALFORMED with the reason, and changes nothing")
  void malformedReport(Vertx vertx, VertxTestContext context) {
    List<Object> bodies = List.of("wrong-host", new JsonObject(),
        new JsonObject().put("tenant", "Cust17001x").put("symptom", "wrong-host"),
        new JsonObject().put("tenant", CTX).put("symptom", "teapot"),
        new JsonObject().put("tenant", CTX).put("symptom", "unavailable").put("status", 9000),
        new JsonObject().put("tenant", CTX).put("symptom", "unavailable").put("api", 42));
    JsonObject[] before = new JsonObject[1];
    long[] requests = new long[1];
    env.view(CTX)
        .compose(view -> {
          before[0] = view;
          requests[0] = env.simulator.requestCount(CTX);
          Function<Object, Future<ReplyException>> refusal = body -> send(vertx, body).transform(done ->
              done.succeeded() ? Future.failedFuture("answered " + done.result())
                  : Future.succeededFuture((ReplyException) done.cause()));
          return Future.all(bodies.stream().map(refusal).toList()).map(all -> all.<ReplyException>list());
        })
        .compose(refusals -> {
          context.verify(() -> {
            assertThat(refusals).allSatisfy(r -> assertThat(r.failureCode()).isEqualTo(Failures.MALFORMED));
            assertThat(refusals.get(2).getMessage()).contains("context identifier");
            assertThat(refusals.get(3).getMessage()).contains("teapot");
          });
          return env.view(CTX);
        })
        .onComplete(context.succeeding(after -> context.verify(() -> {
          assertThat(after).isEqualTo(before[0]);
          assertThat(env.simulator.requestCount(CTX)).isEqualTo(requests[0]);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("A report about a tenant the engine does not watch fails NOT_WATCHED")
  void unknownTenant(Vertx vertx, VertxTestContext context) {
    report(vertx, "Cust17999", Symptom.WRONG_HOST, 421, null).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) failure).failureCode()).isEqualTo(Failures.NOT_WATCHED);
      assertThat(failure.getMessage()).contains("Cust17999");
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("A report about a Deleted tenant is ignored: it is not polled again")
  void deletedTenantIgnores(Vertx vertx, VertxTestContext context) {
    long[] requests = new long[1];
    env.simulator.set(CTX, TenantState.DELETED)
        .compose(v -> env.admin(io.vertx.core.http.HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"))
        .compose(v -> {
          requests[0] = env.simulator.requestCount(CTX);
          return report(vertx, CTX, Symptom.UNAVAILABLE, 503, api);
        })
        .onComplete(context.succeeding(answer -> context.verify(() -> {
          assertThat(answer).isEqualTo(new JsonObject().put("tenant", CTX).put("poll", "ignored"));
          assertThat(env.simulator.requestCount(CTX)).isEqualTo(requests[0]);
          context.completeNow();
        })));
  }
}
