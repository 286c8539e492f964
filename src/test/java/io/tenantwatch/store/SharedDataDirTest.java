package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.config.StoreOptions;
import io.tenantwatch.support.ChildMain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second engine on the {@code store.dataDir} of a running one (issue 13): it refuses to start, naming
 * the directory, and the first engine's PostgreSQL goes on untouched and writing.
 */
@ExtendWith(VertxExtension.class)
class SharedDataDirTest {
  private static final long WAIT_S = 90;

  @TempDir
  Path dir;

  @Test
  @DisplayName("a second store on the data directory of a running one, in the same JVM, refuses to start and leaves the first writing")
  void secondStoreInThisJvmRefuses(Vertx vertx) throws Exception {
    Path dataDir = dir.resolve("data");
    TenantStore first = await(TenantStores.embedded(vertx, dataDir));
    await(first.begin());
    ProcessHandle server = EmbeddedPostgresServer.postmaster(dataDir).orElseThrow();

    StoreOptions options = new StoreOptions(StoreOptions.EMBEDDED, dataDir.toString(), null);
    Future<String> deployed = vertx.deployVerticle(StoreVerticle.of(options, Clock.systemUTC(), EngineMetrics.unscraped()));
    Throwable refused = TenantStoreContract.failure(deployed, "the second store");
    assertThat(refused.getMessage()).contains(dataDir.toAbsolutePath().normalize().toString()).contains("in use");

    assertFirstGoesOn(first, dataDir, server);
    await(first.close());
    // Once the first let go of the directory, a store starts on it again.
    TenantStore next = await(TenantStores.embedded(vertx, dataDir));
    assertThat(await(next.load(TenantStoreContract.NOW))).extracting(StoredTenant::tenant).contains("Cust76001");
    await(next.close());
  }

  @Test
  @DisplayName("a second engine on the data directory of a running one, in a JVM of its own, exits naming the directory and leaves the first writing")
  void secondEngineRefuses(Vertx vertx) throws Exception {
    Path dataDir = dir.resolve("data");
    TenantStore first = await(TenantStores.embedded(vertx, dataDir));
    await(first.begin());
    ProcessHandle server = EmbeddedPostgresServer.postmaster(dataDir).orElseThrow();

    JsonObject config = new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray())
        .put("stateApi", new JsonObject().put("baseUrl", "http://127.0.0.1:9/"))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()));
    Path configFile = Files.writeString(dir.resolve("second.json"), config.encode());
    Process second = ChildMain.start(configFile);
    String output;
    try {
      // Its output is read to the end, so the pipe never fills.
      output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(second.waitFor(WAIT_S, TimeUnit.SECONDS)).isTrue();
    } finally {
      second.destroyForcibly();
    }
    assertThat(second.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("could not start").contains(dataDir.toAbsolutePath().normalize().toString())
        .doesNotContain("left by an engine that did not stop");

    assertFirstGoesOn(first, dataDir, server);
    await(first.close());
  }

  /** The first store's PostgreSQL is the same process, alive, and takes and hands back a write. */
  private static void assertFirstGoesOn(TenantStore first, Path dataDir, ProcessHandle server) throws Exception {
    assertThat(server.isAlive()).as("the first engine's PostgreSQL runs").isTrue();
    assertThat(EmbeddedPostgresServer.postmaster(dataDir)).map(ProcessHandle::pid).contains(server.pid());
    await(first.write(List.of(TenantChange.watched("Cust76001", "admin"))));
    Map<String, String> origins = await(first.load(TenantStoreContract.NOW)).stream()
        .collect(Collectors.toMap(StoredTenant::tenant, StoredTenant::origin));
    assertThat(origins).containsEntry("Cust76001", "admin");
  }

}
