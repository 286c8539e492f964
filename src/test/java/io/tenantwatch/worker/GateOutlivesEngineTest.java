package io.tenantwatch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's gate that outlives the engine: the engine is closed and deployed again in the same Vert.x on
 * the same store, and the gate, never restarted, registers again with it and follows its commands.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class GateOutlivesEngineTest {
  private static final String KEPT = "Cust75001";
  private static final String REMOVED = "Cust75002";

  private static JsonObject embedded(Path dataDir) {
    return new JsonObject().put("store", new JsonObject().put("type", "embedded").put("dataDir", dataDir.toString()));
  }

  @Test
  @DisplayName("a running gate registers again with an engine redeployed in the same Vert.x: it hears the restored "
      + "tenant's announcement and the retire of a tenant taken out of the configuration")
  void gateFollowsRedeployedEngine(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) {
    Queue<String> retired = new ConcurrentLinkedQueue<>();
    TenantGate gate = TenantGate.create(vertx, new TenantGateOptions("outliving"))
        .onRetire(command -> {
          retired.add(command.tenant());
          return Future.succeededFuture();
        });
    long[] firstRunSeq = new long[1];
    TestEngine.start(vertx, embedded(dataDir), KEPT, REMOVED)
        .compose(first -> gate.start()
            .compose(started -> Eventually.until(vertx, () -> Future.succeededFuture(gate),
                g -> g.isRunning(KEPT) && g.isRunning(REMOVED)))
            .compose(open -> {
              firstRunSeq[0] = gate.lastSeq(KEPT);
              return first.engine.close();
            }))
        .compose(closed -> TestEngine.start(vertx, embedded(dataDir), KEPT))
        .compose(second -> Eventually.until(vertx, () -> Future.succeededFuture(gate),
                // The restored tenant's ValidUntil (200 ms ahead) has passed: it announces a pause, then
                // resumes once polled.
                g -> g.lastSeq(KEPT) > firstRunSeq[0] && g.isRunning(KEPT) && !g.isRunning(REMOVED))
            .compose(followed -> {
              context.verify(() -> {
                assertThat(gate.isRunning(KEPT)).isTrue();
                assertThat(gate.lastSeq(KEPT)).isGreaterThan(1_000_000_000L);
                assertThat(gate.api(REMOVED)).isNull();
                assertThat(retired).containsExactly(REMOVED);
              });
              return second.engine.close();
            }))
        .compose(closed -> gate.stop())
        .onComplete(context.succeedingThenComplete());
  }
}
