package example;

import io.tenantwatch.domain.Command;
import io.tenantwatch.worker.TenantClient;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Syncs CRM data with the SuperOffice tenants the engine says are up. */
public class CrmSyncWorker extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CrmSyncWorker.class);
  private TenantGate gate;
  private TenantClient client;

  @Override
  public Future<?> start() {
    gate = TenantGate.create(vertx, new TenantGateOptions("crm-sync"))  // .withTenants(Set.of(...)) to filter
        .onPause(cmd -> note("stop calling", cmd))
        .onResume(cmd -> note("call at " + cmd.api(), cmd))
        .onEndpoint(cmd -> note("moved, call at " + cmd.api(), cmd))   // the tenant moved while open
        .onResync(cmd -> note("resync everything", cmd))               // restored from a backup
        .onRetire(cmd -> note("forget", cmd));                         // deleted or no longer watched
    client = TenantClient.create(vertx, gate);  // .headers(ctx -> yourTokens(ctx)) adds authentication
    return gate.start();
  }

  /** A call to a tenant: never while it is down (fails with TenantClosed), always where it lives now. */
  public Future<HttpResponse<Buffer>> contact(String ctx, int id) {
    return client.get(ctx, "/v1/Contact/" + id);
  }

  /** Every tenant the gate knows, with the last command it applied. */
  public Map<String, Command> tenants() {
    return gate.tenants();
  }

  @Override
  public Future<?> stop() {
    client.close();
    return gate.stop();
  }

  private Future<Void> note(String what, Command cmd) {
    LOG.info("{}: {} (seq {})", cmd.tenant(), what, cmd.seq());
    return Future.succeededFuture();
  }
}
