package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.config.StateApiOptions;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A state API that answers a {@code ValidUntil} in the year 9999, under the largest poll interval and a
 * jitter the config allows: the schedule saturates at the cap and the tenant goes on being served, never
 * crash-looping on the poll (the jitter of eight thousand years in nanoseconds overflowed a long).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FarValidUntilTest {
  private static final String CTX = "Cust20901";
  private static final Instant YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z");

  private TestEngine env;

  @AfterEach
  void stop(VertxTestContext context) {
    (env == null ? io.vertx.core.Future.succeededFuture() : env.engine.close().mapEmpty())
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("R6: a ValidUntil in year 9999 schedules the next poll at maxPollIntervalMs and the tenant stays served")
  void yearNineThousandNineHundredNinetyNine(Vertx vertx, VertxTestContext context) {
    JsonObject overrides = new JsonObject().put("stateApi", new JsonObject()
        .put("jitterRatio", 0.1).put("maxPollIntervalMs", StateApiOptions.MAX_INTERVAL_MS));
    TestEngine.start(vertx, overrides, CTX)
        .compose(started -> {
          env = started;
          return env.simulator.setValidUntil(YEAR_9999);
        })
        // A forced poll joins one already in flight (R8), which may have been answered before the change:
        // the timer's polls bring year 9999 first, then the forced poll must still succeed with it.
        .compose(v -> env.viewUntil(CTX, view -> view.getString("validUntil") != null
            && Instant.parse(view.getString("validUntil")).equals(YEAR_9999)))
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"))
        .compose(polled -> {
          context.verify(() -> {
            assertThat(polled.statusCode()).as(polled.bodyAsString()).isEqualTo(200);
            JsonObject view = polled.bodyAsJsonObject();
            assertThat(Instant.parse(view.getString("validUntil"))).isEqualTo(YEAR_9999);
            assertThat(Instant.parse(view.getString("nextPollAt")))
                .isBefore(Instant.now().plus(Duration.ofMillis(StateApiOptions.MAX_INTERVAL_MS)).plusSeconds(60));
          });
          return env.admin(HttpMethod.GET, "/admin/tenants/" + CTX);
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.statusCode()).as("the tenant is still served").isEqualTo(200);
          assertThat(view.bodyAsJsonObject().getBoolean("running")).isTrue();
          context.completeNow();
        })));
  }
}
