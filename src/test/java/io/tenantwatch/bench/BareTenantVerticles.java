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
      Promise<Void> all = Promise.promise();
      deployFrom(addresses, 0, all);
      all.future().onSuccess(up -> done.complete(System.nanoTime() - start)).onFailure(done::fail);
    });
    return done.future();
  }

  /**
   * Deploys the batch at {@code from}, and the next once it is up, completing {@code done} after the last.
   * Listeners, not a future composed on the next batch's: a million verticles' four thousand batches nested so
   * complete one inside another, deeper than the event loop's stack.
   */
  private void deployFrom(List<String> addresses, int from, Promise<Void> done) {
    if (from >= addresses.size()) {
      done.complete();
      return;
    }
    List<Future<String>> batch = new ArrayList<>(BATCH);
    for (String address : addresses.subList(from, Math.min(from + BATCH, addresses.size()))) {
      batch.add(vertx.deployVerticle(new Bare(address), OPTIONS).onSuccess(deployed::add));
    }
    Future.all(batch).onFailure(done::fail).onSuccess(v -> deployFrom(addresses, from + BATCH, done));
  }

  /** Undeploys them all, a batch at a time. */
  Future<Void> undeployAll() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> undeployFrom(0, done));
    return done.future();
  }

  private void undeployFrom(int from, Promise<Void> done) {
    if (from >= deployed.size()) {
      deployed.clear();
      done.complete();
      return;
    }
    List<Future<Void>> batch = new ArrayList<>(BATCH);
    for (String id : deployed.subList(from, Math.min(from + BATCH, deployed.size()))) {
      batch.add(vertx.undeploy(id));
    }
    Future.all(batch).onFailure(done::fail).onSuccess(v -> undeployFrom(from + BATCH, done));
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
