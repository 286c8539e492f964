package example;

import io.tenantwatch.domain.Command;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Syncs CRM data with the SuperOffice tenants the engine says are up. */
public class CrmSyncWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CrmSyncWorker.class);
  private TenantGate gate;
  private WebClient client;

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx);
    gate = TenantGate.create(vertx, new TenantGateOptions("crm-sync"))  // .withTenants(Set.of(...)) to filter
        .onPause(cmd -> note("stop calling", cmd))
        .onResume(cmd -> note("call at " + cmd.api(), cmd))
        .onEndpoint(cmd -> note("moved, call at " + cmd.api(), cmd))   // the tenant moved while open
        .onResync(cmd -> note("resync everything", cmd))               // restored from a backup
        .onRetire(cmd -> note("forget", cmd));                         // deleted or no longer watched
    return gate.start();
  }

  /** A call to a tenant: never while it is down, always where it lives now. */
  public Future<HttpResponse<Buffer>> contact(String ctx, int id) {
    if (!gate.isRunning(ctx)) {
      return Future.failedFuture(ctx + " is not running");
    }
    return client.getAbs(gate.api(ctx) + "/v1/Contact/" + id).send();
  }

  /** Every tenant the gate knows, with the last command it applied. */
  public Map<String, Command> tenants() {
    return gate.tenants();
  }

  @Override
  public Future<?> stop() {
    return gate.stop();
  }

  private Future<Void> note(String what, Command cmd) {
    LOG.info("{}: {} (seq {})", cmd.tenant(), what, cmd.seq());
    return Future.succeededFuture();
  }
}
