package io.tenantwatch.demo;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.worker.CallCounts;
import io.tenantwatch.worker.TenantCallMeters;
import io.tenantwatch.worker.TenantClient;
import io.tenantwatch.worker.TenantClosed;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's worker: what a platform's worker verticle looks like. It keeps a {@link TenantGate}, logs every
 * command it is given, and calls every tenant it knows a few times a second through a {@link TenantClient}, as an
 * integration syncing data would. The gate refuses the calls to a closed tenant before they are made, so the calls
 * that fail at a tenant are only those that find it down or moved before any signal reached the engine; each one is
 * logged with that explanation, and reported to the engine, which polls the tenant at once.
 */
public final class DemoWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoWorker.class);
  public static final String NAME = "demo-worker";
  /** How often each known tenant is called. */
  public static final Duration CALL_EVERY = Duration.ofMillis(500);
  /** How often the totals are logged. */
  public static final Duration SUMMARY_EVERY = Duration.ofSeconds(30);

  private final MeterRegistry registry;
  private TenantGate gate;
  private TenantClient client;
  private TenantCallMeters meters;

  /** A demo worker whose call counts go to {@code registry} too (the engine's, so {@code /metrics} shows them). */
  public DemoWorker(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public Future<?> start() {
    gate = TenantGate.create(vertx, new TenantGateOptions(NAME))
        .onPause(command -> log("PAUSE ", command, "stops calling the tenant"))
        .onResume(command -> log("RESUME", command, "calls " + command.api()))
        .onEndpoint(command -> log("MOVE  ", command, "now calls " + command.api()))
        .onResync(command -> log("RESYNC", command, "re-syncs data changed since the backup"))
        .onRetire(command -> log("RETIRE", command, "forgets the tenant"));
    client = TenantClient.create(vertx, gate);
    meters = TenantCallMeters.bind(registry, NAME, gate);
    return gate.start().onSuccess(started -> {
      vertx.setPeriodic(CALL_EVERY.toMillis(), id -> callEveryTenant());
      vertx.setPeriodic(SUMMARY_EVERY.toMillis(), id -> logTotals());
    });
  }

  @Override
  public Future<?> stop() {
    meters.close();
    client.close();
    return gate.stop();
  }

  /** One call to each tenant the gate knows and has not retired; the gate refuses those that are closed. */
  private void callEveryTenant() {
    gate.tenants().forEach((ctx, command) -> {
      if (command.type() != CommandType.RETIRE) {
        client.get(ctx, "/v1/Contact/1").onComplete(
            response -> explainFailure(ctx, command, response),
            failure -> explainFailure(ctx, command, failure));
      }
    });
  }

  private static void explainFailure(String ctx, Command before, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status == 421) {
      LOG.info("CALL   {} answered 421 (wrong subdomain): it moved before any signal; reported, the engine polls it "
          + "now and sends its new place", ctx);
    } else if (status >= 500) {
      LOG.info("CALL   {} answered {}: it went down before any signal reached the engine (the gate was open at seq "
          + "{}) and this call found it; reported, the engine polls it now", ctx, status, before.seq());
    }
  }

  private static void explainFailure(String ctx, Command before, Throwable failure) {
    if (!(failure instanceof TenantClosed)) {
      LOG.info("CALL   {} failed: {} (the gate was open at seq {}); reported, the engine polls it now", ctx,
          failure.getMessage(), before.seq());
    }
  }

  private void logTotals() {
    CallCounts.Tally total = gate.calls().total();
    String failed = total.failed().entrySet().stream().filter(entry -> entry.getValue() > 0)
        .map(entry -> entry.getKey().wireName() + ": " + entry.getValue()).collect(Collectors.joining(", "));
    LOG.info("CALLS  made {}, refused {} (tenant closed, never sent), failed at the tenant {}{}", total.made(),
        total.refused(), total.failedAtTenant(), failed.isEmpty() ? "" : " (" + failed + ")");
  }

  private static Future<Void> log(String what, Command command, String action) {
    LOG.atInfo().addKeyValue("tenant", command.tenant()).log("{} {} [{} seq {}, {}]: {}", what, command.tenant(),
        command.state(), command.seq(), command.reason(), action);
    return Future.succeededFuture();
  }
}
