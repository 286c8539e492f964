package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.ChildMain;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable main on the embedded store, killed with SIGKILL and started again on the same data
 * directory (R11): its PostgreSQL, left running by the killed engine, is stopped and started afresh, and
 * every tenant (configured or added by an operator), snapshot, history entry and seq is as it was.
 */
@ExtendWith(VertxExtension.class)
class KilledEngineTest {
  private static final List<String> CONFIGURED = List.of("Cust75001", "Cust75002", "Cust75003");
  private static final String ADDED = "Cust75009";
  private static final long WAIT_S = 90;
  private static final Pattern ADMIN_PORT = Pattern.compile("admin API on http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern STORE_PORT = Pattern.compile("embedded PostgreSQL on 127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  Path dir;
  private final List<Engine> engines = new CopyOnWriteArrayList<>();

  /** One run of the main, with its output read as it comes. */
  private static final class Engine {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final Thread reader;

    private Engine(Path configFile) throws IOException {
      process = ChildMain.start(configFile);
      reader = new Thread(this::read, "killed-engine-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
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

    int port(Pattern pattern) {
      for (String line : output) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      throw new AssertionError("no line matching " + pattern + " in:\n" + String.join("\n", output));
    }
  }

  @AfterEach
  void stopLeftovers() throws IOException {
    for (Engine engine : engines) {
      engine.process.destroyForcibly();
    }
    // The server a killed engine left is this test's doing; one still running would outlive the test.
    EmbeddedPostgresServer.postmaster(dir.resolve("data")).ifPresent(ProcessHandle::destroy);
  }

  private JsonObject config(String baseUrl) {
    return new JsonObject()
        .put("environment", "custom")
        .put("tenants", new JsonArray(CONFIGURED))
        .put("stateApi", new JsonObject().put("baseUrl", baseUrl).put("requestTimeoutMs", 1_000)
            .put("minPollIntervalMs", 100).put("transitionalPollIntervalMs", 60_000).put("maxPollIntervalMs", 60_000)
            .put("jitterRatio", 0.0).put("retryMinMs", 100).put("retryMaxMs", 500))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("store", new JsonObject().put("type", "embedded").put("dataDir", dir.resolve("data").toString()))
        .put("shutdownTimeoutMs", 5_000);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_S, TimeUnit.SECONDS);
  }

  private Engine start(Path configFile) throws Exception {
    Engine engine = new Engine(configFile);
    engines.add(engine);
    engine.running.get(WAIT_S, TimeUnit.SECONDS);
    return engine;
  }

  private static Future<JsonObject> admin(WebClient client, int port, io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", path).send()
        .map(r -> r.statusCode() == 200 && r.body() != null ? r.bodyAsJsonObject() : new JsonObject());
  }

  private static Map<String, JsonObject> views(Vertx vertx, WebClient client, int port, List<String> tenants)
      throws Exception {
    Map<String, JsonObject> views = new HashMap<>();
    for (String tenant : tenants) {
      views.put(tenant, await(admin(client, port, io.vertx.core.http.HttpMethod.GET, "/admin/tenants/" + tenant)));
    }
    return views;
  }

  @Test
  @DisplayName("an engine killed with SIGKILL and started again on its data directory finds every tenant, snapshot, history entry and seq")
  void killedEngineForgetsNothing(Vertx vertx) throws Exception {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(0).withScripted(false)
        .withValidityMs(120_000), Clock.systemUTC());
    await(vertx.deployVerticle(simulator));
    List<String> all = new java.util.ArrayList<>(CONFIGURED);
    all.add(ADDED);
    for (String tenant : all) {
      await(simulator.addTenant(tenant));
    }
    Path configFile = Files.writeString(dir.resolve("tenantwatch.json"), config(simulator.stateApiBaseUrl()).encode());
    WebClient client = WebClient.create(vertx);

    Engine first = start(configFile);
    int admin = first.port(ADMIN_PORT);
    await(client.put(admin, "127.0.0.1", "/admin/tenants/" + ADDED).send());
    for (String tenant : all) {
      await(Eventually.until(vertx, () -> admin(client, admin, io.vertx.core.http.HttpMethod.GET,
          "/admin/tenants/" + tenant), view -> Boolean.TRUE.equals(view.getBoolean("running"))));
    }
    // Changes after the first polls: a tenant goes down for maintenance, another moves.
    await(simulator.set("Cust75002", TenantState.OFFLINE_MAINTENANCE));
    await(simulator.setStatus("Cust75003", TenantState.RUNNING, "https://sod9.superoffice.com/Cust75003",
        "https://sod9.superoffice.com/Cust75003/api", "10.2"));
    await(admin(client, admin, io.vertx.core.http.HttpMethod.POST, "/admin/tenants/Cust75002/poll"));
    await(admin(client, admin, io.vertx.core.http.HttpMethod.POST, "/admin/tenants/Cust75003/poll"));
    Map<String, JsonObject> before = views(vertx, client, admin, all);
    assertThat(before.get("Cust75002").getBoolean("running")).isFalse();
    assertThat(before.get("Cust75003").getString("api")).contains("sod9");

    // The kill comes once the store holds what the views show (within a second, R11), read from its database.
    int storePort = first.port(STORE_PORT);
    Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(storePort)
        .setUser("postgres").setDatabase("postgres")).using(vertx).build();
    await(Eventually.until(vertx, () -> pool.query("SELECT tenant, seq FROM tenant").execute()
        .<Map<String, Long>>map(rows -> {
          Map<String, Long> seqs = new HashMap<>();
          for (Row row : rows) {
            seqs.put(row.getString("tenant"), row.getLong("seq"));
          }
          return seqs;
        }), seqs -> all.stream().allMatch(t -> before.get(t).getLong("seq").equals(seqs.get(t)))));
    await(pool.close());
    Optional<ProcessHandle> server = EmbeddedPostgresServer.postmaster(dir.resolve("data"));
    assertThat(server).as("the engine's PostgreSQL runs").isPresent();

    first.process.toHandle().destroyForcibly();
    assertThat(first.process.waitFor(WAIT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(server.get().isAlive()).as("SIGKILL leaves the engine's PostgreSQL running").isTrue();

    Engine second = start(configFile);
    assertThat(server.get().isAlive()).as("the left-over server was stopped").isFalse();
    assertThat(second.output).anyMatch(line -> line.contains("left by an engine that did not stop"));
    int admin2 = second.port(ADMIN_PORT);
    JsonObject list = await(admin(client, admin2, io.vertx.core.http.HttpMethod.GET, "/admin/tenants"));
    assertThat(list.getInteger("total")).isEqualTo(all.size());
    Map<String, JsonObject> after = views(vertx, client, admin2, all);
    for (String tenant : all) {
      assertSameTenant(before.get(tenant), after.get(tenant));
    }

    second.process.toHandle().destroy();
    assertThat(second.process.waitFor(WAIT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(second.process.exitValue()).isZero();
    second.reader.join(TimeUnit.SECONDS.toMillis(WAIT_S));
    assertThat(second.output).as("a graceful stop stores every change").noneMatch(line -> line.contains("did not take"))
        .anyMatch(line -> line.contains("embedded PostgreSQL stopped"));
    assertThat(EmbeddedPostgresServer.postmaster(dir.resolve("data"))).as("stopped with the engine").isEmpty();
  }

  /**
   * Everything the snapshot holds is as it was; the history goes on from where it was, and a command the
   * restart adds (an open tenant announcing itself) carries a seq above every one before.
   */
  private static void assertSameTenant(JsonObject before, JsonObject after) {
    String tenant = before.getString("tenant");
    for (String key : List.of("tenant", "state", "stateCode", "running", "endpoint", "api", "version", "validUntil",
        "lastPolledAt", "holdUntil")) {
      assertThat(after.getValue(key)).as("%s %s", tenant, key).isEqualTo(before.getValue(key));
    }
    JsonArray old = before.getJsonArray("history");
    JsonArray now = after.getJsonArray("history");
    assertThat(now.size()).as("%s history", tenant).isGreaterThanOrEqualTo(old.size());
    for (int i = 0; i < old.size(); i++) {
      assertThat(now.getJsonObject(i)).as("%s history entry %d", tenant, i).isEqualTo(old.getJsonObject(i));
    }
    for (int i = old.size(); i < now.size(); i++) {
      for (Object command : now.getJsonObject(i).getJsonArray("commands")) {
        assertThat(((JsonObject) command).getLong("seq")).as("%s seq after the restart", tenant)
            .isGreaterThan(before.getLong("seq"));
      }
    }
    assertThat(after.getLong("seq")).as("%s seq", tenant).isGreaterThanOrEqualTo(before.getLong("seq"));
  }
}
