package example;

import io.tenantwatch.TenantWatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Runs tenantwatch and the workers that obey it in the platform's own Vert.x. */
public final class Platform {
  private final Vertx vertx;
  private TenantWatch engine;
  private String workerDeployment;

  public Platform(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The engine first, then the workers; a bad config fails with a ConfigException naming the key. */
  public Future<TenantWatch> start(JsonObject config) {
    return TenantWatch.deploy(vertx, config)
        .compose(started -> {
          engine = started;
          return vertx.deployVerticle(new CrmSyncWorker());
        })
        .map(id -> {
          workerDeployment = id;
          return engine;
        });
  }

  /**
   * The engine first: while it drains, it still delivers its last commands to the workers. Then the
   * workers; then the platform closes its Vert.x.
   */
  public Future<Void> stop() {
    Future<Void> engineStopped = engine == null ? Future.succeededFuture() : engine.close();
    return engineStopped.eventually(() -> workerDeployment == null ? Future.succeededFuture()
        : vertx.undeploy(workerDeployment));
  }
}
