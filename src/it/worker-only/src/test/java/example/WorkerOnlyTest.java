package example;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.worker.TenantGate;
import io.tenantwatch.worker.TenantGateOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A worker-only node: the TenantGate runs with vertx-core and slf4j-api alone. The engine's side of the
 * worker contract (docs/contracts.md, "Event bus") is answered here by hand, as an engine on the
 * clustered bus would.
 */
class WorkerOnlyTest {
  private static final long WAIT_SECONDS = 60;

  @Test
  @DisplayName("a TenantGate registers, applies its snapshot and obeys a command with only vertx-core and slf4j-api")
  void gateRunsOnVertxCoreAlone() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Command open = command(CommandType.RESUME, "Cust100", true, 4);
      Command closed = command(CommandType.PAUSE, "Cust200", false, 2);
      vertx.eventBus().<JsonObject>consumer("tenantwatch.workers.register", request ->
          request.reply(new JsonObject().put("tenants", new JsonArray().add(open.toJson()).add(closed.toJson()))));

      TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("crm-sync"));
      gate.start().await(WAIT_SECONDS, TimeUnit.SECONDS);

      assertThat(gate.isRunning("Cust100")).isTrue();
      assertThat(gate.api("Cust100")).isEqualTo("https://sod2.superoffice.com/Cust100/api");
      assertThat(gate.isRunning("Cust200")).isFalse();
      assertThat(gate.tenants()).containsOnlyKeys("Cust100", "Cust200");

      Object ack = vertx.eventBus().request(gate.address(), command(CommandType.PAUSE, "Cust100", false, 5).toJson())
          .await(WAIT_SECONDS, TimeUnit.SECONDS).body();
      assertThat(ack).isNotNull();
      assertThat(gate.isRunning("Cust100")).isFalse();
      assertThat(gate.lastSeq("Cust100")).isEqualTo(5);
      gate.stop().await(WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("footprint: the worker side needs at most 10 MB of jars")
  void footprint() throws IOException {
    long bytes = Footprint.of(Path.of("target/runtime.classpath"), "no-platform-jar-left-out");

    assertThat(bytes).isLessThanOrEqualTo(10L * 1024 * 1024);
  }

  private static Command command(CommandType type, String tenant, boolean running, long seq) {
    String endpoint = "https://sod2.superoffice.com/" + tenant;
    return new Command(type, tenant, running ? "Running" : "OfflineMaintenance", running, endpoint, endpoint + "/api",
        "snapshot", seq, 0, Instant.parse("2026-12-01T10:00:00Z"));
  }
}
