package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store verticle through a PostgreSQL outage: the embedded server is stopped while tenants keep
 * changing, then started again on the same port and files. Nothing is lost, each tenant ends with its
 * latest change, and the health address says what is going on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class StoreOutageTest {
  private static final List<String> TENANTS = IntStream.rangeClosed(1, 20).mapToObj(i -> "Cust7300" + (i < 10 ? "0" + i : i))
      .toList();

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Future<JsonObject> health(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject()).map(m -> m.body());
  }

  private static void send(Vertx vertx, TenantChange change) {
    vertx.eventBus().send(Addresses.STORE_CHANGES, change.toJson());
  }

  /**
   * An embedded PostgreSQL on a port of its own that a test stops and starts again on the same files, and
   * a store verticle that reaches it as an external store.
   */
  private static final class Outage {
    private final Vertx vertx;
    private final Path dataDir;
    private final int port;
    private final String url;
    private EmbeddedPostgresServer server;
    private String store;

    private Outage(Vertx vertx, Path dataDir) throws Exception {
      this.vertx = vertx;
      this.dataDir = dataDir;
      this.port = freePort();
      this.url = "postgresql://postgres@127.0.0.1:" + port + "/postgres";
      this.server = EmbeddedPostgresServer.start(vertx, dataDir, port)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    Future<String> deployStore() {
      return vertx.deployVerticle(new StoreVerticle(v -> TenantStores.external(v, url, null), Clock.systemUTC()))
          .onSuccess(id -> store = id);
    }

    Future<Void> stopServer() {
      return server.stop(vertx);
    }

    Future<Void> startServerAgain() {
      return EmbeddedPostgresServer.start(vertx, dataDir, port).map(started -> {
        server = started;
        return null;
      });
    }

    /**
     * Every tenant the database holds, read through a store of its own once the store verticle stopped
     * (it holds the engine lock).
     */
    Future<List<StoredTenant>> stored() {
      return vertx.undeploy(store).compose(undeployed -> TenantStores.external(vertx, url, null))
          .compose(reader -> reader.load(TenantStoreContract.NOW).compose(stored -> reader.close().map(stored)));
    }
  }

  @Test
  @DisplayName("a store outage keeps every change pending, reports the store unreachable, and loses nothing once it is back")
  void outageLosesNothing(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) throws Exception {
    Outage outage = new Outage(vertx, dataDir.resolve("data"));

    outage.deployStore()
        .compose(id -> {
          TENANTS.forEach(t -> send(vertx, TenantChange.watched(t, "admin")));
          TENANTS.forEach(t -> send(vertx, TenantChange.snapshot(t, TenantStoreContract.snapshot(t, 1))));
          return Eventually.until(vertx, () -> health(vertx), h -> h.getInteger("pendingWrites") == 0);
        })
        .compose(h -> outage.stopServer())
        .compose(v -> {
          for (long seq = 2; seq <= 5; seq++) {
            long s = seq;
            TENANTS.forEach(t -> send(vertx, TenantChange.snapshot(t, TenantStoreContract.snapshot(t, s))));
          }
          send(vertx, TenantChange.unwatched(TENANTS.get(0)));
          send(vertx, TenantChange.watched("Cust73999", "notification"));
          return Eventually.until(vertx, () -> health(vertx), h -> !h.getBoolean("reachable"));
        })
        .compose(down -> {
          context.verify(() -> assertThat(down.getInteger("pendingWrites")).isEqualTo(TENANTS.size() + 1));
          return outage.startServerAgain();
        })
        .compose(restarted -> Eventually.until(vertx, () -> health(vertx),
            h -> h.getBoolean("reachable") && h.getInteger("pendingWrites") == 0))
        .compose(up -> outage.stored())
        .onComplete(context.succeeding(stored -> context.verify(() -> {
          Map<String, StoredTenant> byTenant = stored.stream()
              .collect(Collectors.toMap(StoredTenant::tenant, Function.identity()));
          assertThat(byTenant).doesNotContainKey(TENANTS.get(0)).containsKey("Cust73999");
          for (String tenant : TENANTS.subList(1, TENANTS.size())) {
            assertThat(byTenant.get(tenant).snapshot()).as(tenant).isEqualTo(TenantStoreContract.snapshot(tenant, 5));
          }
          outage.stopServer().onComplete(context.succeedingThenComplete());
        })));
  }

  @Test
  @DisplayName("while the store is away a batch of changes is not answered once ROOM are pending; it is once the store is back, and all are written")
  void batchesWaitForRoom(Vertx vertx, VertxTestContext context, @TempDir Path dataDir) throws Exception {
    Outage outage = new Outage(vertx, dataDir.resolve("data"));
    List<String> many = IntStream.range(0, StoreVerticle.ROOM).mapToObj(i -> "Cust8" + (100_000 + i)).toList();
    JsonArray watches = new JsonArray();
    many.forEach(t -> watches.add(TenantChange.watched(t, "admin").toJson()));
    boolean[] answered = new boolean[1];

    outage.deployStore()
        .compose(id -> outage.stopServer())
        .compose(v -> {
          vertx.eventBus().request(Addresses.STORE_CHANGES, new JsonObject().put("changes", watches))
              .onSuccess(reply -> answered[0] = true);
          return Eventually.until(vertx, () -> health(vertx), h -> !h.getBoolean("reachable"));
        })
        .compose(down -> {
          context.verify(() -> {
            assertThat(down.getInteger("pendingWrites")).isEqualTo(StoreVerticle.ROOM);
            assertThat(answered[0]).as("answered while the store is away with ROOM changes pending").isFalse();
          });
          return outage.startServerAgain();
        })
        .compose(restarted -> Eventually.until(vertx, () -> Future.succeededFuture(answered[0]), yes -> yes))
        .compose(yes -> Eventually.until(vertx, () -> health(vertx), h -> h.getInteger("pendingWrites") == 0))
        .compose(up -> outage.stored())
        .onComplete(context.succeeding(stored -> context.verify(() -> {
          assertThat(stored).extracting(StoredTenant::tenant).containsExactlyInAnyOrderElementsOf(many);
          outage.stopServer().onComplete(context.succeedingThenComplete());
        })));
  }
}
