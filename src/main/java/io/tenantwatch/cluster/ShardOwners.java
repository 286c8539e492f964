package io.tenantwatch.cluster;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who runs each shard now, as one node sees it: where a request for a tenant goes (docs/contracts.md,
 * "Routing"). A shard runs here only while this node holds its lease. It runs on another node while the
 * lease table names that node and the node is a current member. Otherwise it is moving: its owner left, or
 * its lease was released or lost, and no member has taken it yet; a request for one of its tenants waits for
 * the next view or is answered "try again".
 *
 * @param self this node's id
 * @param shards the cluster's shard count
 * @param members the current members, this node among them while it holds membership
 * @param leaseOwners the holder of each shard's lease as the lease table last read it (shards without a holder
 *     are absent)
 * @param held the shards whose leases this node holds now
 */
public record ShardOwners(String self, int shards, SortedSet<String> members, SortedMap<Integer, String> leaseOwners,
    Set<Integer> held) {

  /** Where a request for a tenant goes. */
  public sealed interface Route {
    /** The tenant's shard runs on this node. */
    record Here() implements Route {
    }

    /** The tenant's shard runs on {@code node}. */
    record There(String node) implements Route {
    }

    /** Nobody runs the tenant's shard now: it is being handed over or taken over. */
    record Moving(int shard) implements Route {
    }
  }

  private static final Route HERE = new Route.Here();

  public ShardOwners {
    TenantShard.requireShardCount(shards);
    members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
    leaseOwners = Collections.unmodifiableSortedMap(new TreeMap<>(leaseOwners));
    held = Set.copyOf(held);
  }

  /** Before the first read of the lease table: every shard is moving. */
  public static ShardOwners unknown(String self, int shards) {
    return new ShardOwners(self, shards, new TreeSet<>(), new TreeMap<>(), Set.of());
  }

  /** Where a request for {@code tenant} goes now. */
  public Route route(String tenant) {
    int shard = TenantShard.shard(tenant, shards);
    return ownerOf(shard).<Route>map(owner -> owner.equals(self) ? HERE : new Route.There(owner))
        .orElseGet(() -> new Route.Moving(shard));
  }

  /** The node that runs the shard now; empty while it moves. */
  public Optional<String> ownerOf(int shard) {
    if (held.contains(shard)) {
      return Optional.of(self);
    }
    String owner = leaseOwners.get(shard);
    return owner != null && !owner.equals(self) && members.contains(owner) ? Optional.of(owner) : Optional.empty();
  }

  /** The shards that run on {@code node} now, in order. */
  public SortedSet<Integer> shardsOf(String node) {
    SortedSet<Integer> found = new TreeSet<>();
    for (int shard = 0; shard < shards; shard++) {
      if (ownerOf(shard).filter(node::equals).isPresent()) {
        found.add(shard);
      }
    }
    return found;
  }
}
