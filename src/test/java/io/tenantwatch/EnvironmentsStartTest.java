package io.tenantwatch;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each SuperOffice environment's preset starts the engine with the real certificate from conf/certs/. */
@ExtendWith(VertxExtension.class)
class EnvironmentsStartTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sod", "stage", "online"})
  @DisplayName("the engine starts with SuperOffice's certificate for the environment pinned")
  void starts(String environment, Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject()
        .put("environment", environment)
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("type", "memory"));
    TenantWatch.deploy(vertx, config)
        .compose(TenantWatch::close)
        .onComplete(context.succeedingThenComplete());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"conf/certs/missing.crt", "pom.xml"})
  @DisplayName("a certificate that cannot be read or parsed stops the start with a message naming it")
  void badCertificate(String path, Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("type", "memory"))
        .put("webhook", new JsonObject().put("certificates", new io.vertx.core.json.JsonArray().add(path)));
    TenantWatch.deploy(vertx, config).onComplete(context.failing(failure -> context.verify(() -> {
      org.assertj.core.api.Assertions.assertThat(failure.getMessage()).contains(path);
      context.completeNow();
    })));
  }
}
