package io.tenantwatch.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL on its own, as the database that the nodes of a cluster on one machine share
 * ({@code store.type} {@code postgres}; {@code scripts/cluster} starts it):
 *
 * <pre>java -cp tenantwatch.jar io.tenantwatch.store.StandalonePostgres DATA_DIR PORT</pre>
 *
 * <p>It starts the server of {@link EmbeddedPostgresServer} on {@code DATA_DIR} (created when missing, kept
 * across runs, a left-over server there stopped first) on {@code PORT} (0: any free one), logs
 * {@value #READY} followed by the {@code store.url} the nodes use, and runs until SIGTERM or Ctrl-C. Then it
 * stops the server (PostgreSQL's fast shutdown: open sessions are ended, nothing written is lost) and exits
 * 0, or 1 when the server would not stop. The server listens on loopback only and trusts every local
 * connection as its superuser {@value EmbeddedPostgresServer#USER}, without a password: a database for a
 * demonstration or a test on one machine, never for production. A bad argument exits 2, a failed start 1.
 */
public final class StandalonePostgres {
  /** What the log line that says it is ready begins with; the {@code store.url} follows it. */
  public static final String READY = "PostgreSQL is ready; store.url: ";

  private static final Logger LOG = LoggerFactory.getLogger(StandalonePostgres.class);
  private static final String USAGE = "usage: StandalonePostgres DATA_DIR PORT (PORT 0 takes any free port)";

  private StandalonePostgres() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2 || !args[1].matches("\\d{1,5}") || Integer.parseInt(args[1]) > 65535) {
      LOG.error(USAGE);
      System.exit(2);
      return;
    }
    Path dataDir = Path.of(args[0]);
    EmbeddedPostgresServer server;
    try {
      server = EmbeddedPostgresServer.open(dataDir, Integer.parseInt(args[1]));
    } catch (IOException | RuntimeException e) {
      LOG.error("PostgreSQL could not start on {}: {}", dataDir.toAbsolutePath(), e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "shutdown"));
    LOG.info("{}{}", READY, url(server.port()));
    // The server runs in processes of its own; this thread only keeps the JVM up until the signal.
    new CountDownLatch(1).await();
  }

  /** The {@code store.url} of the server's own database on {@code port}. */
  public static String url(int port) {
    return "postgresql://" + EmbeddedPostgresServer.USER + "@127.0.0.1:" + port + "/" + EmbeddedPostgresServer.DATABASE;
  }

  /**
   * Stops the server, then ends the JVM with 0 once its process has exited, else 1. Left to itself a JVM
   * reports every SIGTERM as 143, so a caller could not tell a clean stop from a failed one (as
   * {@code io.tenantwatch.Main} does).
   */
  private static void stop(EmbeddedPostgresServer server) {
    boolean clean = false;
    try {
      server.close();
      clean = true;
    } catch (IOException | RuntimeException e) {
      LOG.error("PostgreSQL did not stop cleanly: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("interrupted while PostgreSQL was stopping");
    }
    Runtime.getRuntime().halt(clean ? 0 : 1);
  }
}
