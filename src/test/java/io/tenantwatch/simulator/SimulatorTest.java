package io.tenantwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The simulator's state API, steered by a test")
class SimulatorTest {
  private static final Instant NOW = Instant.parse("2026-02-23T09:52:01.934Z");
  private static final String FIRST = "Cust10001";
  private static final String SECOND = "Cust10002";

  private Simulator simulator;
  private WebClient client;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) {
    SimulatorOptions options = SimulatorOptions.defaults().withPort(0).withTenants(3).withScripted(false);
    simulator = new Simulator(options, Clock.fixed(NOW, ZoneOffset.UTC));
    client = WebClient.create(vertx);
    vertx.deployVerticle(simulator).onComplete(testContext.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> get(String ctx) {
    return client.getAbs(simulator.stateApiBaseUrl() + ctx).send();
  }

  private static TenantStatus parse(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    try {
      return TenantStatus.parse(response.body());
    } catch (StatusParseException e) {
      throw new AssertionError("the body does not parse: " + e.getMessage(), e);
    }
  }

  @Test
  @DisplayName("it listens on loopback and lists its tenants in order")
  void listensOnLoopback() {
    assertThat(simulator.stateApiBaseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port() + "/api/state/");
    assertThat(simulator.port()).isPositive();
    assertThat(simulator.tenantIds()).containsExactly(FIRST, SECOND, "Cust10003");
  }

  @Test
  @DisplayName("a tenant's answer has the state API's own PascalCase shape with seven fractional digits")
  void answersTheDocumentedShape(VertxTestContext testContext) {
    get(FIRST).onComplete(testContext.succeeding(response -> testContext.verify(() -> {
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      JsonObject json = response.bodyAsJsonObject();
      assertThat(json.fieldNames()).containsExactlyInAnyOrder(
          "ContextIdentifier", "Endpoint", "State", "IsRunning", "ValidUntil", "Api", "Version");
      assertThat(json.getString("ValidUntil")).isEqualTo("2026-02-23T09:52:11.9340000Z");
      TenantStatus status = parse(response);
      assertThat(status.contextIdentifier()).isEqualTo(FIRST);
      assertThat(status.state()).isEqualTo(TenantState.RUNNING);
      assertThat(status.rawState()).isEqualTo("Running");
      assertThat(status.isRunning()).isTrue();
      assertThat(status.endpoint()).isEqualTo("https://sod2.superoffice.com/Cust10001");
      assertThat(status.api())
          .isEqualTo("http://127.0.0.1:" + simulator.port() + "/hosts/sod2.superoffice.com/Cust10001/api");
      assertThat(status.validUntil()).isEqualTo(NOW.plusSeconds(10));
      assertThat(status.version()).isEqualTo(Scenario.version(0));
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("set changes the state and keeps the endpoint")
  void setKeepsTheEndpoint(VertxTestContext testContext) {
    simulator.set(SECOND, TenantState.SUSPENDED).compose(done -> get(SECOND))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          TenantStatus status = parse(response);
          assertThat(status.state()).isEqualTo(TenantState.SUSPENDED);
          assertThat(status.isRunning()).isFalse();
          assertThat(status.endpoint()).isEqualTo("https://sod2.superoffice.com/Cust10002");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("setStatus moves a tenant to a new endpoint, api and version")
  void setStatusMovesATenant(VertxTestContext testContext) {
    String endpoint = "https://app-sod.superoffice.com/Cust10001";
    simulator.setStatus(FIRST, TenantState.ONLINE_MAINTENANCE, endpoint, endpoint + "/api", "Release_12.0")
        .compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          TenantStatus status = parse(response);
          assertThat(status.state()).isEqualTo(TenantState.ONLINE_MAINTENANCE);
          assertThat(status.isRunning()).isTrue();
          assertThat(status.endpoint()).isEqualTo(endpoint);
          assertThat(status.api()).isEqualTo(endpoint + "/api");
          assertThat(status.version()).isEqualTo("Release_12.0");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("setRawState serves a state name outside the table")
  void setRawStateServesAnUnknownName(VertxTestContext testContext) {
    simulator.setRawState(FIRST, "Frozen", false).compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          TenantStatus status = parse(response);
          assertThat(status.rawState()).isEqualTo("Frozen");
          assertThat(status.state()).isEqualTo(TenantState.UNKNOWN);
          assertThat(status.isRunning()).isFalse();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("failWith answers the status and Retry-After until the fault is cleared")
  void failWithAnswersTheStatus(VertxTestContext testContext) {
    simulator.failWith(FIRST, 503, 2).compose(done -> get(FIRST))
        .compose(failed -> {
          testContext.verify(() -> {
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(failed.getHeader("Retry-After")).isEqualTo("2");
            assertThat(failed.bodyAsJsonObject().getString("error")).isNotBlank();
          });
          return simulator.clearFault(FIRST).compose(done -> get(FIRST));
        })
        .onComplete(testContext.succeeding(recovered -> testContext.verify(() -> {
          assertThat(parse(recovered).state()).isEqualTo(TenantState.RUNNING);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("answerGarbage answers 200 with a body that does not parse")
  void answerGarbageDoesNotParse(VertxTestContext testContext) {
    simulator.answerGarbage(FIRST, "<html>oops</html>").compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsString()).isEqualTo("<html>oops</html>");
          assertThatThrownBy(() -> TenantStatus.parse(response.body())).isInstanceOf(StatusParseException.class);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("answerForOtherTenant serves a body naming the other tenant")
  void answerForOtherTenantNamesTheOther(VertxTestContext testContext) {
    simulator.answerForOtherTenant(FIRST, "Cust99").compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(parse(response).contextIdentifier()).isEqualTo("Cust99");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a removed tenant answers 404 with a JSON body and leaves the list")
  void removedTenantIsNotFound(VertxTestContext testContext) {
    simulator.removeTenant(SECOND).compose(done -> get(SECOND))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(404);
          assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("unknown-tenant");
          assertThat(simulator.tenantIds()).containsExactly(FIRST, "Cust10003");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown tenant answers 404 until it is added, then Running")
  void addedTenantRuns(VertxTestContext testContext) {
    get("Cust555")
        .compose(missing -> {
          testContext.verify(() -> {
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.bodyAsJsonObject().containsKey("message")).isTrue();
          });
          return simulator.addTenant("Cust555").compose(done -> get("Cust555"));
        })
        .onComplete(testContext.succeeding(added -> testContext.verify(() -> {
          TenantStatus status = parse(added);
          assertThat(status.state()).isEqualTo(TenantState.RUNNING);
          assertThat(status.endpoint()).isEqualTo("https://sod2.superoffice.com/Cust555");
          assertThat(simulator.tenantIds()).contains("Cust555");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a bad context identifier answers 400 with a JSON body that does not echo it")
  void badContextIsRefused(VertxTestContext testContext) {
    get("Evil42").onComplete(testContext.succeeding(response -> testContext.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("bad-context");
      assertThat(response.bodyAsString()).doesNotContain("Evil42");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("bad control calls fail clearly and change nothing")
  void badControlCallsChangeNothing(VertxTestContext testContext) {
    simulator.set("Cust777", TenantState.SUSPENDED)
        .onComplete(testContext.failing(unknown -> testContext.verify(() ->
            assertThat(unknown).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Cust777"))))
        .otherwiseEmpty()
        .compose(ignored -> simulator.failWith(FIRST, 200, null))
        .onComplete(testContext.failing(notAFailure -> testContext.verify(() ->
            assertThat(notAFailure).isInstanceOf(IllegalArgumentException.class))))
        .otherwiseEmpty()
        .compose(ignored -> simulator.set("not-a-tenant", TenantState.RUNNING))
        .otherwiseEmpty()
        .compose(ignored -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(parse(response).state()).isEqualTo(TenantState.RUNNING);
          assertThat(simulator.setValidity(Duration.ZERO).failed()).isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("setValidity moves ValidUntil")
  void setValidityMovesValidUntil(VertxTestContext testContext) {
    simulator.setValidity(Duration.ofMinutes(1)).compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(parse(response).validUntil()).isEqualTo(NOW.plusSeconds(60));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("setValidUntil gives every tenant the same ValidUntil until setValidity ends it")
  void setValidUntilFixesValidUntil(VertxTestContext testContext) {
    Instant herd = NOW.plusSeconds(42);
    simulator.setValidUntil(herd)
        .compose(done -> Future.all(get(FIRST), get(SECOND)))
        .compose(both -> {
          testContext.verify(() -> {
            assertThat(parse(both.resultAt(0)).validUntil()).isEqualTo(herd);
            assertThat(parse(both.resultAt(1)).validUntil()).isEqualTo(herd);
            assertThat(simulator.setValidUntil(null).failed()).isTrue();
          });
          return simulator.setValidity(Duration.ofMinutes(1));
        })
        .compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(parse(response).validUntil()).isEqualTo(NOW.plusSeconds(60));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a hanging tenant makes the client time out")
  void hangTimesOut(VertxTestContext testContext) {
    simulator.hang(FIRST)
        .compose(done -> client.getAbs(simulator.stateApiBaseUrl() + FIRST).timeout(300).send())
        .onComplete(testContext.failing(timedOut -> testContext.verify(() -> {
          assertThat(timedOut).hasMessageContaining("timeout");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a slow tenant makes a client with a shorter timeout time out")
  void slowTimesOut(VertxTestContext testContext) {
    simulator.answerSlowly(FIRST, Duration.ofSeconds(30))
        .compose(done -> client.getAbs(simulator.stateApiBaseUrl() + FIRST).timeout(300).send())
        .onComplete(testContext.failing(timedOut -> testContext.verify(() -> {
          assertThat(timedOut).hasMessageContaining("timeout");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a slow tenant still answers its status to a patient client")
  void slowAnswersEventually(VertxTestContext testContext) {
    simulator.answerSlowly(FIRST, Duration.ofMillis(50)).compose(done -> get(FIRST))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(parse(response).state()).isEqualTo(TenantState.RUNNING);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the counters count every request, per tenant and per second of the clock")
  void countersCount(VertxTestContext testContext) {
    get(FIRST).compose(r -> get(FIRST)).compose(r -> get(FIRST)).compose(r -> get(SECOND))
        .compose(r -> get("Evil42"))
        .onComplete(testContext.succeeding(last -> testContext.verify(() -> {
          assertThat(simulator.requestCount()).isEqualTo(5);
          assertThat(simulator.requestCount(FIRST)).isEqualTo(3);
          assertThat(simulator.requestCount(SECOND)).isEqualTo(1);
          assertThat(simulator.requestCount("Cust10003")).isZero();
          assertThat(simulator.requestsPerSecond()).containsExactly(Map.entry(NOW.getEpochSecond(), 5L));
          testContext.completeNow();
        })));
  }
}
