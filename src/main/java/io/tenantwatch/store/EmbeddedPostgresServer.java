package io.tenantwatch.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL of {@code store.type} {@code embedded}: a real server the engine starts itself, its
 * files under {@code store.dataDir} (kept across restarts), listening on a free loopback port, stopped
 * when the engine stops. An engine killed with SIGKILL leaves its server running with a
 * {@code postmaster.pid} in the data directory; the next start on that directory stops that server first.
 * A server that a live engine uses is never touched: each start takes the directory's {@link DataDirLock}
 * first and refuses, naming the directory, while another engine holds it.
 */
public final class EmbeddedPostgresServer {
  /** The server's superuser and database; it accepts only local connections, without a password. */
  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final long LEFT_OVER_STOP_SECONDS = 30;
  private static final Duration LEFT_OVER_STOP = Duration.ofSeconds(LEFT_OVER_STOP_SECONDS);

  private final EmbeddedPostgres server;
  private final Path dataDir;
  private final DataDirLock lock;

  private EmbeddedPostgresServer(EmbeddedPostgres server, Path dataDir, DataDirLock lock) {
    this.server = server;
    this.dataDir = dataDir;
    this.lock = lock;
  }

  /** Starts the server on {@code dataDir} (created when missing) off the event loop. */
  public static Future<EmbeddedPostgresServer> start(Vertx vertx, Path dataDir) {
    return start(vertx, dataDir, 0);
  }

  /** Starts the server on {@code dataDir} listening on {@code port} (0: any free port). */
  public static Future<EmbeddedPostgresServer> start(Vertx vertx, Path dataDir, int port) {
    return vertx.executeBlocking(() -> open(dataDir, port));
  }

  /**
   * Starts the server on {@code dataDir} listening on {@code port} (0: any free port), blocking the caller
   * until it accepts connections: for a thread of its own, such as {@link StandalonePostgres}'s main.
   *
   * @throws IllegalStateException naming the directory when another holder of its lock runs there
   */
  static EmbeddedPostgresServer open(Path dataDir, int port) throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    DataDirLock lock = DataDirLock.take(dataDir);
    try {
      return new EmbeddedPostgresServer(startServer(dataDir, port), dataDir, lock);
    } catch (IOException | InterruptedException | RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  private static EmbeddedPostgres startServer(Path dataDir, int port) throws IOException, InterruptedException {
    // Holding the directory's lock, a running server here has no live engine: it is a left-over.
    stopLeftOver(dataDir);
    EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir.toFile())
        .setCleanDataDirectory(false)
        .setPort(port)
        // The engine's own stop writes the last changes before it stops the server; a second hook
        // stopping it at the same moment would lose them. A JVM that ends without that stop leaves the
        // server running, and the next start on this directory stops it (as after SIGKILL).
        .setRegisterShutdownHook(false)
        .start();
    LOG.info("embedded PostgreSQL on 127.0.0.1:{} (data in {})", server.getPort(), dataDir.toAbsolutePath());
    return server;
  }

  /** The port it listens on (loopback). */
  public int port() {
    return server.getPort();
  }

  /** Stops the server off the event loop, then lets go of its directory; its files stay. */
  public Future<Void> stop(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      close();
      return null;
    });
  }

  /**
   * Stops the server, blocking the caller until its process has exited, then lets go of its directory; its
   * files stay. The library's stop returns once the server removed its {@code postmaster.pid}, a moment
   * before the process ends, and only logs a server that would not stop; this waits for the process.
   *
   * @throws IOException when the server's process is still running {@value #LEFT_OVER_STOP_SECONDS} s after the stop
   */
  void close() throws IOException, InterruptedException {
    try {
      Optional<ProcessHandle> process = postmaster(dataDir);
      server.close();
      if (process.isPresent()) {
        waitForExit(process.get());
      }
      LOG.info("embedded PostgreSQL stopped");
    } finally {
      lock.release();
    }
  }

  /**
   * Stops a server that an engine killed without its graceful stop left running on this data directory;
   * only the holder of the directory's {@link DataDirLock} may call it. A {@code postmaster.pid} whose process is gone is left for PostgreSQL, which handles it itself.
   */
  static void stopLeftOver(Path dataDir) throws IOException, InterruptedException {
    Optional<ProcessHandle> leftOver = postmaster(dataDir);
    if (leftOver.isEmpty()) {
      return;
    }
    ProcessHandle process = leftOver.get();
    LOG.warn("embedded PostgreSQL (pid {}) is still running on {}, left by an engine that did not stop; "
        + "stopping it first", process.pid(), dataDir.toAbsolutePath());
    // SIGTERM: PostgreSQL's smart shutdown; its clients died with the engine that started it.
    process.destroy();
    try {
      process.onExit().get(LEFT_OVER_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("embedded PostgreSQL (pid {}) did not stop within {} s; killing it", process.pid(),
          LEFT_OVER_STOP.toSeconds());
      process.destroyForcibly();
      waitForExit(process);
    } catch (ExecutionException e) {
      throw new IOException("could not wait for the left-over PostgreSQL to stop", e);
    }
  }

  private static void waitForExit(ProcessHandle process) throws IOException, InterruptedException {
    try {
      process.onExit().get(LEFT_OVER_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException("PostgreSQL (pid " + process.pid() + ") would not stop within " + LEFT_OVER_STOP_SECONDS
          + " s", e);
    }
  }

  /** The live PostgreSQL process that {@code postmaster.pid} names, if there is one. */
  static Optional<ProcessHandle> postmaster(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
    long pid;
    try {
      pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }
}
