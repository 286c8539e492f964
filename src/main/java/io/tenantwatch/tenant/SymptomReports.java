package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Routing;
import io.tenantwatch.bus.ShardMoving;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.machine.ReportOutcome;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Takes the workers' symptom reports on {@link Addresses#REPORT}, on every engine (contracts.md, "Symptom
 * reports"), and carries each to its tenant's verticle through the {@link Routing}, as the webhook carries a
 * verified notification: on a cluster node to the node that runs the tenant. The tenant's answer
 * ({@code {"tenant","poll"}}) is the reply, counted by symptom and outcome.
 *
 * <p>A body that is not a report fails {@link Failures#MALFORMED} and reaches no tenant; a tenant no node
 * watches fails {@link Failures#NOT_WATCHED}; one whose verticle failed and waits to be restarted, or whose
 * shard is moving, {@link Failures#UNAVAILABLE}. A consumer on every engine's local bus: a worker reports
 * where it registered.
 */
public final class SymptomReports extends VerticleBase {
  /** The webhook's own bound for handing a tenant what it received. */
  private static final DeliveryOptions HANDOVER = new DeliveryOptions().setSendTimeout(5_000);

  private final Routing routing;
  private final EngineMetrics metrics;

  public SymptomReports(Routing routing, EngineMetrics metrics) {
    this.routing = routing;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<Object>localConsumer(Addresses.REPORT, this::receive).completion();
  }

  private void receive(Message<Object> message) {
    SymptomReport report;
    try {
      report = SymptomReport.fromBody(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(Failures.MALFORMED, e.getMessage());
      return;
    }
    String tenant = report.tenant();
    routing.toOwner(tenant, Addresses.tenant(tenant), TenantMessages.report(report), HANDOVER)
        .recover(failure -> noVerticle(failure) ? watchedAnyway(tenant) : Future.failedFuture(failure))
        .onSuccess(answer -> {
          ReportOutcome.byWireName(answer.body().getString("poll"))
              .ifPresent(outcome -> metrics.reportAnswered(report.symptom(), outcome));
          message.reply(answer.body());
        })
        .onFailure(failure -> message.fail(codeOf(failure), failure.getMessage()));
  }

  /** No verticle took it: the tenant is not watched, or its verticle waits to be restarted (the directory knows). */
  private Future<Routing.Routed> watchedAnyway(String tenant) {
    return routing.toOwner(tenant, Addresses.DIRECTORY, DirectoryMessages.contains(tenant), HANDOVER)
        .compose(answer -> Future.failedFuture(answer.body().getBoolean("watched", false)
            ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.UNAVAILABLE,
                "the tenant's verticle failed and is being restarted; try again")
            : new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Failures.NOT_WATCHED,
                "tenant " + tenant + " is not watched")));
  }

  private static boolean noVerticle(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  private static int codeOf(Throwable failure) {
    if (failure instanceof ShardMoving) {
      return Failures.UNAVAILABLE;
    }
    if (failure instanceof ReplyException reply) {
      return reply.failureType() == ReplyFailure.RECIPIENT_FAILURE ? reply.failureCode() : Failures.UNAVAILABLE;
    }
    return Failures.FAILED;
  }
}
