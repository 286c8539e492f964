package io.tenantwatch.http;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.tenant.DirectoryMessages;
import io.vertx.core.Future;
import io.tenantwatch.bus.Routing;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The answer about a watched tenant whose verticle cannot take a request now: it failed and waits to be
 * restarted, or is being started. Such a tenant is never said to be "not watched": the webhook and the
 * admin API answer 503 {@code tenant-restarting} with {@code Retry-After} the seconds until its restart
 * (at least 1), so SuperOffice and an operator try again.
 */
final class RestartingTenant {
  static final String CODE = "tenant-restarting";

  private RestartingTenant() {
  }

  /** Whether a request to a tenant's verticle failed because no verticle of the tenant could take it. */
  static boolean noVerticle(Throwable failure) {
    return failure instanceof ReplyException reply && (reply.failureType() == ReplyFailure.NO_HANDLERS
        || (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == Failures.UNAVAILABLE));
  }

  /** Asks the directory of the node that runs it about a tenant whose verticle did not take a request: the 503 when it is watched. */
  static Future<Optional<HttpError>> ask(Routing routing, String tenant) {
    return routing.toOwner(tenant, Addresses.DIRECTORY, DirectoryMessages.contains(tenant), new DeliveryOptions())
        .map(reply -> reply.body().getBoolean("watched", false)
            ? Optional.of(error(reply.body().getLong("restartInMs", 0L)))
            : Optional.empty());
  }

  static HttpError error(long restartInMs) {
    long seconds = (restartInMs + 999) / 1000;
    return HttpError.unavailable(CODE,
        "the tenant's verticle failed and is being restarted from its last snapshot; try again", seconds);
  }
}
