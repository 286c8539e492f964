package io.tenantwatch.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.support.ChildMain;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code scripts/cluster}, run as an operator runs it but from this test run's class path
 * ({@code TENANTWATCH_CLASSPATH}, so nothing is built) on ports of its own ({@code TENANTWATCH_CLUSTER_PORT})
 * and in a directory of its own ({@code TENANTWATCH_CLUSTER_DIR}): its nodes come up ready and hold every
 * shard between them, and Ctrl-C (SIGINT to the script) stops every process it started, PostgreSQL's
 * server included.
 */
@ExtendWith(VertxExtension.class)
class ClusterScriptTest {
  private static final Path SCRIPT = Path.of("scripts/cluster").toAbsolutePath();
  /** PostgreSQL's initdb and two clustered JVMs starting at once on a loaded 2-core machine. */
  private static final long START_S = 240;
  /** Each node's stop is bounded by its shutdownTimeoutMs (10 s), PostgreSQL's by a few seconds. */
  private static final long STOP_S = 90;
  private static final String TABLE_END = "Ctrl-C stops every node";

  @TempDir
  Path dir;

  private final List<String> output = new CopyOnWriteArrayList<>();
  private final List<ProcessHandle> started = new ArrayList<>();
  private WebClient client;
  private Process script;

  @BeforeEach
  void client(Vertx vertx) {
    client = WebClient.create(vertx);
  }

  @AfterEach
  void killLeftovers() {
    if (script != null && script.isAlive()) {
      script.destroyForcibly();
    }
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  @DisplayName("scripts/cluster 2 starts PostgreSQL and two ready nodes that hold every shard between them; "
      + "Ctrl-C stops them all and leaves no process behind")
  void runsAClusterUntilCtrlC(Vertx vertx) throws Exception {
    int base = freeBase(2);
    CompletableFuture<Void> table = new CompletableFuture<>();

    script = start(base, "2");
    CompletableFuture<Void> outputEnded = read(script, table);
    table.get(START_S, TimeUnit.SECONDS);

    List<ProcessHandle> nodes = List.of(pidFile("node-1.pid"), pidFile("node-2.pid"));
    ProcessHandle postgres = pidFile("postgres.pid");
    ProcessHandle postmaster = pidFile("postgres/postmaster.pid");
    started.addAll(nodes);
    started.addAll(List.of(postgres, postmaster));
    List<ProcessHandle> descendants = script.toHandle().descendants().toList();
    started.addAll(descendants);
    assertThat(String.join("\n", output)).contains(
        "2      node-2   " + nodes.get(1).pid() + " ",
        "http://127.0.0.1:" + (base + 21) + "/admin/",
        "http://127.0.0.1:" + (base + 20) + " ",
        dir.resolve("node-2.log").toString());

    for (int http : List.of(base + 10, base + 20)) {
      JsonObject ready = client.get(http, "127.0.0.1", "/ready").send()
          .map(response -> {
            assertThat(response.statusCode()).as("/ready on %d: %s", http, response.bodyAsString()).isEqualTo(200);
            return response.bodyAsJsonObject();
          })
          .await(30, TimeUnit.SECONDS);
      assertThat(ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(check -> check.getString("id").equals("cluster")).findFirst().orElseThrow().getString("status"))
          .isEqualTo("UP");
    }
    Row leases = Eventually.until(vertx, () -> heldLeases(vertx, base),
            row -> row.getLong("held") == ClusterOptions.DEFAULT_SHARDS && row.getLong("owners") == 2)
        .await(START_S, TimeUnit.SECONDS);
    assertThat(leases.getArrayOfStrings("names")).containsExactlyInAnyOrder("node-1", "node-2");

    // Ctrl-C, as the terminal sends it to the script (its background JVMs ignore SIGINT).
    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(script.pid())).start().waitFor()).isZero();
    boolean exited = script.waitFor(STOP_S, TimeUnit.SECONDS);
    if (exited) {
      outputEnded.get(STOP_S, TimeUnit.SECONDS); // its last lines may still be on their way to the reader
    }

    String log = String.join("\n", output);
    assertThat(exited).as("the script ended; output:%n%s", log).isTrue();
    assertThat(script.exitValue()).as("exit code; output:%n%s", log).isEqualTo(130);
    assertThat(output).contains("node-1 stopped (exit 0)", "node-2 stopped (exit 0)", "PostgreSQL stopped (exit 0)");
    assertThat(Stream.concat(started.stream(), script.toHandle().descendants()).filter(ProcessHandle::isAlive))
        .as("processes left running").isEmpty();
    assertThat(dir.resolve("node-1.pid")).doesNotExist();
  }

  @Test
  @DisplayName("scripts/cluster refuses at once to start when a port it would listen on is in use, naming it")
  void refusesBusyPorts() throws Exception {
    int base = freeBase(3);
    try (ServerSocket taken = new ServerSocket(base + 21, 1, InetAddress.getLoopbackAddress())) {
      script = start(base, "3");
      String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(script.exitValue()).as(out).isEqualTo(1);
      assertThat(out).contains("in use on 127.0.0.1: " + (base + 21) + " (node-2 admin)")
          .contains("TENANTWATCH_CLUSTER_PORT=");
      assertThat(dir.resolve("postgres")).as("nothing started").doesNotExist();
    }
  }

  @Test
  @DisplayName("scripts/cluster takes 1 to 9 nodes and answers anything else with its usage")
  void refusesABadCount() throws Exception {
    for (String count : List.of("0", "10", "three")) {
      script = start(8100, count);
      String out = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(script.exitValue()).as(out).isEqualTo(2);
      assertThat(out).startsWith("usage: scripts/cluster [N]");
    }
  }

  private Process start(int base, String... args) throws IOException {
    // As from a terminal: SIGINT at its default, even when this JVM was started as a background job (which ignores
    // it, and a shell cannot trap a signal ignored when it started, so Ctrl-C would never reach the script's trap).
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", "bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TENANTWATCH_CLASSPATH", ChildMain.absoluteClassPath());
    env.put("JAVA_OPTS", String.join(" ", ChildMain.hazelcastFlags()));
    env.put("TENANTWATCH_CLUSTER_PORT", Integer.toString(base));
    env.put("TENANTWATCH_CLUSTER_DIR", dir.toString());
    return builder.start();
  }

  /**
   * Reads the script's output into {@link #output} on a thread of its own; {@code table} completes at the end of
   * its table of nodes. Answers the end of its output: the process may have exited before its last lines were read.
   */
  private CompletableFuture<Void> read(Process process, CompletableFuture<Void> table) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
          if (line.startsWith(TABLE_END)) {
            table.complete(null);
          }
        }
        table.completeExceptionally(new IllegalStateException("the script ended before its table: "
            + String.join("\n", output)));
        ended.complete(null);
      } catch (IOException e) {
        table.completeExceptionally(e);
        ended.completeExceptionally(e);
      }
    }, "cluster-script-output");
    reader.setDaemon(true);
    reader.start();
    return ended;
  }

  /** The process whose pid is the first line of {@code file} under the cluster's directory. */
  private ProcessHandle pidFile(String file) throws IOException {
    long pid = Long.parseLong(Files.readAllLines(dir.resolve(file)).get(0).trim());
    return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(file + " names pid " + pid + ", not running"));
  }

  /** Live leases by the database's clock: how many, how many owners, and their names. */
  private static Future<Row> heldLeases(Vertx vertx, int base) {
    PgConnectOptions options = new PgConnectOptions().setHost("127.0.0.1").setPort(base).setUser("postgres")
        .setDatabase("postgres");
    return PgConnection.connect(vertx, options).compose(connection -> connection
        .query("SELECT count(*) AS held, count(DISTINCT owner) AS owners, array_agg(DISTINCT owner) AS names "
            + "FROM shard_lease WHERE owner IS NOT NULL AND expires_at > now()")
        .execute()
        .map(rows -> rows.iterator().next())
        .eventually(connection::close));
  }

  /**
   * A first port whose whole block is free now: PostgreSQL's and the simulator's, and the four of each of
   * {@code nodes} nodes (the script's layout). A race with another process remains, which the script
   * itself refuses with a clear message.
   */
  private static int freeBase(int nodes) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + 100 * ThreadLocalRandom.current().nextInt(400);
      List<Integer> ports = new ArrayList<>(List.of(base, base + 1));
      for (int i = 1; i <= nodes; i++) {
        for (int offset = 0; offset < 4; offset++) {
          ports.add(base + 10 * i + offset);
        }
      }
      if (ports.stream().allMatch(ClusterScriptTest::free)) {
        return base;
      }
    }
    throw new IOException("no free block of ports found");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
