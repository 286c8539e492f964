package io.tenantwatch.node;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.cluster.ClusterFormation;
import io.tenantwatch.cluster.Placement;
import io.tenantwatch.cluster.MoveCause;
import io.tenantwatch.cluster.ShardDuties;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.cluster.ShardOwners;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.store.Lease;
import io.tenantwatch.store.LeaseDeadline;
import io.tenantwatch.store.LeaseTake;
import io.tenantwatch.store.ShardLeases;
import io.tenantwatch.tenant.DirectoryMessages;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of the shards (docs/contracts.md, "Cluster"). In rounds, one at a time, it renews the
 * leases it holds, reads the lease table, and carries out the {@link ShardDuties} the members' placement
 * gives: it hands over the shards the plan moves away (the directory stops their tenants and their last
 * snapshots are written, then the leases are released, so the next owner takes them at once) and takes the
 * shards the plan moves here (the lease by compare-and-set, then the directory runs their tenants at the
 * lease's epoch). A round runs every quarter lease, and at once when the members change.
 *
 * <p>Each held lease has a deadline by the node's own monotonic clock ({@link LeaseDeadline}): when no
 * renewal was shown by then (the database is out of reach, or the node was paused), the directory drops
 * the shard's tenants at once, sending nothing, before the lease could have lapsed for anyone else. A
 * renewal that finds the lease taken does the same. On stop (a graceful leave) every held shard is handed
 * over.
 */
public final class ShardOwner extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ShardOwner.class);
  /** How soon a round follows one that found a departed member's leases not yet lapsed. */
  static final long ORPHAN_ROUND_MS = 200;
  /** A hand-over waits for the shard's tenants to stop and their snapshots to be written. */
  private static final DeliveryOptions DIRECTORY_WAIT = new DeliveryOptions().setSendTimeout(60_000);

  private final ClusterOptions options;
  private final String self;
  private final ShardLeases leases;
  private final Membership membership;
  private final LongSupplier nanoTime;
  private final EngineMetrics metrics;
  private final Duration lease;
  private final Duration margin;
  private final SortedMap<Integer, HeldShard> held = new TreeMap<>();
  private ClusterFormation formation;
  private SortedMap<Integer, Lease> table = new TreeMap<>();
  /** The held shards as they stand now, for {@link #mayIssue} on any thread. */
  private volatile Map<Integer, HeldShard> heldNow = Map.of();
  /** Who runs each shard, as of the last round or change here: read by the routing, from any thread. */
  private volatile ShardOwners owners;
  private Future<Void> round = Future.succeededFuture();
  private boolean roundAgain;
  private boolean stopping;
  private long ticker = -1;
  private long renewTicker = -1;
  private long soonTimer = -1;
  /** A renewal under way: the next one waits for it. */
  private boolean renewing;
  /** Held shards whose hand-over has begun: renewed until released, and not counted lost once released. */
  private final Set<Integer> releasing = new HashSet<>();
  private long deadlineTimer = -1;

  /** A shard this node holds: the epoch it holds it at, and by when it must stop its tenants. */
  private record HeldShard(long epoch, LeaseDeadline deadline) {
  }

  public ShardOwner(ClusterOptions options, ShardLeases leases, Membership membership, LongSupplier nanoTime) {
    this(options, leases, membership, nanoTime, EngineMetrics.unscraped());
  }

  /** @param metrics counts renewals and shards taken, handed over and dropped, and shows the members and shards held */
  public ShardOwner(ClusterOptions options, ShardLeases leases, Membership membership, LongSupplier nanoTime,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.options = options;
    this.self = options.nodeId();
    this.leases = leases;
    this.membership = membership;
    this.nanoTime = nanoTime;
    this.lease = Duration.ofMillis(options.leaseMs());
    this.margin = lease.dividedBy(5);
    this.owners = ShardOwners.unknown(self, options.shards());
  }

  @Override
  public Future<?> start() {
    return leases.all().map(rows -> {
      table = byShard(rows);
      // A cluster whose shards are held already is formed: a node that joins it does not wait for minMembers.
      boolean formed = rows.stream().anyMatch(row -> row.owner() != null && !row.owner().equals(self));
      formation = formed ? ClusterFormation.alreadyFormed(options.minMembers())
          : ClusterFormation.coldStart(options.minMembers());
      Context context = vertx.getOrCreateContext();
      membership.onChange(members -> context.runOnContext(v -> {
        publish();
        nextRound();
      }));
      ticker = vertx.setPeriodic(Math.max(100, options.leaseMs() / 4), id -> nextRound());
      // Renewals keep their own pace: a round may wait long for the directory (starting or stopping many
      // tenants), and a lease must not lapse meanwhile.
      renewTicker = vertx.setPeriodic(Math.max(100, options.leaseMs() / 4), id -> renewNow());
      vertx.eventBus().localConsumer(Addresses.SHARDS_REFRESH, lookAgain -> nextRound());
      vertx.eventBus().localConsumer(Addresses.CLUSTER, request -> request.reply(clusterView()));
      metrics.cluster(() -> membership.members().size(), () -> owners.held().size());
      nextRound();
      return null;
    });
  }

  /** A graceful leave: every held shard is handed over, so its next owner takes it at once. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(ticker);
    vertx.cancelTimer(renewTicker);
    vertx.cancelTimer(soonTimer);
    vertx.cancelTimer(deadlineTimer);
    return round.transform(last -> handOver(new ArrayList<>(held.keySet()), "leave"));
  }

  /** The shards this node holds, with their epochs. */
  public SortedMap<Integer, Long> held() {
    SortedMap<Integer, Long> epochs = new TreeMap<>();
    held.forEach((shard, h) -> epochs.put(shard, h.epoch()));
    return epochs;
  }

  /** The lease table as the last round read it. */
  public SortedMap<Integer, Lease> table() {
    return table;
  }

  /**
   * Who runs each shard now, as this node sees it: its own held shards, and the others' from the lease table
   * as last read and the current members. May be called from any thread.
   */
  public ShardOwners owners() {
    return owners;
  }

  /**
   * Whether a command of {@code tenant} at {@code epoch} may still go out from this node: it holds the tenant's
   * shard at that epoch and the lease's deadline by its own monotonic clock has not come. A node woken from a
   * pause longer than its lease finds its deadlines past here before any of its timers could send a word.
   * May be called from any thread.
   */
  public boolean mayIssue(String tenant, long epoch) {
    HeldShard shard = heldNow.get(TenantShard.shard(tenant, options.shards()));
    return shard != null && shard.epoch() == epoch && !shard.deadline().expired();
  }

  /**
   * Whether this node still runs {@code tenant}: it holds the tenant's shard and the lease's deadline by its own
   * monotonic clock has not come. May be called from any thread.
   */
  public boolean runsInTime(String tenant) {
    HeldShard shard = heldNow.get(TenantShard.shard(tenant, options.shards()));
    return shard != null && !shard.deadline().expired();
  }

  private void heldChanged() {
    heldNow = Map.copyOf(held);
  }

  /** Publishes the owners after anything that changes them: a round, a take, a hand-over, a drop, a member change. */
  private void publish() {
    SortedMap<Integer, String> holders = new TreeMap<>();
    table.forEach((shard, row) -> {
      if (row.owner() != null) {
        holders.put(shard, row.owner());
      }
    });
    owners = new ShardOwners(self, options.shards(), membership.members(), holders, held.keySet());
  }

  private void nextRound() {
    if (stopping) {
      return;
    }
    if (!round.isComplete()) {
      roundAgain = true;
      return;
    }
    round = runRound().onComplete(done -> {
      if (done.failed()) {
        LOG.warn("Shard round failed, tried again in the next one: {}", done.cause().getMessage());
      }
      if (roundAgain) {
        roundAgain = false;
        nextRound();
      } else if (orphansWaiting() && soonTimer == -1) {
        // A departed member's leases lapse at a moment the table shows: look often until they are taken, so the
        // takeover follows the lapse by a fraction of a round rather than a whole one.
        soonTimer = vertx.setTimer(ORPHAN_ROUND_MS, id -> {
          soonTimer = -1;
          nextRound();
        });
      }
    });
  }

  private Future<Void> runRound() {
    dropExpired();
    return leases.all()
        .compose(rows -> {
          table = byShard(rows);
          SortedSet<String> members = membership.members();
          formation = formation.observe(members);
          Placement placement = formation.placement(members, options.shards());
          Map<Integer, String> owners = new HashMap<>();
          table.forEach((shard, row) -> {
            if (row.owner() != null) {
              owners.put(shard, row.owner());
            }
          });
          ShardDuties duties = ShardDuties.of(self, owners, placement, held.keySet(), options.maxShardMoves());
          publish();
          return handOver(duties.handOver(), "rebalance").compose(v -> take(duties));
        });
  }

  /** Whether the lease table names an owner that is no longer a member: its shards are to be taken once they lapse. */
  private boolean orphansWaiting() {
    SortedSet<String> members = membership.members();
    return table.values().stream().anyMatch(row -> row.owner() != null && !members.contains(row.owner()));
  }

  /** Renews every held lease; a lease found taken is dropped at once. */
  private void renewNow() {
    if (stopping || renewing) {
      return;
    }
    renewing = true;
    dropExpired();
    renew().onComplete(done -> {
      renewing = false;
      if (done.failed()) {
        LOG.warn("Lease renewal failed, tried again in a quarter lease: {}", done.cause().getMessage());
      }
    });
  }

  private Future<Void> renew() {
    SortedMap<Integer, Long> renewing = held();
    if (renewing.isEmpty()) {
      return Future.succeededFuture();
    }
    LeaseDeadline deadline = LeaseDeadline.sent(nanoTime, lease, margin);
    return leases.renew(self, renewing, options.leaseMs()).onFailure(e -> metrics.leaseRenewal("failed")).map(renewal -> {
      metrics.leaseRenewal(renewal.lost().isEmpty() ? "renewed" : "lost");
      renewal.renewed().forEach(row -> held.computeIfPresent(row.shard(),
          (shard, h) -> new HeldShard(h.epoch(), deadline)));
      heldChanged();
      // Only shards still held as renewed: not handed over or taken again at another epoch meanwhile.
      List<Integer> lost = renewal.lost().stream().filter(shard -> held.containsKey(shard)
          && !releasing.contains(shard) && held.get(shard).epoch() == renewing.get(shard)).toList();
      if (!lost.isEmpty()) {
        LOG.warn("Lost the leases of shard(s) {} to another node; their tenants stop here", lost);
        drop(lost, "lease-lost");
      }
      armDeadline();
      return null;
    });
  }

  /** Drops the shards whose deadline came without a renewal. */
  private void dropExpired() {
    long now = nanoTime.getAsLong();
    List<Integer> expired = held.entrySet().stream().filter(e -> e.getValue().deadline().expired(now))
        .map(Map.Entry::getKey).toList();
    if (!expired.isEmpty()) {
      LOG.error("No renewal of the leases of shard(s) {} in time; their tenants stop here before the leases "
          + "can lapse", expired);
      drop(expired, "lease-deadline");
    }
    armDeadline();
  }

  private void armDeadline() {
    vertx.cancelTimer(deadlineTimer);
    deadlineTimer = -1;
    held.values().stream().mapToLong(h -> h.deadline().remaining().toMillis()).min().ifPresent(ms ->
        deadlineTimer = vertx.setTimer(Math.max(1, ms), id -> dropExpired()));
  }

  /** The shards' tenants stop without a word: the lease is gone, or may be. */
  private void drop(Collection<Integer> shards, String cause) {
    metrics.shardsMoved("dropped", cause, shards.size());
    shards.forEach(held::remove);
    heldChanged();
    publish();
    vertx.eventBus().request(Addresses.DIRECTORY, shardsMessage(DirectoryMessages.DROP, shards), DIRECTORY_WAIT)
        .onFailure(e -> LOG.error("The directory did not drop shard(s) {}: {}", shards, e.getMessage()));
  }

  private Future<Void> handOver(List<Integer> shards, String cause) {
    if (shards.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<Integer, Long> epochs = new TreeMap<>();
    shards.forEach(shard -> epochs.put(shard, held.get(shard).epoch()));
    releasing.addAll(shards);
    return vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY,
            shardsMessage(DirectoryMessages.HAND_OVER, shards), DIRECTORY_WAIT)
        .compose(stopped -> leases.release(self, epochs))
        .onComplete(released -> shards.forEach(releasing::remove))
        .map(released -> {
          shards.forEach(held::remove);
          heldChanged();
          shards.forEach(table::remove);
          publish();
          metrics.shardsMoved("handed-over", cause, shards.size());
          LOG.info("Handed over shard(s) {} ({})", released, cause);
          return null;
        });
  }

  private Future<Void> take(ShardDuties duties) {
    List<Integer> shards = duties.take();
    if (shards.isEmpty()) {
      return Future.succeededFuture();
    }
    // A lease the table gives to this node that it does not hold is an earlier run's: released first, so
    // that taking it again raises its epoch above every command that run sent.
    Map<Integer, Long> earlierRun = new TreeMap<>();
    // Released by their previous owner once it had written their tenants' last snapshots: a graceful hand-over.
    Set<Integer> handedOver = new HashSet<>();
    shards.forEach(shard -> {
      Lease row = table.get(shard);
      if (row != null && self.equals(row.owner())) {
        earlierRun.put(shard, row.epoch());
      } else if (row != null && row.owner() == null) {
        handedOver.add(shard);
      }
    });
    Future<?> released = earlierRun.isEmpty() ? Future.succeededFuture() : leases.release(self, earlierRun);
    return released.compose(v -> {
      LeaseDeadline deadline = LeaseDeadline.sent(nanoTime, lease, margin);
      return leases.take(self, shards, options.leaseMs()).map(results -> {
        Map<Integer, Long> taken = new TreeMap<>();
        for (LeaseTake result : results) {
          if (result instanceof LeaseTake.Taken t) {
            held.put(t.lease().shard(), new HeldShard(t.lease().epoch(), deadline));
            taken.put(t.lease().shard(), t.lease().epoch());
            table.put(t.lease().shard(), t.lease());
            metrics.shardsMoved("taken", causeName(duties.causeOfTake(t.lease().shard())), 1);
          }
        }
        heldChanged();
        armDeadline();
        return taken;
      });
    }).compose(taken -> taken.isEmpty() ? Future.succeededFuture()
        : adopt(taken, handedOver).onComplete(adopted -> publish()));
  }

  private Future<Void> adopt(Map<Integer, Long> taken, Set<Integer> released) {
    JsonArray shards = new JsonArray();
    taken.forEach((shard, epoch) -> shards.add(new JsonObject().put("shard", shard).put("epoch", epoch)
        .put("released", released.contains(shard))));
    return vertx.eventBus().<JsonObject>request(Addresses.DIRECTORY,
            new JsonObject().put("type", DirectoryMessages.ADOPT).put("shards", shards), DIRECTORY_WAIT)
        .map(answer -> {
          LOG.info("Took shard(s) {} ({} tenant(s))", taken.keySet(), answer.body().getInteger("tenants", 0));
          return null;
        });
  }

  private static String causeName(MoveCause cause) {
    return cause.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@link Addresses#CLUSTER}'s answer: the members, the shards each runs, and the lease table as last read. */
  private JsonObject clusterView() {
    ShardOwners now = owners;
    JsonArray members = new JsonArray();
    Map<String, Membership.Seen> seen = membership.seen();
    for (String member : now.members()) {
      Membership.Seen known = seen.get(member);
      members.add(new JsonObject().put("node", member)
          .put("address", known == null ? null : known.address())
          .put("since", known == null ? null : known.since().toString())
          .put("shards", new JsonArray(new ArrayList<>(now.shardsOf(member)))));
    }
    JsonArray shards = new JsonArray();
    for (int shard = 0; shard < options.shards(); shard++) {
      Lease row = table.get(shard);
      shards.add(new JsonObject().put("shard", shard)
          .put("owner", row == null ? null : row.owner())
          .put("epoch", row == null ? null : row.epoch())
          .put("leaseExpiresAt", row == null || row.expiresAt() == null ? null : row.expiresAt().toString()));
    }
    return new JsonObject().put("self", self).put("members", members).put("shards", shards);
  }

  private static JsonObject shardsMessage(String type, Collection<Integer> shards) {
    return new JsonObject().put("type", type).put("shards", new JsonArray(new ArrayList<>(shards)));
  }

  private static SortedMap<Integer, Lease> byShard(List<Lease> rows) {
    SortedMap<Integer, Lease> map = new TreeMap<>();
    rows.forEach(row -> map.put(row.shard(), row));
    return map;
  }
}
