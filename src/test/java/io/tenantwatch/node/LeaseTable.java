package io.tenantwatch.node;

import io.tenantwatch.cluster.TenantShard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the nodes' shared database says at one moment, read from the test's own connection: who holds each
 * shard's lease (db/migration V3, {@code shard_lease}), whether it is live by the database's clock, and the
 * epoch each tenant's stored snapshot carries (the epoch its last writer held the shard at). This is the
 * record of ownership the nodes themselves go by, so the tests read it rather than any node's view.
 *
 * @param atNanos this JVM's {@link System#nanoTime()} just before the read was sent: whatever it shows was
 *     so at some moment after this
 * @param dbNow the database's {@code now()} during the read
 * @param leases every lease row by shard (shards never taken have none)
 * @param tenantEpochs the epoch of each stored tenant snapshot
 */
record LeaseTable(long atNanos, Instant dbNow, SortedMap<Integer, Lease> leases, SortedMap<String, Long> tenantEpochs) {
  private static final String LEASES = "SELECT shard, owner, epoch, expires_at, expires_at > now() AS live "
      + "FROM shard_lease ORDER BY shard";
  private static final String TENANTS = "SELECT tenant, (snapshot ->> 'epoch')::bigint AS epoch FROM tenant "
      + "WHERE snapshot IS NOT NULL ORDER BY tenant";

  /** One lease row; {@code live} when it has an owner and has not lapsed by the database's clock. */
  record Lease(int shard, String owner, long epoch, Instant expiresAt, boolean live) {
  }

  static Future<LeaseTable> read(SqlClient client) {
    long at = System.nanoTime();
    return client.query("SELECT now() AS db_now").execute().compose(now -> client.query(LEASES).execute()
        .compose(leaseRows -> client.query(TENANTS).execute().map(tenantRows -> {
          SortedMap<Integer, Lease> leases = new TreeMap<>();
          for (Row row : leaseRows) {
            leases.put(row.getInteger("shard"), new Lease(row.getInteger("shard"), row.getString("owner"),
                row.getLong("epoch"), row.getOffsetDateTime("expires_at").toInstant(),
                row.getString("owner") != null && row.getBoolean("live")));
          }
          SortedMap<String, Long> epochs = new TreeMap<>();
          for (Row row : tenantRows) {
            epochs.put(row.getString("tenant"), row.getLong("epoch"));
          }
          Instant dbNow = now.iterator().next().getOffsetDateTime("db_now").toInstant();
          return new LeaseTable(at, dbNow, leases, epochs);
        })));
  }

  /** The live owner of each shard with one, by shard. */
  SortedMap<Integer, String> liveOwners() {
    SortedMap<Integer, String> owners = new TreeMap<>();
    leases.values().stream().filter(Lease::live).forEach(lease -> owners.put(lease.shard(), lease.owner()));
    return owners;
  }

  /** The shards whose live lease {@code nodeId} holds. */
  SortedSet<Integer> shardsOf(String nodeId) {
    SortedSet<Integer> shards = new TreeSet<>();
    liveOwners().forEach((shard, owner) -> {
      if (owner.equals(nodeId)) {
        shards.add(shard);
      }
    });
    return shards;
  }

  /** The live owner of {@code tenant}'s shard, if its lease is held and live. */
  Optional<String> ownerOf(String tenant, int shards) {
    return Optional.ofNullable(liveOwners().get(TenantShard.shard(tenant, shards)));
  }

  /** Each lease row's epoch, by shard. */
  SortedMap<Integer, Long> epochs() {
    SortedMap<Integer, Long> epochs = new TreeMap<>();
    leases.values().forEach(lease -> epochs.put(lease.shard(), lease.epoch()));
    return epochs;
  }

  /** The epoch of {@code shard}'s lease row, 0 when it has none. */
  long epoch(int shard) {
    Lease lease = leases.get(shard);
    return lease == null ? 0 : lease.epoch();
  }

  /** Whether every one of {@code shards} is held, live, by one of {@code nodes} at an epoch above {@code before}'s. */
  boolean takenFrom(LeaseTable before, Collection<Integer> shards, Collection<String> nodes) {
    return shards.stream().allMatch(shard -> {
      Lease lease = leases.get(shard);
      return lease != null && lease.live() && nodes.contains(lease.owner()) && lease.epoch() > before.epoch(shard);
    });
  }

  /** Tenant to the epoch of its shard's lease now, for the {@code tenants} given. */
  SortedMap<String, Long> leaseEpochs(Collection<String> tenants, int shards) {
    SortedMap<String, Long> epochs = new TreeMap<>();
    tenants.forEach(tenant -> epochs.put(tenant, epoch(TenantShard.shard(tenant, shards))));
    return epochs;
  }

  @Override
  public String toString() {
    SortedMap<String, SortedSet<Integer>> byOwner = new TreeMap<>();
    leases.values().forEach(lease -> byOwner.computeIfAbsent(
        lease.live() ? lease.owner() : "(lapsed or released)", o -> new TreeSet<>()).add(lease.shard()));
    return "leases at " + dbNow + ": " + byOwner;
  }
}
