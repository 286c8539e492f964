package io.tenantwatch.store;

import static io.tenantwatch.store.TenantStoreContract.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.ChildMain;
import io.tenantwatch.support.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StandalonePostgres} as {@code scripts/cluster} runs it, in a JVM of its own: it serves the
 * {@code store.url} it logs on the port it was given, and SIGTERM stops PostgreSQL with it, exit code 0 and
 * no server process left behind.
 */
@ExtendWith(VertxExtension.class)
class StandalonePostgresTest {
  /** initdb and a first start on a loaded 2-core machine. */
  private static final long WAIT_S = 90;

  @TempDir
  Path dir;

  private final List<String> output = new CopyOnWriteArrayList<>();
  private Process process;
  private Thread reader;

  @AfterEach
  void killLeftovers() throws IOException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    EmbeddedPostgresServer.postmaster(dir.resolve("pg")).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  @DisplayName("it serves the store.url it logs on the given port, and SIGTERM stops PostgreSQL with it: exit 0, no postgres left")
  void servesUntilSigterm(Vertx vertx) throws Exception {
    int port = FreePorts.loopback(1).get(0);
    Path dataDir = dir.resolve("pg");
    CompletableFuture<String> ready = new CompletableFuture<>();

    process = ChildMain.startMain(StandalonePostgres.class, dataDir.toString(), Integer.toString(port));
    reader = new Thread(() -> read(process, ready), "postgres-output");
    reader.setDaemon(true);
    reader.start();
    String url = ready.get(WAIT_S, TimeUnit.SECONDS);

    assertThat(url).isEqualTo("postgresql://postgres@127.0.0.1:" + port + "/postgres")
        .isEqualTo(StandalonePostgres.url(port));
    PgConnection connection = await(PgConnection.connect(vertx, PgConnectOptions.fromUri(url)));
    Row row = await(connection.query("SELECT current_database(), inet_server_addr()::text").execute()).iterator().next();
    await(connection.close());
    assertThat(row.getString(0)).isEqualTo("postgres");
    assertThat(row.getString(1)).as("the server's address").startsWith("127.0.0.1");
    ProcessHandle postmaster = EmbeddedPostgresServer.postmaster(dataDir).orElseThrow();

    // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe.
    assertThat(process.toHandle().destroy()).isTrue();
    boolean exited = process.waitFor(WAIT_S, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(5));

    assertThat(exited).as("exited; output:%n%s", String.join("\n", output)).isTrue();
    assertThat(process.exitValue()).as("exit code; output:%n%s", String.join("\n", output)).isZero();
    assertThat(postmaster.isAlive()).as("the postmaster (pid %d) is alive", postmaster.pid()).isFalse();
    assertThat(EmbeddedPostgresServer.postmaster(dataDir)).isEmpty();
    assertThat(output).anyMatch(line -> line.contains("embedded PostgreSQL stopped"));
  }

  private void read(Process started, CompletableFuture<String> ready) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
        int at = line.indexOf(StandalonePostgres.READY);
        if (at >= 0) {
          ready.complete(line.substring(at + StandalonePostgres.READY.length()).trim());
        }
      }
      ready.completeExceptionally(new IllegalStateException("exited before it was ready: " + output));
    } catch (IOException e) {
      ready.completeExceptionally(e);
      throw new UncheckedIOException(e);
    }
  }
}
