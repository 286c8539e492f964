package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.ChildMain;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable main as an operator runs it, in a process of its own on the test classpath (nothing is
 * built for it): it starts, polls a simulator that this test runs, and on SIGTERM drains and exits 0
 * within {@code shutdownTimeoutMs}, without a line at WARN or ERROR.
 */
@ExtendWith(VertxExtension.class)
class MainProcessTest {
  private static final long SHUTDOWN_TIMEOUT_MS = 5_000;
  /** JVM exit after the last hook, on a loaded machine; the engine's own stop is bounded by the timeout. */
  private static final long EXIT_MARGIN_MS = 5_000;
  private static final long START_TIMEOUT_S = 60;
  private static final List<String> TENANTS = List.of("Cust34001", "Cust34002", "Cust34003");
  /** A log line's level as logback-test.xml writes it: {@code 12:00:00.000 WARN  [thread] ...}. */
  private static final Pattern NOISE = Pattern.compile("^\\S+ +(WARN|ERROR)\\b|Exception|^\\s+at ");

  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> running = new CompletableFuture<>();
  private Process process;
  private Thread reader;

  @AfterEach
  void killLeftovers() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static JsonObject config(String baseUrl) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(TENANTS))
        .put("stateApi", new JsonObject().put("baseUrl", baseUrl).put("requestTimeoutMs", 1_000)
            .put("minPollIntervalMs", 100).put("transitionalPollIntervalMs", 500).put("maxPollIntervalMs", 60_000)
            .put("jitterRatio", 0.0).put("retryMinMs", 100).put("retryMaxMs", 500))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "memory"))
        .put("shutdownTimeoutMs", SHUTDOWN_TIMEOUT_MS);
  }

  private Process startMain(Path configFile) throws IOException {
    Process started = ChildMain.start(configFile);
    reader = new Thread(() -> readLines(started), "main-process-output");
    reader.setDaemon(true);
    reader.start();
    return started;
  }

  private void readLines(Process started) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        if (line.contains("tenantwatch is running")) {
          running.complete(null);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("the main, sent SIGTERM, drains and exits 0 within shutdownTimeoutMs, with no WARN or ERROR line")
  void sigtermStopsCleanly(Vertx vertx, @TempDir Path dir) throws Exception {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(0).withScripted(false)
        .withValidityMs(200), Clock.systemUTC());
    vertx.deployVerticle(simulator).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    for (String tenant : TENANTS) {
      simulator.addTenant(tenant).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Path configFile = Files.writeString(dir.resolve("tenantwatch.json"),
        config(simulator.stateApiBaseUrl()).encodePrettily());

    process = startMain(configFile);
    running.get(START_TIMEOUT_S, TimeUnit.SECONDS);
    // Polling, and more than once per tenant: the engine is at work when the signal comes.
    Eventually.until(vertx, () -> Future.succeededFuture(simulator.requestCount()), n -> n >= 2L * TENANTS.size())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // SIGTERM, as Process.destroy() sends it on Linux, but through the handle: destroy() would also close
    // our end of the output pipe, and the lines the engine writes on its way down would be lost.
    assertThat(process.toHandle().destroy()).isTrue();
    boolean exited = process.waitFor(SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS, TimeUnit.MILLISECONDS);
    // The output ends with the process; this waits for its last lines to be read, not for time to pass.
    reader.join(EXIT_MARGIN_MS);

    assertThat(exited).as("exited within shutdownTimeoutMs and a margin; output:%n%s", String.join("\n", output))
        .isTrue();
    assertThat(process.exitValue()).as("exit code after a clean stop").isZero();
    assertThat(output).anyMatch(line -> line.contains("Drained: no poll in flight"))
        .anyMatch(line -> line.contains("tenantwatch stopped"))
        .noneMatch(line -> NOISE.matcher(line).find());
  }
}
