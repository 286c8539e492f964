package io.tenantwatch.worker;

import static io.tenantwatch.worker.Commands.pause;
import static io.tenantwatch.worker.Commands.resumeAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TenantClientTest {
  private static final DeliveryPolicy PATIENT = new DeliveryPolicy(5000, 5, 20);

  private RegistryProbe registry;
  private TenantApiServer server;
  private TenantGate gate;
  private TenantClient client;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext testContext) {
    registry = new RegistryProbe(vertx);
    gate = TenantGate.create(vertx, new TenantGateOptions("client"));
    client = TenantClient.create(vertx, gate);
    registry.deploy(PATIENT)
        .compose(id -> gate.start())
        .compose(started -> TenantApiServer.start(vertx))
        .compose(started -> {
          server = started;
          return registry.deliver(gate.address(), resumeAt("Cust1", 1, server.api("Cust1/api")));
        })
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("a path joins the api base with exactly one slash, and a URL or no path is refused")
  void pathJoining() {
    assertThat(GatedWebClient.join("https://sod.superoffice.com/Cust1/api/", GatedWebClient.relative("/v1/Contact/1")))
        .isEqualTo("https://sod.superoffice.com/Cust1/api/v1/Contact/1");
    assertThat(GatedWebClient.join("https://sod.superoffice.com/Cust1/api", GatedWebClient.relative("v1/Contact/1")))
        .isEqualTo("https://sod.superoffice.com/Cust1/api/v1/Contact/1");
    assertThat(GatedWebClient.join("https://sod.superoffice.com/Cust1/api//", GatedWebClient.relative("//v1?$top=5")))
        .isEqualTo("https://sod.superoffice.com/Cust1/api/v1?$top=5");
    assertThat(GatedWebClient.join("https://sod.superoffice.com/Cust1/api/", GatedWebClient.relative("")))
        .isEqualTo("https://sod.superoffice.com/Cust1/api/");
    assertThatThrownBy(() -> GatedWebClient.relative("https://elsewhere/v1")).hasMessageContaining("not a URL");
    assertThatThrownBy(() -> GatedWebClient.relative(null)).hasMessageContaining("path");
  }

  @Test
  @DisplayName("every method reaches the tenant's api with its body, asking for JSON")
  void methods(VertxTestContext testContext) {
    JsonObject contact = new JsonObject().put("Name", "Acme");
    client.get("Cust1", "/v1/Contact/1")
        .compose(r -> client.post("Cust1", "v1/Contact", contact))
        .compose(r -> client.post("Cust1", "/v1/Blob", Buffer.buffer("raw")))
        .compose(r -> client.put("Cust1", "/v1/Contact/1", contact))
        .compose(r -> client.put("Cust1", "/v1/Blob/1", Buffer.buffer("raw")))
        .compose(r -> client.patch("Cust1", "/v1/Contact/1", contact))
        .compose(r -> client.patch("Cust1", "/v1/Blob/1", Buffer.buffer("raw")))
        .compose(r -> client.delete("Cust1", "/v1/Contact/1"))
        .onComplete(testContext.succeeding(last -> testContext.verify(() -> {
          assertThat(last.statusCode()).isEqualTo(200);
          List<TenantApiServer.Received> received = server.received();
          assertThat(received).extracting(TenantApiServer.Received::method, TenantApiServer.Received::uri)
              .containsExactly(
                  tuple("GET", "/Cust1/api/v1/Contact/1"),
                  tuple("POST", "/Cust1/api/v1/Contact"),
                  tuple("POST", "/Cust1/api/v1/Blob"),
                  tuple("PUT", "/Cust1/api/v1/Contact/1"),
                  tuple("PUT", "/Cust1/api/v1/Blob/1"),
                  tuple("PATCH", "/Cust1/api/v1/Contact/1"),
                  tuple("PATCH", "/Cust1/api/v1/Blob/1"),
                  tuple("DELETE", "/Cust1/api/v1/Contact/1"));
          assertThat(received).extracting(TenantApiServer.Received::body)
              .containsExactly("", contact.encode(), "raw", contact.encode(), "raw", contact.encode(), "raw", "");
          assertThat(received.get(1).headers().get("Content-Type")).startsWith("application/json");
          assertThat(received).allSatisfy(r -> assertThat(r.headers().get("Accept")).isEqualTo("application/json"));
          assertThat(gate.calls().tenant("Cust1").made()).isEqualTo(8);
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("the headers hook gives each request its tenant's headers, replacing the client's own of that name")
  void headersHook(VertxTestContext testContext) {
    client.headers(ctx -> Future.succeededFuture(MultiMap.caseInsensitiveMultiMap()
        .set("Authorization", "Bearer token-" + ctx)
        .set("Accept", "application/xml")));
    client.get("Cust1", "/v1/Contact/1").onComplete(testContext.succeeding(response -> testContext.verify(() -> {
      MultiMap headers = server.received().get(0).headers();
      assertThat(headers.get("Authorization")).isEqualTo("Bearer token-Cust1");
      assertThat(headers.getAll("Accept")).containsExactly("application/xml");
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a closed tenant, a failed headers hook and a bad path make no request")
  void noRequestWhenRefused(VertxTestContext testContext) {
    client.headers(ctx -> Future.failedFuture("no token for " + ctx));
    client.get("Cust1", "/v1/Contact/1").transform(Future::succeededFuture)
        .compose(noToken -> {
          testContext.verify(() -> assertThat(noToken.cause()).hasMessage("no token for Cust1"));
          return client.get("Cust1", "https://elsewhere.example/v1").transform(Future::succeededFuture);
        })
        .compose(badPath -> {
          testContext.verify(() -> assertThat(badPath.cause()).isInstanceOf(IllegalArgumentException.class));
          return registry.deliver(gate.address(), pause("Cust1", 2));
        })
        .compose(paused -> client.get("Cust1", "/v1/Contact/1").transform(Future::succeededFuture))
        .onComplete(testContext.succeeding(closed -> testContext.verify(() -> {
          assertThat(closed.cause()).isInstanceOf(TenantClosed.class);
          assertThat(server.received()).isEmpty();
          assertThat(gate.calls().tenant("Cust1").refused()).isEqualTo(1);
          testContext.completeNow();
        })));
  }
}
