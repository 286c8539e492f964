package io.tenantwatch.store;

import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shard leases of a cluster in PostgreSQL ({@code shard_lease}, db/migration V3): the one strongly
 * consistent record of which node holds which shard. Each operation is one statement, a compare-and-set
 * whose expiry is by the database's clock ({@code now()}), so nodes whose clocks disagree still agree on
 * who holds what. Every round trip is bounded by {@link PostgresTenantStore#ROUND_TRIP}.
 *
 * <p>A node runs a shard's tenants only while it holds the lease, and only until its own monotonic
 * {@link LeaseDeadline} says the lease could have lapsed; it renews well before. Tenant writes are fenced by
 * the same rows ({@link PostgresTenantStore} in cluster mode), so even a node that missed its deadline (a
 * long pause) cannot overwrite what the next holder wrote.
 *
 * <p>Operations take {@code shard -> epoch} maps where the caller says what it holds: renewing or releasing
 * a lease acts only on the row that is still that (owner, epoch), never on one another node took since.
 */
public final class ShardLeases {
  private static final String INTERVAL = "$3::float8 * interval '1 millisecond'";
  // One compare-and-set per shard: a row is inserted (epoch 1), or taken over when it has no owner, has
  // lapsed, or is ours (a renewal keeps the epoch; any other take is a change of owner, epoch + 1). The
  // shards not taken are read by a second statement: this one's snapshot may predate the racing take that
  // beat it (it would show a released row, or none at all).
  private static final String TAKE = "WITH wanted AS (SELECT unnest($1::int[]) AS shard), "
      + "taken AS (INSERT INTO shard_lease AS l (shard, owner, epoch, expires_at, renewed_at) "
      + "SELECT shard, $2, 1, now() + " + INTERVAL + ", now() FROM wanted ORDER BY shard "
      + "ON CONFLICT (shard) DO UPDATE SET owner = EXCLUDED.owner, "
      + "epoch = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > now() THEN l.epoch ELSE l.epoch + 1 END, "
      + "expires_at = EXCLUDED.expires_at, renewed_at = now() "
      + "WHERE l.owner IS NULL OR l.owner = EXCLUDED.owner OR l.expires_at <= now() "
      + "RETURNING l.shard, l.owner, l.epoch, l.expires_at) "
      + "SELECT shard, owner, epoch, expires_at FROM taken";
  private static final String READ = "SELECT shard, owner, epoch, expires_at FROM shard_lease "
      + "WHERE shard = ANY($1::int[]) ORDER BY shard";
  // A lease that lapsed is not renewed, even when nobody took it: holding it again is a take (epoch + 1).
  private static final String RENEW = "UPDATE shard_lease l SET expires_at = now() + " + INTERVAL + ", renewed_at = now() "
      + "FROM unnest($1::int[], $2::bigint[]) AS held(shard, epoch) "
      + "WHERE l.shard = held.shard AND l.epoch = held.epoch AND l.owner = $4 AND l.expires_at > now() "
      + "RETURNING l.shard, l.owner, l.epoch, l.expires_at";
  private static final String RELEASE = "UPDATE shard_lease l SET owner = NULL, expires_at = now(), renewed_at = now() "
      + "FROM unnest($1::int[], $2::bigint[]) AS held(shard, epoch) "
      + "WHERE l.shard = held.shard AND l.epoch = held.epoch AND l.owner = $3 RETURNING l.shard";
  private static final String ALL = "SELECT shard, owner, epoch, expires_at FROM shard_lease ORDER BY shard";
  // Writes the count when there is none yet and answers the one there is, in one statement.
  private static final String SHAPE = "INSERT INTO cluster_shape (id, shards) VALUES (1, $1) "
      + "ON CONFLICT (id) DO UPDATE SET id = cluster_shape.id RETURNING shards";

  private final SqlClient client;
  private final int shards;

  /**
   * @param client a pool to the migrated database (a connection in a transaction in tests)
   * @param shards the cluster's shard count, as {@link #claimShape} checked it
   */
  ShardLeases(SqlClient client, int shards) {
    this.client = client;
    this.shards = TenantShard.requireShardCount(shards);
  }

  /**
   * Checks this node's shard count against the cluster's, writing it when this node is the first: fails
   * with a {@link ConfigException} on {@code cluster.shards} that names both counts when they differ.
   */
  static Future<Void> claimShape(SqlClient client, int shards) {
    TenantShard.requireShardCount(shards);
    return PostgresTenantStore.bounded(client.preparedQuery(SHAPE).execute(Tuple.of(shards))).compose(rows -> {
      int cluster = rows.iterator().next().getInteger("shards");
      return cluster == shards ? Future.succeededFuture() : Future.failedFuture(ConfigException.of("cluster.shards",
          "is " + shards + " on this node, but the cluster on this database has " + cluster + " shards; every "
              + "node of a cluster needs the same count (a new count needs a new database)"));
    });
  }

  /** The cluster's shard count. */
  public int shards() {
    return shards;
  }

  /**
   * Takes each of {@code wanted} for {@code nodeId} for {@code leaseMs} from the database's now: a shard is
   * taken when it has no row, was released, has lapsed, or is already the node's (a renewal, same epoch).
   * Take the {@link LeaseDeadline} before calling.
   *
   * @return per shard, by ascending shard, whether the node holds it now or who else does
   * @throws IllegalArgumentException (a failed future) when a shard is out of range, the node id is blank
   *     or {@code leaseMs < 1}; nothing is taken then
   */
  public Future<List<LeaseTake>> take(String nodeId, Collection<Integer> wanted, long leaseMs) {
    SortedSet<Integer> sorted;
    try {
      sorted = checked(wanted);
      checkNode(nodeId, leaseMs);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (sorted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Integer[] list = sorted.toArray(new Integer[0]);
    return PostgresTenantStore.bounded(client.preparedQuery(TAKE).execute(Tuple.of(list, nodeId, leaseMs)))
        .compose(rows -> {
          SortedMap<Integer, Lease> found = byShard(rows);
          Integer[] missing = sorted.stream().filter(s -> !found.containsKey(s)).toArray(Integer[]::new);
          if (missing.length == 0) {
            return Future.succeededFuture(found);
          }
          return PostgresTenantStore.bounded(client.preparedQuery(READ).execute(Tuple.of((Object) missing)))
              .map(again -> {
                found.putAll(byShard(again));
                return found;
              });
        })
        .map(found -> {
          List<LeaseTake> result = new ArrayList<>(found.size());
          found.values().forEach(lease -> result.add(lease.heldBy(nodeId)
              ? new LeaseTake.Taken(lease) : new LeaseTake.HeldByOther(lease)));
          return result;
        });
  }

  /**
   * Extends, by {@code leaseMs} from the database's now, each lease of {@code held} that is still
   * {@code nodeId}'s under the epoch given and has not lapsed. Take the {@link LeaseDeadline} before calling.
   *
   * @param held shard to the epoch the node holds it under
   * @return the leases renewed and the shards lost
   */
  public Future<LeaseRenewal> renew(String nodeId, Map<Integer, Long> held, long leaseMs) {
    SortedMap<Integer, Long> sorted;
    try {
      sorted = checked(held);
      checkNode(nodeId, leaseMs);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (sorted.isEmpty()) {
      return Future.succeededFuture(new LeaseRenewal(List.of(), Set.of()));
    }
    Tuple args = Tuple.of(sorted.keySet().toArray(new Integer[0]), sorted.values().toArray(new Long[0]), leaseMs, nodeId);
    return PostgresTenantStore.bounded(client.preparedQuery(RENEW).execute(args)).map(rows -> {
      SortedMap<Integer, Lease> renewed = byShard(rows);
      Set<Integer> lost = new TreeSet<>(sorted.keySet());
      lost.removeAll(renewed.keySet());
      return new LeaseRenewal(new ArrayList<>(renewed.values()), lost);
    });
  }

  /**
   * Lets go of each lease of {@code held} that is still {@code nodeId}'s under the epoch given: it has no
   * owner and has lapsed, so the next node takes it at once. Release only after the shard's tenants are
   * stopped and their last writes are in: a write under a released lease is refused.
   *
   * @return the shards released, ascending
   */
  public Future<SortedSet<Integer>> release(String nodeId, Map<Integer, Long> held) {
    SortedMap<Integer, Long> sorted;
    try {
      sorted = checked(held);
      checkNode(nodeId, 1);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (sorted.isEmpty()) {
      return Future.succeededFuture(new TreeSet<>());
    }
    Tuple args = Tuple.of(sorted.keySet().toArray(new Integer[0]), sorted.values().toArray(new Long[0]), nodeId);
    return PostgresTenantStore.bounded(client.preparedQuery(RELEASE).execute(args)).map(rows -> {
      SortedSet<Integer> released = new TreeSet<>();
      rows.forEach(row -> released.add(row.getInteger("shard")));
      return released;
    });
  }

  /** Every lease row, by ascending shard (shards never taken have none): for the cluster's view. */
  public Future<List<Lease>> all() {
    return PostgresTenantStore.bounded(client.query(ALL).execute()).map(rows -> new ArrayList<>(byShard(rows).values()));
  }

  /** Closes the leases' own connections (a node releases its leases first). */
  public Future<Void> close() {
    return client.close();
  }

  private static SortedMap<Integer, Lease> byShard(RowSet<Row> rows) {
    SortedMap<Integer, Lease> leases = new TreeMap<>();
    for (Row row : rows) {
      Instant expires = row.getOffsetDateTime("expires_at").toInstant();
      leases.put(row.getInteger("shard"), new Lease(row.getInteger("shard"), row.getString("owner"),
          row.getLong("epoch"), expires));
    }
    return leases;
  }

  private SortedSet<Integer> checked(Collection<Integer> wanted) {
    SortedSet<Integer> sorted = new TreeSet<>();
    for (Integer shard : wanted) {
      if (shard == null || shard < 0 || shard >= shards) {
        throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
      }
      sorted.add(shard);
    }
    return sorted;
  }

  private SortedMap<Integer, Long> checked(Map<Integer, Long> held) {
    checked(held.keySet());
    SortedMap<Integer, Long> sorted = new TreeMap<>();
    held.forEach((shard, epoch) -> {
      if (epoch == null || epoch < 1) {
        throw new IllegalArgumentException("shard " + shard + " is held under epoch " + epoch + ", not one of at least 1");
      }
      sorted.put(shard, epoch);
    });
    return sorted;
  }

  private static void checkNode(String nodeId, long leaseMs) {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("a node id must not be null or blank");
    }
    if (leaseMs < 1) {
      throw new IllegalArgumentException("a lease lasts at least 1 ms, was " + leaseMs);
    }
  }
}
