package io.tenantwatch.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The baseline a tenant's deploy cost is measured against: N bare verticles, each a {@link VerticleBase}
 * with one local consumer (at an address of its own) and one timer (an hour ahead), deployed as the
 * directory deploys its tenants: from a verticle's context, 256 at a time, each batch once the one before
 * is up, with one shared set of deployment options. Nothing else happens in them. The webhook's hand-over
 * floor ({@link SignatureFloorRoute#handingOver}) deploys them at tenants' addresses.
 */
final class BareTenantVerticles extends VerticleBase {
  private static final int BATCH = 256;
  private static final DeploymentOptions OPTIONS = new DeploymentOptions();

  private final List<String> deployed = new ArrayList<>();

  /** Deploys {@code n} bare verticles; answers the nanoseconds it took until the last was up. */
  Future<Long> deploy(int n) {
    return deploy(IntStream.range(0, n).mapToObj(i -> "bare." + i).toList());
  }

  /**
   * Deploys a bare verticle for each address, its consumer there answering every message with an empty reply;
   * answers the nanoseconds it took until the last was up.
   */
  Future<Long> deploy(List<String> addresses) {
    Promise<Long> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      deployFrom(addresses, 0).onSuccess(all -> done.complete(System.nanoTime() - start)).onFailure(done::fail);
    });
    return done.future();
  }

  private Future<Void> deployFrom(List<String> addresses, int from) {
    if (from >= addresses.size()) {
      return Future.succeededFuture();
    }
    List<Future<String>> batch = new ArrayList<>(BATCH);
    for (String address : addresses.subList(from, Math.min(from + BATCH, addresses.size()))) {
      batch.add(vertx.deployVerticle(new Bare(address), OPTIONS).onSuccess(deployed::add));
    }
    return Future.all(batch).compose(v -> deployFrom(addresses, from + BATCH));
  }

  /** Undeploys them all, a batch at a time. */
  Future<Void> undeployAll() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> undeployFrom(0).onComplete(done));
    return done.future();
  }

  private Future<Void> undeployFrom(int from) {
    if (from >= deployed.size()) {
      deployed.clear();
      return Future.succeededFuture();
    }
    List<Future<Void>> batch = new ArrayList<>(BATCH);
    for (String id : deployed.subList(from, Math.min(from + BATCH, deployed.size()))) {
      batch.add(vertx.undeploy(id));
    }
    return Future.all(batch).compose(v -> undeployFrom(from + BATCH));
  }

  /** One consumer and one timer. */
  private static final class Bare extends VerticleBase {
    private final String address;

    Bare(String address) {
      this.address = address;
    }

    @Override
    public Future<?> start() {
      vertx.setTimer(3_600_000, id -> { });
      return vertx.eventBus().localConsumer(address, message -> message.reply(null)).completion();
    }
  }
}
