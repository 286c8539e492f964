package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.ChildMain;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main with {@code conf/logback-json.xml} (what {@code TENANTWATCH_LOG_FORMAT=json scripts/run} selects),
 * in a process of its own: every line is a JSON object, and a tenant's transition line carries the tenant
 * id as a field.
 */
@ExtendWith(VertxExtension.class)
class JsonLogTest {
  private static final String CTX = "Cust65001";

  private Process process;

  @AfterEach
  void stopMain() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  @DisplayName("with conf/logback-json.xml each log line is JSON, and a tenant's step carries its id as a field")
  void tenantLinesCarryTheTenant(Vertx vertx, @TempDir Path dir) throws Exception {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(0).withScripted(false),
        Clock.systemUTC());
    vertx.deployVerticle(simulator).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    simulator.addTenant(CTX).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    JsonObject config = new JsonObject().put("environment", "custom").put("tenants", new JsonArray().add(CTX))
        .put("stateApi", new JsonObject().put("baseUrl", simulator.stateApiBaseUrl()))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        // Not the default embedded store: its dataDir would be the working directory's data/, the demo's.
        .put("store", new JsonObject().put("type", "memory"));
    Path configFile = Files.writeString(dir.resolve("tenantwatch.json"), config.encode());

    process = ChildMain.start(configFile, "-Dlogback.configurationFile=conf/logback-json.xml");
    CompletableFuture<JsonObject> transition = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(transition), "json-log-reader");
    reader.setDaemon(true);
    reader.start();

    JsonObject line = transition.get(60, TimeUnit.SECONDS);
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("loggerName")).isEqualTo("io.tenantwatch.tenant.TenantVerticle");
    assertThat(line.getJsonArray("kvpList")).containsExactly(new JsonObject().put("tenant", CTX));
    assertThat(line.getString("formattedMessage")).isEqualTo(CTX + ": Unknown -> Running (poll): resume seq 1");
  }

  /** Completes with the first transition line; fails on the first line that is not a JSON object. */
  private void read(CompletableFuture<JsonObject> transition) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonObject json;
        try {
          json = new JsonObject(line);
        } catch (DecodeException e) {
          transition.completeExceptionally(new AssertionError("not a JSON line: " + line));
          return;
        }
        if (json.getString("formattedMessage", "").contains("Unknown -> Running")) {
          transition.complete(json);
        }
      }
      transition.completeExceptionally(new AssertionError("the main ended without a transition line"));
    } catch (IOException e) {
      transition.completeExceptionally(e);
    }
  }
}
