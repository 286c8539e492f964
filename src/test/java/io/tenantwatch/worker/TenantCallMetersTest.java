package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.resumeAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TenantCallMetersTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  @Test
  @DisplayName("a gate's call totals show as tenantwatch_worker_calls_total by worker and outcome, without tenant "
      + "ids, until the meters are closed")
  void totalsByOutcome(Vertx vertx, VertxTestContext testContext) {
    RegistryProbe registry = new RegistryProbe(vertx);
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("metered"));
    TenantClient client = TenantClient.create(vertx, gate);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TenantCallMeters bound = TenantCallMeters.bind(meters, "metered", gate);
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> TenantApiServer.start(vertx))
        .compose(server -> registry.deliver(gate.address(), resumeAt("Cust1", 1, server.answer(421).api("Cust1"))))
        .compose(open -> client.get("Cust1", "/v1/Contact/1"))
        .compose(moved -> client.get("Cust1", "/v1/Contact/2"))
        .compose(moved -> client.get("Cust2", "/v1/Contact/1").transform(refused -> Future.succeededFuture()))
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          String scrape = meters.scrape();
          assertThat(scrape)
              .contains("tenantwatch_worker_calls_total{outcome=\"made\",worker=\"metered\"} 2.0")
              .contains("tenantwatch_worker_calls_total{outcome=\"refused\",worker=\"metered\"} 1.0")
              .contains("tenantwatch_worker_calls_total{outcome=\"failed-421\",worker=\"metered\"} 2.0")
              .contains("tenantwatch_worker_calls_total{outcome=\"failed-503\",worker=\"metered\"} 0.0")
              .contains("tenantwatch_worker_calls_total{outcome=\"failed-connection\",worker=\"metered\"} 0.0")
              .contains("tenantwatch_worker_calls_in_flight{worker=\"metered\"} 0.0")
              .doesNotContain("Cust1");
          JsonObject failed = new JsonObject().put("421", 2).put("502", 0).put("503", 0).put("504", 0).put("5xx", 0)
              .put("connection", 0);
          assertThat(gate.calls().toJson()).as("the counts as the dashboard will read them").isEqualTo(new JsonObject()
              .put("total", new JsonObject().put("made", 2).put("refused", 1).put("failed", failed).put("inFlight", 0))
              .put("tenants", new JsonObject()
                  .put("Cust1", new JsonObject().put("made", 2).put("refused", 0).put("failed", failed)
                      .put("inFlight", 0))
                  .put("Cust2", new JsonObject().put("made", 0).put("refused", 1).put("failed", failed.copy()
                      .put("421", 0)).put("inFlight", 0))));
          bound.close();
          assertThat(meters.scrape()).doesNotContain("tenantwatch_worker_calls");
          testContext.completeNow();
        })));
  }
}
