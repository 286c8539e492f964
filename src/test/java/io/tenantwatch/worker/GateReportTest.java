package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.resumeAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the gate reports on {@code tenantwatch.report}, as the engine's consumer receives it: this test's own
 * consumer on the same event bus stands in for the engine.
 */
@ExtendWith(VertxExtension.class)
class GateReportTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  private Vertx vertx;
  private RegistryProbe registry;
  private TenantApiServer server;
  /** The gate's clock for spacing reports; the test moves it. */
  private final AtomicLong nanos = new AtomicLong();
  private TenantGate gate;
  private TenantClient client;
  private final Queue<JsonObject> reports = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext testContext) {
    this.vertx = vertx;
    registry = new RegistryProbe(vertx);
    gate = new EventBusTenantGate(vertx, new TenantGateOptions("reporter"), nanos::get);
    client = TenantClient.create(vertx, gate);
    MessageConsumer<JsonObject> engine = vertx.eventBus().consumer(Addresses.REPORT, message -> {
      reports.add(message.body());
      message.reply(new JsonObject().put("tenant", message.body().getString("tenant")).put("poll", true));
    });
    engine.completion()
        .compose(listening -> registry.deploy(PATIENT))
        .compose(id -> gate.start())
        .compose(started -> TenantApiServer.start(vertx))
        .compose(started -> {
          server = started;
          return registry.deliver(gate.address(), resumeAt("Cust1", 1, server.api("Cust1/api")));
        })
        .onComplete(testContext.succeedingThenComplete());
  }

  /** Reports one more (for Cust2, which no call touches) and answers every report received up to it. */
  private Future<List<JsonObject>> reportsUpToAMarker() {
    gate.report("Cust2", Symptom.UNAVAILABLE, 503);
    return Eventually.until(vertx, () -> Future.succeededFuture(List.copyOf(reports)),
        all -> all.stream().anyMatch(r -> "Cust2".equals(r.getString("tenant"))))
        .map(all -> all.stream().filter(r -> !"Cust2".equals(r.getString("tenant"))).toList());
  }

  @Test
  @DisplayName("a 421 through TenantClient is returned as a response, counted, and reported once as wrong-host "
      + "with its status, the api called and the worker")
  void wrongHostReported(VertxTestContext testContext) {
    server.answer(421);
    client.get("Cust1", "/v1/Contact/1")
        .compose(response -> {
          testContext.verify(() -> assertThat(response.statusCode()).isEqualTo(421));
          return reportsUpToAMarker();
        })
        .onComplete(testContext.succeeding(received -> testContext.verify(() -> {
          assertThat(received).containsExactly(new JsonObject()
              .put("tenant", "Cust1")
              .put("symptom", "wrong-host")
              .put("status", 421)
              .put("api", server.api("Cust1/api"))
              .put("worker", "reporter"));
          assertThat(gate.calls().tenant("Cust1").failed(CallFailure.STATUS_421)).isEqualTo(1);
          assertThat(gate.isRunning("Cust1")).as("a report changes no gate").isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a storm of 100 calls answered 503 makes one report within the second, and another once the "
      + "second has passed")
  void stormReportedOnce(VertxTestContext testContext) {
    server.answer(503);
    List<Future<HttpResponse<Buffer>>> storm = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      storm.add(client.get("Cust1", "/v1/Contact/" + i));
    }
    Future.all(storm)
        .compose(answered -> reportsUpToAMarker())
        .compose(received -> {
          testContext.verify(() -> {
            assertThat(received).singleElement().satisfies(report -> {
              assertThat(report.getString("symptom")).isEqualTo("unavailable");
              assertThat(report.getInteger("status")).isEqualTo(503);
            });
            assertThat(gate.calls().total().failed(CallFailure.STATUS_503)).isEqualTo(100);
          });
          nanos.addAndGet(1_000_000_000L);
          reports.clear();
          return client.get("Cust1", "/v1/Contact/1");
        })
        .compose(again -> reportsUpToAMarker())
        .onComplete(testContext.succeeding(received -> testContext.verify(() -> {
          assertThat(received).hasSize(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a call to a closed port fails with the connection refused, and is reported unreachable without "
      + "a status")
  void connectionRefusedReported(VertxTestContext testContext) {
    // A port below the ephemeral range that nothing listens on: a server's port closed just before could be
    // handed to another socket's port 0 meanwhile, which answers with a reset, not a refusal.
    String gone = "http://127.0.0.1:" + FreePorts.loopback(1).get(0) + "/Cust1/api/";
    registry.deliver(gate.address(), resumeAt("Cust1", 2, gone))
        .compose(moved -> client.get("Cust1", "/v1/Contact/1").transform(Future::succeededFuture)
            .compose(refused -> {
              testContext.verify(() -> assertThat(refused.cause()).isInstanceOf(ConnectException.class));
              return reportsUpToAMarker();
            })
            .map(received -> {
              testContext.verify(() -> assertThat(received).containsExactly(new JsonObject()
                  .put("tenant", "Cust1").put("symptom", "unreachable").put("api", gone).put("worker", "reporter")));
              return received;
            }))
        .onComplete(testContext.succeeding(received -> testContext.verify(() -> {
          assertThat(gate.calls().tenant("Cust1").failed(CallFailure.CONNECTION)).isEqualTo(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a call failed with TenantCallFailed is reported by its status; a 500 and a 404 are not reported, "
      + "the 500 counted as another 5xx")
  void statusFailuresReported(VertxTestContext testContext) {
    gate.call("Cust1", api -> Future.failedFuture(new TenantCallFailed(504))).transform(Future::succeededFuture)
        .compose(failed -> gate.call("Cust1", api -> Future.failedFuture(new TenantCallFailed(500)))
            .transform(Future::succeededFuture))
        .compose(failed -> {
          server.answer(404);
          return client.get("Cust1", "/v1/Contact/404");
        })
        .compose(notFound -> reportsUpToAMarker())
        .onComplete(testContext.succeeding(received -> testContext.verify(() -> {
          assertThat(received).extracting(r -> r.getString("symptom") + ":" + r.getInteger("status"))
              .containsExactly("unavailable:504");
          CallCounts.Tally tally = gate.calls().tenant("Cust1");
          assertThat(tally.failed(CallFailure.STATUS_504)).isEqualTo(1);
          assertThat(tally.failed(CallFailure.OTHER_5XX)).isEqualTo(1);
          assertThat(tally.failedAtTenant()).isEqualTo(2);
          assertThat(tally.made()).isEqualTo(3);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a call made with Vert.x's own HttpClient is reported by its response's status too")
  void httpClientResponseReported(VertxTestContext testContext) {
    server.answer(502);
    HttpClient http = vertx.createHttpClient();
    gate.call("Cust1", api -> http.request(new RequestOptions().setAbsoluteURI(api + "v1/Contact/1"))
            .compose(HttpClientRequest::send))
        .compose(response -> {
          testContext.verify(() -> assertThat(response.statusCode()).isEqualTo(502));
          return reportsUpToAMarker();
        })
        .onComplete(testContext.succeeding(received -> testContext.verify(() -> {
          assertThat(received).extracting(r -> r.getString("symptom") + ":" + r.getInteger("status"))
              .containsExactly("unavailable:502");
          assertThat(gate.calls().tenant("Cust1").failed(CallFailure.STATUS_502)).isEqualTo(1);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a worker's own report is sent with the tenant's api; a tenant that is not a context identifier or "
      + "a status that is not HTTP's is refused and sends nothing")
  void explicitReport(VertxTestContext testContext) {
    assertThatThrownBy(() -> gate.report("acme", Symptom.WRONG_HOST, 421)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> gate.report("Cust1", Symptom.WRONG_HOST, 42)).isInstanceOf(IllegalArgumentException.class);
    gate.report("Cust1", Symptom.WRONG_HOST, 421);
    reportsUpToAMarker().onComplete(testContext.succeeding(received -> testContext.verify(() -> {
      assertThat(received).containsExactly(new JsonObject().put("tenant", "Cust1").put("symptom", "wrong-host")
          .put("status", 421).put("api", server.api("Cust1/api")).put("worker", "reporter"));
      testContext.completeNow();
    })));
  }
}
