package io.tenantwatch.bench;

import io.tenantwatch.domain.InstantText;
import io.tenantwatch.store.EmbeddedPostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the store's {@code tenant} table with many tenants straight away, as an engine would have left them
 * after watching them a while, without an engine polling each one first: one row the engine itself wrote (a
 * seed tenant's, after its first poll) is the template, and PostgreSQL copies it ({@code INSERT ... SELECT}
 * over {@code generate_series}, a chunk a statement) with each tenant's id in place of the seed's, so a
 * million rows take seconds. Every other tenant (even index) gets a {@code ValidUntil} and next poll in the
 * past, as after an engine that was down longer than its tenants' validity; the rest keep theirs an hour
 * ahead. Every row's origin is {@code admin}, so it is watched whatever the configuration lists.
 */
final class StoredTenantRows {
  private static final Logger LOG = LoggerFactory.getLogger(StoredTenantRows.class);
  private static final int CHUNK = 50_000;
  private static final String TEMPLATE = "SELECT snapshot, seq, state_code, history FROM tenant WHERE tenant = $1";
  private static final String COPY = "INSERT INTO tenant (tenant, origin, snapshot, seq, state_code, history) "
      + "SELECT 'Cust' || ($1::bigint + i), 'admin', "
      + "replace(CASE WHEN i % 2 = 0 THEN $2::text ELSE $3::text END, $4::text, 'Cust' || ($1::bigint + i))::jsonb, "
      + "$5, $6, replace($7::text, $4::text, 'Cust' || ($1::bigint + i))::jsonb "
      + "FROM generate_series($8::int, $9::int) AS i";

  private StoredTenantRows() {
  }

  /** What a benchmark does with the store while no engine runs on it. */
  interface StoreWork<T> {
    T apply(Pool pool) throws Exception;
  }

  /**
   * Starts the embedded PostgreSQL on {@code dataDir} (an engine's, now stopped), runs {@code work} with a pool on
   * it, and stops the server again.
   */
  static <T> T withStore(Vertx vertx, Path dataDir, StoreWork<T> work) throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(vertx, dataDir).await(1, TimeUnit.MINUTES);
    Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setUser(EmbeddedPostgresServer.USER).setDatabase(EmbeddedPostgresServer.DATABASE)).using(vertx).build();
    try {
      return work.apply(pool);
    } finally {
      pool.close().await(1, TimeUnit.MINUTES);
      server.stop(vertx).await(1, TimeUnit.MINUTES);
    }
  }

  /** Whether the tenant at this index (its number minus the first tenant's) was stored with its ValidUntil passed. */
  static boolean due(long index) {
    return index % 2 == 0;
  }

  /**
   * Replaces every row with {@code count} tenants numbered from {@code firstTenant} ({@code Cust<number>}),
   * copied from the seed tenant's row, then vacuums and analyses the table as a store at rest would be.
   *
   * @param seed the tenant whose row (written by the engine) is the template; its id must not occur in the row
   *     but as the tenant's own
   * @param now the restart's time: due tenants' {@code ValidUntil} an hour before it, the others' an hour after
   */
  static void fill(Pool pool, String seed, long firstTenant, int count, Instant now) throws Exception {
    Row template = await(pool.preparedQuery(TEMPLATE).execute(Tuple.of(seed))).iterator().next();
    JsonObject snapshot = (JsonObject) template.getJson("snapshot");
    if (snapshot == null) {
      throw new IllegalStateException("the seed tenant " + seed + " has no stored snapshot");
    }
    String due = at(snapshot, now.minusSeconds(3_600));
    String valid = at(snapshot, now.plusSeconds(3_600));
    String history = template.getJson("history").toString();
    long start = System.nanoTime();
    await(pool.query("DELETE FROM tenant").execute());
    for (int from = 0; from < count; from += CHUNK) {
      int to = Math.min(from + CHUNK, count) - 1;
      await(pool.preparedQuery(COPY).execute(Tuple.tuple().addLong(firstTenant).addString(due).addString(valid)
          .addString(seed).addLong(template.getLong("seq")).addInteger(template.getInteger("state_code"))
          .addString(history).addInteger(from).addInteger(to)));
    }
    long written = System.nanoTime() - start;
    await(pool.query("VACUUM ANALYZE tenant").execute());
    await(pool.query("CHECKPOINT").execute());
    LOG.info("stored {} tenants in {} (vacuumed and checkpointed after {}); template {} with history {}",
        BenchReport.count(count), BenchReport.millis(written), BenchReport.millis(System.nanoTime() - start),
        snapshot.encode(), history);
  }

  /** The template with its ValidUntil and next poll both at {@code instant}, as text. */
  private static String at(JsonObject snapshot, Instant instant) {
    String text = InstantText.format(instant);
    return snapshot.copy().put("validUntil", text).put("nextPollAt", text).encode();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.MINUTES);
  }
}
