package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.tenantwatch.store.StoreVerticle;
import io.tenantwatch.store.TenantChange;
import io.tenantwatch.store.TenantStore;
import io.tenantwatch.store.TenantStores;
import io.tenantwatch.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot writes per second into the embedded PostgreSQL, the way the engine writes them: each tenant's
 * snapshot sent to the store verticle on the event bus, folded and written behind in batches; a round
 * ends when the verticle reports nothing pending. Baseline, alternating round by round on the same
 * server: the same rows written by a bare pg-client {@code executeBatch} of the same UPDATE.
 *
 * <p>Arguments: {@code quick|full} and the rows file ({@link BenchReport}). quick: 5,000 tenants, 3
 * rounds each way; full: 20,000 tenants, 5 rounds.
 */
public final class SnapshotWriteBench {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriteBench.class);
  private static final String UPDATE = "UPDATE tenant SET snapshot = $2, seq = $3, state_code = $4, "
      + "updated_at = now() WHERE tenant = $1";

  private SnapshotWriteBench() {
  }

  public static void main(String[] args) {
    BenchReport.main(args, SnapshotWriteBench::run);
  }

  private static void run(BenchReport report) throws Exception {
    int tenants = report.full() ? 20_000 : 5_000;
    int rounds = report.full() ? 5 : 3;
    Path dataDir = Files.createTempDirectory("tenantwatch-bench-store");
    Vertx vertx = Vertx.vertx();
    EmbeddedPostgresServer server = await(EmbeddedPostgresServer.start(vertx, dataDir));
    try {
      String url = "postgresql://postgres@127.0.0.1:" + server.port() + "/postgres";
      TenantStore store = await(TenantStores.external(vertx, url, null));
      Pool bare = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(server.port())
          .setUser("postgres").setDatabase("postgres")).using(vertx).build();
      List<String> ids = new ArrayList<>(tenants);
      for (int i = 0; i < tenants; i++) {
        ids.add("Cust" + (8_000_000 + i));
      }
      await(store.write(ids.stream().map(id -> TenantChange.watched(id, "config")).toList()));
      await(vertx.deployVerticle(new StoreVerticle(v -> Future.succeededFuture(store), Clock.systemUTC())));

      double[] engine = new double[rounds];
      double[] baseline = new double[rounds];
      double[] roundMs = new double[rounds];
      long seq = 1;
      // One unmeasured round each way first: JIT and the server's caches.
      writeBehind(vertx, ids, seq++);
      bareBatch(bare, ids, seq++);
      for (int r = 0; r < rounds; r++) {
        long nanos = writeBehind(vertx, ids, seq++);
        roundMs[r] = nanos / 1e6;
        engine[r] = tenants * 1e9 / nanos;
        baseline[r] = tenants * 1e9 / bareBatch(bare, ids, seq++);
        LOG.info("round {}: write-behind {} writes/s, bare batch {} rows/s", r + 1,
            BenchReport.number(engine[r], 0), BenchReport.number(baseline[r], 0));
      }
      double value = Percentiles.median(engine);
      double base = Percentiles.median(baseline);
      report.row("store: snapshot writes per second (" + BenchReport.count(tenants)
              + " tenants a round, written behind into the embedded PostgreSQL)",
          BenchReport.number(value, 0) + " writes/s", BenchReport.number(base, 0) + " rows/s (bare pg-client batch)",
          BenchReport.ratio(value, base), ">= 0.5x", value / base >= 0.5);
      double ms = Percentiles.median(roundMs);
      report.row("store: a round of " + BenchReport.count(tenants) + " changed tenants, sent until all stored (median)",
          BenchReport.number(ms, 0) + " ms", "-", "-", "< 1000 ms (R11)", ms < 1000);
      await(bare.close());
    } finally {
      await(vertx.close());
      await(server.stop(Vertx.vertx()).eventually(() -> Future.succeededFuture()));
      BenchReport.deleteTree(dataDir);
    }
  }

  /** Sends every tenant's next snapshot to the store verticle; nanoseconds until none is pending. */
  private static long writeBehind(Vertx vertx, List<String> ids, long seq) throws Exception {
    long start = System.nanoTime();
    for (String id : ids) {
      vertx.eventBus().send(Addresses.STORE_CHANGES, TenantChange.snapshot(id, snapshot(id, seq)).toJson());
    }
    // Sent after the changes from the same thread to the same verticle, each probe is answered only once
    // every change before it has arrived; nothing pending then means all of them are written.
    await(Eventually.until(vertx, () -> vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject())
        .map(m -> m.body().getInteger("pendingWrites")), pending -> pending == 0));
    return System.nanoTime() - start;
  }

  /** The same rows as one bare executeBatch; nanoseconds until it completes. */
  private static long bareBatch(Pool pool, List<String> ids, long seq) throws Exception {
    long start = System.nanoTime();
    List<Tuple> rows = new ArrayList<>(ids.size());
    for (String id : ids) {
      JsonObject snapshot = snapshot(id, seq);
      rows.add(Tuple.of(id, snapshot, seq, snapshot.getInteger("stateCode")));
    }
    await(pool.preparedQuery(UPDATE).executeBatch(rows));
    return System.nanoTime() - start;
  }

  /** A snapshot of the size a busy tenant has: ten history entries with a command each. */
  private static JsonObject snapshot(String tenant, long seq) {
    Instant at = Instant.parse("2026-11-26T12:00:00Z");
    JsonArray history = new JsonArray();
    for (int i = 0; i < 10; i++) {
      history.add(new JsonObject().put("at", at.plusSeconds(i).toString()).put("from", "Running").put("to", "Running")
          .put("cause", "poll").put("commands", new JsonArray().add(new JsonObject().put("type", "endpoint")
              .put("tenant", tenant).put("state", "Running").put("running", true)
              .put("endpoint", "https://sod2.superoffice.com/" + tenant)
              .put("api", "https://sod2.superoffice.com/" + tenant + "/api").put("reason", "poll")
              .put("seq", seq).put("at", at.plusSeconds(i).toString()))));
    }
    return new JsonObject().put("tenant", tenant).put("stateCode", 2).put("rawState", "Running").put("open", true)
        .put("endpoint", "https://sod2.superoffice.com/" + tenant).put("seq", seq)
        .put("validUntil", at.plusSeconds(3600).toString()).put("history", history);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
