package io.tenantwatch;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.ConfigLoader;
import io.tenantwatch.config.TenantWatchOptions;
import io.tenantwatch.node.ClusteredVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable jar: {@code java -jar tenantwatch.jar [CONFIG]}, a thin main around {@link TenantWatch#deploy}.
 *
 * <p>SIGTERM (or Ctrl-C) runs {@link TenantWatch#close()}: the engine drains and undeploys within
 * {@code shutdownTimeoutMs}. The process then exits 0 when that went cleanly and 1 when it did not
 * finish in time; left to itself the JVM would report every SIGTERM as 143 (128 + 15), so that a
 * supervisor could not tell a clean stop from a killed one.
 *
 * <p>With {@code cluster.enabled} it starts a clustered Vertx on Hazelcast ({@link ClusteredVertx}) instead
 * of a plain one. The same hook then makes SIGTERM a graceful leave: neither Vert.x nor vertx-hazelcast
 * adds a hook of its own, so without this one the other members would see the node's exit as a crash.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    run(args, (vertx, options) -> Future.succeededFuture());
  }

  /**
   * What {@link #main} does, and {@code beside} deployed in the same Vert.x once the engine runs, before the
   * running line is logged; a failure there fails the start as the engine's would. The tests' cluster nodes
   * run a recording worker so, in the very JVM an operator would run.
   */
  static void run(String[] args, BiFunction<Vertx, TenantWatchOptions, Future<?>> beside) {
    Path configFile = args.length > 0 ? Path.of(args[0]) : ConfigLoader.DEFAULT_PATH;
    TenantWatchOptions options;
    try {
      options = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      LOG.error("{}: {}", configFile, e.getMessage());
      System.exit(2);
      return;
    }
    AtomicReference<Vertx> started = new AtomicReference<>();
    AtomicReference<TenantWatch> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Vertx vertx = started.get();
      TenantWatch engine = running.get();
      boolean clean = vertx == null || shutDown(vertx, engine, options);
      if (engine != null) {
        // Only a stop of a running engine decides the exit code; a start that failed keeps its own.
        Runtime.getRuntime().halt(clean ? 0 : 1);
      }
    }, "shutdown"));
    startVertx(options).onComplete(built -> {
      if (built.failed()) {
        LOG.error("tenantwatch could not start: {}", built.cause().getMessage());
        System.exit(1);
        return;
      }
      Vertx vertx = built.result();
      started.set(vertx);
      TenantWatch.deploy(vertx, options, Clock.systemUTC())
          .compose(engine -> beside.apply(vertx, options).map(engine))
          .onSuccess(engine -> {
            running.set(engine);
            LOG.info("tenantwatch is running (config {}); admin API on http://{}:{}/admin/tenants", configFile,
                options.admin().host(), engine.adminPort());
          })
          .onFailure(e -> {
            LOG.error("tenantwatch could not start: {}", e.getMessage());
            vertx.close().onComplete(closed -> System.exit(1));
          });
    });
  }

  /** A plain Vertx, or with {@code cluster.enabled} a clustered one that has joined the cluster. */
  private static Future<Vertx> startVertx(TenantWatchOptions options) {
    if (options.cluster().enabled()) {
      return ClusteredVertx.start(vertxOptions(), options.cluster());
    }
    return Future.succeededFuture(Vertx.vertx(vertxOptions()));
  }

  /**
   * Vert.x with Micrometer metrics on a Prometheus registry (HTTP, event bus, pools and the JVM), which the
   * engine finds and adds its own meters to: {@code GET /metrics} then shows both.
   */
  static VertxOptions vertxOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setEnabled(true));
  }

  /** Stops the engine and Vert.x; true when both were done within {@code shutdownTimeoutMs}. */
  private static boolean shutDown(Vertx vertx, TenantWatch engine, TenantWatchOptions options) {
    long timeoutMs = options.shutdownTimeout().toMillis();
    try {
      (engine == null ? vertx.close() : engine.close().eventually(vertx::close))
          .toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      LOG.info("tenantwatch stopped");
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("tenantwatch was interrupted while stopping");
      return false;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("tenantwatch did not stop cleanly within {} ms: {}", timeoutMs, e.toString());
      return false;
    }
  }
}
