package io.tenantwatch.demo;

import io.tenantwatch.domain.Command;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's worker: what a platform's worker verticle looks like. It keeps a {@link TenantGate} and
 * logs every command it is given; a real worker would stop and start its jobs for the tenant here.
 */
public final class DemoWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DemoWorker.class);
  public static final String NAME = "demo-worker";

  private TenantGate gate;

  @Override
  public Future<?> start() {
    gate = TenantGate.create(vertx, new TenantGateOptions(NAME))
        .onPause(command -> log("PAUSE ", command, "stops calling the tenant"))
        .onResume(command -> log("RESUME", command, "calls " + command.api()))
        .onEndpoint(command -> log("MOVE  ", command, "now calls " + command.api()))
        .onResync(command -> log("RESYNC", command, "re-syncs data changed since the backup"))
        .onRetire(command -> log("RETIRE", command, "forgets the tenant"));
    return gate.start();
  }

  @Override
  public Future<?> stop() {
    return gate.stop();
  }

  private static Future<Void> log(String what, Command command, String action) {
    LOG.atInfo().addKeyValue("tenant", command.tenant()).log("{} {} [{} seq {}, {}]: {}", what, command.tenant(),
        command.state(), command.seq(), command.reason(), action);
    return Future.succeededFuture();
  }
}
