package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runnable jar's Vert.x has Micrometer metrics on: the engine's {@code /metrics} then shows Vert.x's
 * own HTTP, event-bus and pool meters beside the engine's, still without a tenant id in any label.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class VertxMetricsTest {
  private static final String CTX = "Cust63001";

  @Test
  @DisplayName("on a Vert.x with Micrometer metrics, /metrics shows Vert.x's HTTP, event-bus and pool meters too")
  void vertxMetersJoinTheEngines(VertxTestContext context) {
    Vertx vertx = Vertx.vertx(Main.vertxOptions());
    TestEngine.start(vertx, CTX)
        .compose(env -> env.viewUntil(CTX, view -> view.getString("lastPolledAt") != null)
            .compose(polled -> env.admin(HttpMethod.GET, "/admin/tenants"))
            .compose(listed -> env.admin(HttpMethod.GET, "/metrics"))
            .compose(scraped -> env.engine.close().map(scraped.bodyAsString())))
        .onComplete(scraped -> {
          context.verify(() -> {
            assertThat(scraped.succeeded()).as("scraped: %s", scraped.cause()).isTrue();
            assertThat(scraped.result()).contains("vertx_http_server_requests_total",
                "vertx_http_client_requests_total", "vertx_eventbus_handlers", "vertx_pool_",
                "jvm_memory_used_bytes", "tenantwatch_polls_total", "tenantwatch_tenants{state=\"Running\"} 1.0");
            assertThat(scraped.result()).doesNotContain("Cust");
          });
          // This test's own Vert.x goes, whatever the outcome; the context completes outside it.
          vertx.close().onComplete(closed -> context.completeNow());
        });
  }
}
