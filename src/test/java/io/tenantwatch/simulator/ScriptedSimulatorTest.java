package io.tenantwatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scripted simulator under a fixed clock: its own schedule never comes due, so each step happens
 * only when the test advances it.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The scripted simulator")
class ScriptedSimulatorTest {
  private static final Instant NOW = Instant.parse("2026-02-23T09:52:01Z");
  private static final SimulatorOptions OPTIONS = SimulatorOptions.defaults().withPort(0).withTenants(24);

  private Vertx vertx;
  private Simulator simulator;
  private WebClient client;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) {
    this.vertx = vertx;
    simulator = new Simulator(OPTIONS, Clock.fixed(NOW, ZoneOffset.UTC));
    client = WebClient.create(vertx);
    vertx.deployVerticle(simulator).onComplete(testContext.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> get(String ctx) {
    return client.getAbs(simulator.stateApiBaseUrl() + ctx).send();
  }

  private String playerOf(Scenario scenario) {
    return simulator.tenantIds().stream()
        .filter(ctx -> simulator.scenarioOf(ctx).orElseThrow() == scenario)
        .findFirst().orElseThrow();
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
  @DisplayName("the same seed gives the same scenarios, and the first twelve tenants cover them all")
  void assignmentIsDeterministic(VertxTestContext testContext) {
    Simulator twin = new Simulator(OPTIONS, Clock.fixed(NOW, ZoneOffset.UTC));
    vertx.deployVerticle(twin).onComplete(testContext.succeeding(id -> testContext.verify(() -> {
      List<String> ids = simulator.tenantIds();
      assertThat(ids).hasSize(24).startsWith("Cust10001", "Cust10002");
      assertThat(ids.stream().map(simulator::scenarioOf).toList())
          .isEqualTo(twin.tenantIds().stream().map(twin::scenarioOf).toList());
      assertThat(ids.subList(0, 12).stream().map(ctx -> simulator.scenarioOf(ctx).orElseThrow())
          .collect(Collectors.toSet())).containsExactlyInAnyOrder(Scenario.values());
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("each tenant starts by serving the first phase its scenario core yields")
  void startsWithTheFirstPhase(VertxTestContext testContext) {
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    List<String> ids = simulator.tenantIds();
    ids.forEach(ctx -> answers.add(get(ctx)));
    Future.all(answers).onComplete(testContext.succeeding(all -> testContext.verify(() -> {
      for (int index = 0; index < ids.size(); index++) {
        Phase first = Scenario.forTenant(OPTIONS.seed(), index).phase(0, Scenario.randomFor(OPTIONS.seed(), index));
        TenantStatus served = parse(answers.get(index).result());
        assertThat(served.rawState()).as(ids.get(index)).isEqualTo(first.rawState());
        assertThat(served.endpoint()).isEqualTo("https://" + first.host() + "/" + ids.get(index));
      }
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("advancing an upgrade shows OfflineMaintenance with a short ValidUntil, then a new Version")
  void upgradeAdvancesOnRequest(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.UPGRADE);
    simulator.advanceScenario(ctx).compose(done -> get(ctx))
        .compose(offline -> {
          testContext.verify(() -> {
            TenantStatus status = parse(offline);
            assertThat(status.state()).isEqualTo(TenantState.OFFLINE_MAINTENANCE);
            assertThat(status.validUntil()).isEqualTo(NOW.plus(Simulator.TRANSITIONAL_VALIDITY));
          });
          return simulator.advanceScenario(ctx).compose(done -> get(ctx));
        })
        .onComplete(testContext.succeeding(upgraded -> testContext.verify(() -> {
          TenantStatus status = parse(upgraded);
          assertThat(status.state()).isEqualTo(TenantState.RUNNING);
          assertThat(status.version()).isEqualTo(Scenario.version(1));
          assertThat(status.validUntil()).isEqualTo(NOW.plusMillis(OPTIONS.validityMs()));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("advancing an outage answers 503 with Retry-After 2")
  void outageAdvancesOnRequest(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.OUTAGE);
    simulator.advanceScenario(ctx).compose(done -> get(ctx))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(response.getHeader("Retry-After")).isEqualTo("2");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("advancing garbage answers 200 with a body that does not parse")
  void garbageAdvancesOnRequest(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.GARBAGE);
    simulator.advanceScenario(ctx).compose(done -> get(ctx))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThatThrownBy(() -> TenantStatus.parse(response.body())).isInstanceOf(StatusParseException.class);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("advancing a move serves the new endpoint and api")
  void moveAdvancesOnRequest(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.MOVE);
    simulator.advanceScenario(ctx).compose(done -> get(ctx))
        .onComplete(testContext.succeeding(response -> testContext.verify(() -> {
          TenantStatus status = parse(response);
          assertThat(status.endpoint()).isEqualTo("https://sod3.superoffice.com/" + ctx);
          assertThat(status.api()).isEqualTo(simulator.tenantApiUrl("sod3.superoffice.com", ctx));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a control call takes a tenant off its script, so the script no longer moves it")
  void controlCallLeavesTheScript(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.SUSPEND);
    simulator.set(ctx, TenantState.DELETED)
        .compose(done -> simulator.advanceScenario(ctx))
        .onComplete(testContext.failing(refused -> testContext.verify(() -> {
          assertThat(refused).isInstanceOf(IllegalStateException.class);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the scenario core and a tenant's Random agree with what is served after many steps")
  void servedPhasesFollowTheCore(VertxTestContext testContext) {
    int index = 5;
    String ctx = OPTIONS.tenantId(index);
    Scenario scenario = simulator.scenarioOf(ctx).orElseThrow();
    Random random = Scenario.randomFor(OPTIONS.seed(), index);
    List<Phase> expected = new ArrayList<>();
    for (int step = 0; step <= 6; step++) {
      expected.add(scenario.phase(step, random));
    }
    Future<Void> advanced = Future.succeededFuture();
    for (int step = 1; step <= 6; step++) {
      advanced = advanced.compose(done -> simulator.advanceScenario(ctx));
    }
    advanced.compose(done -> simulator.status(ctx))
        .onComplete(testContext.succeeding(status -> testContext.verify(() -> {
          Phase last = expected.get(6);
          assertThat(status.rawState()).isEqualTo(last.rawState());
          assertThat(status.version()).isEqualTo(last.version());
          testContext.completeNow();
        })));
  }
}
