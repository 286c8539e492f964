package io.tenantwatch.simulator;

import static io.tenantwatch.simulator.TenantCallOutcome.ANSWERED;
import static io.tenantwatch.simulator.TenantCallOutcome.DOWN;
import static io.tenantwatch.simulator.TenantCallOutcome.NOT_FOUND;
import static io.tenantwatch.simulator.TenantCallOutcome.WRONG_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The simulated tenants' own APIs, on the simulator's port, under a fixed clock: the scripted schedule
 * never comes due, so each step happens only when the test advances it.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The simulator's tenant APIs")
class SimulatedTenantApiTest {
  private static final Instant NOW = Instant.parse("2026-02-23T09:52:01Z");
  private static final SimulatorOptions OPTIONS = SimulatorOptions.defaults().withPort(0).withTenants(12);
  private static final String SOD2 = "sod2.superoffice.com";
  private static final String SOD3 = "sod3.superoffice.com";

  private Simulator simulator;
  private WebClient client;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext testContext) {
    simulator = new Simulator(OPTIONS, Clock.fixed(NOW, ZoneOffset.UTC));
    client = WebClient.create(vertx);
    vertx.deployVerticle(simulator).onComplete(testContext.succeedingThenComplete());
  }

  private String playerOf(Scenario scenario) {
    return simulator.tenantIds().stream()
        .filter(ctx -> simulator.scenarioOf(ctx).orElseThrow() == scenario)
        .findFirst().orElseThrow();
  }

  private Future<HttpResponse<Buffer>> call(HttpMethod method, String url) {
    return client.requestAbs(method, url).send();
  }

  private Future<HttpResponse<Buffer>> get(String url) {
    return call(HttpMethod.GET, url);
  }

  private Future<TenantStatus> state(String ctx) {
    return client.getAbs(simulator.stateApiBaseUrl() + ctx).send().map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      try {
        return TenantStatus.parse(response.body());
      } catch (StatusParseException e) {
        throw new AssertionError("the body does not parse: " + e.getMessage(), e);
      }
    });
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String error) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo(error);
  }

  @Test
  @DisplayName("the state API serves each tenant's api on the simulator, with its host as a path segment, and keeps SuperOffice's endpoint")
  void servesTheApiOnTheSimulator(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.UPGRADE);
    state(ctx).onComplete(testContext.succeeding(status -> testContext.verify(() -> {
      assertThat(status.api())
          .isEqualTo("http://127.0.0.1:" + simulator.port() + "/hosts/sod2.superoffice.com/" + ctx + "/api")
          .isEqualTo(simulator.tenantApiUrl(SOD2, ctx));
      assertThat(status.endpoint()).isEqualTo("https://sod2.superoffice.com/" + ctx);
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a running tenant answers any method on any path under its api with 200 and a small JSON body")
  void runningTenantAnswers(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.UPGRADE);
    String api = simulator.tenantApiUrl(SOD2, ctx);
    Future.all(get(api + "/v1/Contact/1"), call(HttpMethod.POST, api + "/v1/Sale"), get(api))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          HttpResponse<Buffer> contact = all.resultAt(0);
          assertThat(contact.statusCode()).isEqualTo(200);
          assertThat(contact.getHeader("Content-Type")).startsWith("application/json");
          assertThat(contact.bodyAsJsonObject()).isEqualTo(new JsonObject()
              .put("tenant", ctx).put("host", SOD2).put("method", "GET").put("path", "/v1/Contact/1"));
          HttpResponse<Buffer> sale = all.resultAt(1);
          assertThat(sale.statusCode()).isEqualTo(200);
          assertThat(sale.bodyAsJsonObject().getString("method")).isEqualTo("POST");
          HttpResponse<Buffer> base = all.resultAt(2);
          assertThat(base.statusCode()).isEqualTo(200);
          assertThat(base.bodyAsJsonObject().getString("path")).isEqualTo("/");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("during an upgrade the same url answers 503 while the state API says not running, and 200 once it is back")
  void upgradeAnswers503(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.UPGRADE);
    String url = simulator.tenantApiUrl(SOD2, ctx) + "/v1/Contact/1";
    simulator.advanceScenario(ctx)
        .compose(down -> Future.all(state(ctx), get(url)))
        .compose(down -> {
          testContext.verify(() -> {
            TenantStatus status = down.resultAt(0);
            assertThat(status.state()).isEqualTo(TenantState.OFFLINE_MAINTENANCE);
            assertThat(status.running()).isFalse();
            assertThat(status.api()).isEqualTo(simulator.tenantApiUrl(SOD2, ctx));
            HttpResponse<Buffer> call = down.resultAt(1);
            assertError(call, 503, "tenant-down");
            assertThat(call.bodyAsJsonObject().getString("message")).isEqualTo(ctx + " is OfflineMaintenance");
          });
          return simulator.advanceScenario(ctx).compose(back -> get(url));
        })
        .onComplete(testContext.succeeding(back -> testContext.verify(() -> {
          assertThat(back.statusCode()).isEqualTo(200);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("after a move the old url answers 421 \"Wrong subdomain used to access tenant\", the new one 200, and the state API shows the new host")
  void moveAnswers421OnTheOldHost(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.MOVE);
    String oldUrl = simulator.tenantApiUrl(SOD2, ctx) + "/v1/Contact/1";
    String newUrl = simulator.tenantApiUrl(SOD3, ctx) + "/v1/Contact/1";
    Future.all(get(oldUrl), get(newUrl))
        .compose(before -> {
          testContext.verify(() -> {
            assertThat(before.<HttpResponse<Buffer>>resultAt(0).statusCode()).isEqualTo(200);
            assertThat(before.<HttpResponse<Buffer>>resultAt(1).statusCode())
                .as("a host the tenant never lived on").isEqualTo(421);
          });
          return simulator.advanceScenario(ctx);
        })
        .compose(moved -> Future.all(state(ctx), get(oldUrl), get(newUrl)))
        .onComplete(testContext.succeeding(after -> testContext.verify(() -> {
          TenantStatus status = after.resultAt(0);
          assertThat(status.endpoint()).isEqualTo("https://sod3.superoffice.com/" + ctx);
          assertThat(status.api()).isEqualTo(simulator.tenantApiUrl(SOD3, ctx));
          HttpResponse<Buffer> old = after.resultAt(1);
          assertError(old, 421, "wrong-subdomain");
          assertThat(old.bodyAsJsonObject().getString("message")).isEqualTo("Wrong subdomain used to access tenant");
          HttpResponse<Buffer> moved = after.resultAt(2);
          assertThat(moved.statusCode()).isEqualTo(200);
          assertThat(moved.bodyAsJsonObject().getString("host")).isEqualTo(SOD3);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a moved tenant that is down answers 421 on its old host and 503 on its new one")
  void wrongHostComesBeforeDown(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.STEADY);
    String moved = simulator.tenantApiUrl(SOD3, ctx);
    simulator.setStatus(ctx, TenantState.SUSPENDED, "https://sod3.superoffice.com/" + ctx, moved, null)
        .compose(done -> Future.all(get(simulator.tenantApiUrl(SOD2, ctx) + "/v1/x"), get(moved + "/v1/x")))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertError(all.resultAt(0), 421, "wrong-subdomain");
          assertError(all.resultAt(1), 503, "tenant-down");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the API is up as IsRunning says: OnlineMaintenance answers 200, a Frozen tenant not running answers 503")
  void followsIsRunning(VertxTestContext testContext) {
    String maintained = playerOf(Scenario.STEADY);
    String frozen = playerOf(Scenario.SUSPEND);
    simulator.set(maintained, TenantState.ONLINE_MAINTENANCE)
        .compose(done -> simulator.setRawState(frozen, "Frozen", false))
        .compose(done -> Future.all(get(simulator.tenantApiUrl(SOD2, maintained) + "/v1/x"),
            get(simulator.tenantApiUrl(SOD2, frozen) + "/v1/x")))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertThat(all.<HttpResponse<Buffer>>resultAt(0).statusCode()).isEqualTo(200);
          assertError(all.resultAt(1), 503, "tenant-down");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a state-API fault is not a tenant outage: the tenant's own API still answers 200")
  void stateApiFaultsStayOnTheStateApi(VertxTestContext testContext) {
    String ctx = playerOf(Scenario.STEADY);
    simulator.failWith(ctx, 503, 2)
        .compose(done -> Future.all(client.getAbs(simulator.stateApiBaseUrl() + ctx).send(),
            get(simulator.tenantApiUrl(SOD2, ctx) + "/v1/x")))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          assertThat(all.<HttpResponse<Buffer>>resultAt(0).statusCode()).isEqualTo(503);
          assertThat(all.<HttpResponse<Buffer>>resultAt(1).statusCode()).isEqualTo(200);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown tenant, a bad identifier and a path that is no api answer 404 JSON")
  void unknownAnswers404(VertxTestContext testContext) {
    String origin = "http://127.0.0.1:" + simulator.port();
    String removed = playerOf(Scenario.DELETE);
    simulator.removeTenant(removed)
        .compose(done -> Future.all(
            get(simulator.tenantApiUrl(SOD2, "Cust99999") + "/v1/x"),
            get(origin + "/hosts/" + SOD2 + "/nobody/api/v1/x"),
            get(origin + "/hosts/" + SOD2 + "/" + removed + "/web/x"),
            get(simulator.tenantApiUrl(SOD2, removed) + "/v1/x")))
        .onComplete(testContext.succeeding(all -> testContext.verify(() -> {
          HttpResponse<Buffer> unknown = all.resultAt(0);
          assertError(unknown, 404, "unknown-tenant");
          assertThat(unknown.bodyAsJsonObject().getString("message")).isEqualTo("there is no tenant Cust99999");
          HttpResponse<Buffer> bad = all.resultAt(1);
          assertError(bad, 404, "unknown-tenant");
          assertThat(bad.bodyAsString()).doesNotContain("nobody");
          assertError(all.resultAt(2), 404, "unknown-tenant");
          assertError(all.resultAt(3), 404, "unknown-tenant");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("every call is counted per tenant and per outcome, apart from the state API's requests")
  void countsPerTenantAndOutcome(VertxTestContext testContext) {
    String mover = playerOf(Scenario.MOVE);
    String upgrader = playerOf(Scenario.UPGRADE);
    String sod2 = simulator.tenantApiUrl(SOD2, mover) + "/v1/x";
    String upgraderUrl = simulator.tenantApiUrl(SOD2, upgrader) + "/v1/x";
    long stateRequests = simulator.requestCount();
    get(sod2).compose(r -> get(sod2)).compose(r -> get(upgraderUrl))
        .compose(r -> simulator.advanceScenario(mover))
        .compose(r -> simulator.advanceScenario(upgrader))
        .compose(r -> get(sod2))
        .compose(r -> get(simulator.tenantApiUrl(SOD3, mover) + "/v1/x"))
        .compose(r -> get(upgraderUrl))
        .compose(r -> get(simulator.tenantApiUrl(SOD2, "Cust99999")))
        .compose(r -> get("http://127.0.0.1:" + simulator.port() + "/hosts/nowhere"))
        .onComplete(testContext.succeeding(r -> testContext.verify(() -> {
          assertThat(simulator.tenantCalls(mover)).isEqualTo(Map.of(ANSWERED, 3L, WRONG_HOST, 1L));
          assertThat(simulator.tenantCalls(upgrader)).isEqualTo(Map.of(ANSWERED, 1L, DOWN, 1L));
          assertThat(simulator.tenantCalls("Cust99999")).isEqualTo(Map.of(NOT_FOUND, 1L));
          assertThat(simulator.tenantCalls(playerOf(Scenario.STEADY))).isEmpty();
          assertThat(simulator.tenantCalls())
              .isEqualTo(Map.of(ANSWERED, 4L, DOWN, 1L, WRONG_HOST, 1L, NOT_FOUND, 2L));
          assertThat(simulator.requestCount()).as("the state API's own count").isEqualTo(stateRequests);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("tenantApiUrl refuses a bad identifier or a host that is not bare")
  void tenantApiUrlRefusesBadInput() {
    assertThatThrownBy(() -> simulator.tenantApiUrl(SOD2, "nobody")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> simulator.tenantApiUrl("https://sod2.superoffice.com/x", "Cust1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bare host");
    assertThatThrownBy(() -> simulator.tenantApiUrl(null, "Cust1")).isInstanceOf(IllegalArgumentException.class);
  }
}
