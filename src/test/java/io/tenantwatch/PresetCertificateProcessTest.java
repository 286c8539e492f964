package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.ChildMain;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine embedded far from the repository: the main in a process of its own whose working directory
 * is an empty temporary one (no {@code conf/certs} there), with {@code environment: online}. It must start
 * and trust SuperOffice's production certificate, read from the jar.
 */
class PresetCertificateProcessTest {
  private static final long START_TIMEOUT_S = 60;
  /** The SHA-1 thumbprint of {@code online-federated-login.crt}, as the engine logs the pinned keys. */
  private static final String ONLINE_THUMBPRINT = "60B61583DBB2B7EEC46FD01EC0056E62451D61F3";

  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Boolean> outcome = new CompletableFuture<>();
  private Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(START_TIMEOUT_S, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("environment online from a working directory without conf/certs starts, trusting online's certificate")
  void onlineFromElsewhere(@TempDir Path elsewhere) throws Exception {
    JsonObject config = new JsonObject()
        .put("environment", "online")
        // No tenant is watched, so nothing is polled; loopback all the same, never the internet.
        .put("stateApi", new JsonObject().put("baseUrl", "http://127.0.0.1:9/api/state/"))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "memory"))
        .put("shutdownTimeoutMs", 2_000);
    Path configFile = Files.writeString(elsewhere.resolve("tenantwatch.json"), config.encodePrettily());
    assertThat(elsewhere.resolve("conf")).doesNotExist();

    process = ChildMain.startIn(elsewhere, configFile);
    Thread reader = new Thread(this::readLines, "preset-certificate-output");
    reader.setDaemon(true);
    reader.start();

    boolean started = outcome.get(START_TIMEOUT_S, TimeUnit.SECONDS);
    assertThat(started).as("started; output:%n%s", String.join("\n", output)).isTrue();
    assertThat(output).as("the pinned keys it logged").anyMatch(line -> line.contains("webhook tokens: pinned keys")
        && line.contains("classpath:io/tenantwatch/certs/online-federated-login.crt (" + ONLINE_THUMBPRINT + ")"));
  }

  private void readLines() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        if (line.contains("tenantwatch is running")) {
          outcome.complete(true);
        } else if (line.contains("tenantwatch could not start")) {
          outcome.complete(false);
        }
      }
      outcome.complete(false);
    } catch (IOException e) {
      outcome.completeExceptionally(new UncheckedIOException(e));
    }
  }
}
