package io.tenantwatch.node;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The lease table read again and again while something happens ({@value Within#EVERY_MS} ms apart, one read
 * at a time, on this JVM's Vert.x), so a test can tell afterwards who held a shard around the time a poll
 * arrived, or how many shards moved at once.
 */
final class LeaseSamples {
  private final Vertx vertx;
  private final SqlClient client;
  private final List<LeaseTable> taken = new CopyOnWriteArrayList<>();
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean stopping;

  private LeaseSamples(Vertx vertx, SqlClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  static LeaseSamples start(Vertx vertx, SqlClient client) {
    LeaseSamples samples = new LeaseSamples(vertx, client);
    vertx.runOnContext(v -> samples.next());
    return samples;
  }

  private void next() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    // A read that fails is skipped: the next one comes all the same.
    LeaseTable.read(client).onSuccess(taken::add)
        .onComplete(read -> vertx.setTimer(Within.EVERY_MS, id -> next()));
  }

  /**
   * Stops after the read under way and reads once more; returns every table read, in order. The last read is sent
   * after this call, so the tables end after whatever the test saw before it (a take the test waited for may have
   * come after the last read of the loop, which would then still show the lease's former holder).
   */
  List<LeaseTable> stop() throws Exception {
    stopping = true;
    stopped.future().await(30, TimeUnit.SECONDS);
    taken.add(LeaseTable.read(client).await(30, TimeUnit.SECONDS));
    return List.copyOf(taken);
  }

  /** The first table whose read was sent at or after {@code nanos}. */
  static Optional<LeaseTable> firstFrom(List<LeaseTable> tables, long nanos) {
    return tables.stream().filter(table -> table.atNanos() - nanos >= 0).findFirst();
  }
}
