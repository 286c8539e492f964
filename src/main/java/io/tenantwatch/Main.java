package io.tenantwatch;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.ConfigLoader;
import io.tenantwatch.config.TenantWatchOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runnable jar: {@code java -jar tenantwatch.jar [CONFIG]}, a thin main around {@link TenantWatch#deploy}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Path configFile = args.length > 0 ? Path.of(args[0]) : ConfigLoader.DEFAULT_PATH;
    TenantWatchOptions options;
    try {
      options = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      LOG.error("{}: {}", configFile, e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    AtomicReference<TenantWatch> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(vertx, running.get(), options), "shutdown"));
    TenantWatch.deploy(vertx, options, Clock.systemUTC())
        .onSuccess(engine -> {
          running.set(engine);
          LOG.info("tenantwatch is running (config {}); admin API on http://{}:{}/admin/tenants", configFile,
              options.admin().host(), engine.adminPort());
        })
        .onFailure(e -> {
          LOG.error("tenantwatch could not start: {}", e.getMessage());
          vertx.close().onComplete(closed -> System.exit(1));
        });
  }

  private static void shutDown(Vertx vertx, TenantWatch engine, TenantWatchOptions options) {
    long timeoutMs = options.shutdownTimeout().toMillis();
    try {
      (engine == null ? vertx.close() : engine.close().eventually(vertx::close))
          .toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
      LOG.info("tenantwatch stopped");
    } catch (Exception e) {
      LOG.warn("tenantwatch did not stop cleanly within {} ms: {}", timeoutMs, e.toString());
    }
  }
}
