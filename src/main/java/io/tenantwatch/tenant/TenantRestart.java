package io.tenantwatch.tenant;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The restart of one tenant whose verticle failed: its next verticle is deployed once the failed one is
 * undeployed and, for a tenant that keeps failing, its pause is over. An unwatch does not wait for the
 * pause (the tenant's {@code retire} needs a verticle to send it); a pause that ends for a tenant no
 * longer watched, or watched afresh, deploys nothing. Lives on the directory's event loop.
 */
final class TenantRestart {
  private final Promise<String> deployed = Promise.promise();
  private final Instant at;
  private final Future<?> undeployed;
  private final Supplier<Future<String>> deploy;
  private boolean begun;

  /**
   * @param at when the pause ends
   * @param undeployed the failed verticle's undeployment
   * @param deploy deploys the next verticle, answering its deployment id
   */
  TenantRestart(Instant at, Future<?> undeployed, Supplier<Future<String>> deploy) {
    this.at = at;
    this.undeployed = undeployed;
    this.deploy = deploy;
  }

  /** The next verticle's deployment id; failed when the restart was abandoned or the deployment failed. */
  Future<String> deployed() {
    return deployed.future();
  }

  /** When the pause ends. */
  Instant at() {
    return at;
  }

  /** Deploys the next verticle as soon as the failed one is gone; once only, however often it is asked. */
  void begin() {
    if (begun) {
      return;
    }
    begun = true;
    undeployed.onComplete(gone -> deploy.get().onComplete(deployed));
  }

  /** The tenant was unwatched or watched afresh meanwhile: nothing is deployed, unless already begun. */
  void abandon() {
    if (!begun) {
      begun = true;
      deployed.fail("the tenant is no longer watched by this restart");
    }
  }
}
