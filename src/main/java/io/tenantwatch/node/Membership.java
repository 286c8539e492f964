package io.tenantwatch.node;

import io.tenantwatch.config.ClusterOptions;
import io.tenantwatch.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.ArrayList;
import java.util.Collections;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current members of the cluster, by their tenantwatch {@code nodeId} (issue 16, part 1), as this
 * node's cluster manager sees them: the view placement computes the owners of shards from.
 *
 * <p>A member counts once its {@link MemberInfo} is readable and its {@code cluster.shards} equals this
 * node's. A member with another count is never counted (it refuses to start on its own, and its shards
 * would not be ours); one whose metadata is not published yet counts from the next reconciliation.
 *
 * <p>The view comes from the cluster manager's node list, read at start, on every node event, and again
 * every {@value #RECONCILE_EVERY_MS} ms: node events alone are incomplete (members already present when
 * a node joins send it none, and a merge after a split brings its own). Each reconciliation also checks that
 * this node's own info is still in the cluster, and publishes it again when a merge removed it. It takes the
 * cluster manager's one node-listener slot, so Vert.x HA, which wants the same slot, must stay off.
 *
 * <p>The start is refused, with a {@link ConfigException}, on a Vertx that is not clustered
 * ({@code cluster.enabled}), when a member already shows another shard count ({@code cluster.shards}),
 * or when one already uses this node's {@code nodeId} ({@code cluster.nodeId}). On a platform's own
 * clustered Vertx, whose metadata carries no {@link MemberInfo}, it adds this node's to that metadata.
 *
 * <p>Threading: {@link #members()} and {@link #holdsMembership()} may be called from any thread;
 * {@link #onChange} listeners run on this verticle's context, after {@link #members()} shows the change.
 */
public final class Membership extends VerticleBase {
  /** How often the view is read again from the cluster manager's node list, whatever the events said. */
  public static final long RECONCILE_EVERY_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final MemberInfo self;
  private final Clock clock;
  /** When each current member was first counted, and where its event bus listens; read from any thread. */
  private volatile Map<String, Seen> seen = Map.of();
  /** Vert.x node id to where its event bus listens. Context only. */
  private final Map<String, String> addresses = new HashMap<>();
  private final List<Consumer<SortedSet<String>>> listeners = new CopyOnWriteArrayList<>();
  /** Vert.x node id to its published info; a node's info never changes, so it is read once. Context only. */
  private final Map<String, MemberInfo> known = new HashMap<>();
  /** Vert.x node ids already reported for another shard count, so each is logged once. Context only. */
  private final Set<String> reported = new HashSet<>();
  private volatile ClusterManager clusterManager;
  private volatile SortedSet<String> members = Collections.emptySortedSet();
  private boolean reading;
  private boolean readAgain;
  private long timer = -1;

  public Membership(ClusterOptions options) {
    this(options, Clock.systemUTC());
  }

  /** @param clock tells when each member was first seen */
  public Membership(ClusterOptions options, Clock clock) {
    this.self = MemberInfo.of(options);
    this.clock = clock;
  }

  /**
   * A current member as this node knows it.
   *
   * @param address where its event bus listens, {@code host:port}
   * @param since when this node first counted it among the members (since its own start, for those already there)
   */
  public record Seen(String address, Instant since) {
  }

  /** The current members by node id, with where they listen and since when they are members. Any thread. */
  public Map<String, Seen> seen() {
    return seen;
  }

  /** This node's {@code cluster.nodeId}. */
  public String self() {
    return self.nodeId();
  }

  /** The current members' node ids, sorted, this node's among them while it holds membership. */
  public SortedSet<String> members() {
    return members;
  }

  /**
   * Whether this node is a member now: its cluster manager is active and lists it. False before the
   * start, after the stop, and once the cluster manager has left or been shut down.
   */
  public boolean holdsMembership() {
    ClusterManager manager = clusterManager;
    return manager != null && manager.isActive() && nodes(manager).contains(manager.getNodeId());
  }

  /** Calls {@code listener} with the new members each time they change (not with the first view). */
  public void onChange(Consumer<SortedSet<String>> listener) {
    listeners.add(listener);
  }

  @Override
  public Future<?> start() {
    if (!vertx.isClustered()) {
      return Future.failedFuture(notClustered());
    }
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    return publishSelf(manager)
        .compose(v -> read(manager))
        .compose(view -> refuseConflicts(view).map(view))
        .onSuccess(view -> {
          clusterManager = manager;
          members = Collections.unmodifiableSortedSet(countedMembers(view));
          NodeInfo own = manager.getNodeInfo();
          addresses.put(manager.getNodeId(), own.host() + ":" + own.port());
          recordSeen(view, members);
          manager.nodeListener(new Events());
          timer = vertx.setPeriodic(RECONCILE_EVERY_MS, id -> reconcile());
          LOG.info("cluster member {} ({} shards); members {}", self.nodeId(), self.shards(), members);
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    ClusterManager manager = clusterManager;
    if (manager != null) {
      manager.nodeListener(null);
    }
    return Future.succeededFuture();
  }

  /** The refusal of {@code cluster.enabled} on a Vertx that is not clustered. */
  public static ConfigException notClustered() {
    return ConfigException.of("cluster.enabled", "needs a clustered Vertx: start the engine on a Vertx built "
        + "with a cluster manager (the runnable jar builds one with Hazelcast; a platform passes its own), "
        + "or set cluster.enabled to false");
  }

  /** Makes sure this node's metadata carries its {@link MemberInfo}, so the others can read it. */
  private Future<Void> publishSelf(ClusterManager manager) {
    NodeInfo own = manager.getNodeInfo();
    if (MemberInfo.readFrom(own.metadata()).filter(self::equals).isPresent()) {
      return Future.succeededFuture();
    }
    Promise<Void> published = Promise.promise();
    manager.setNodeInfo(new NodeInfo(own.host(), own.port(), self.writeTo(own.metadata())), published);
    return published.future();
  }

  private Future<Void> refuseConflicts(View view) {
    for (MemberInfo other : view.others().values()) {
      if (other.shards() != self.shards()) {
        return Future.failedFuture(ConfigException.of("cluster.shards", "is " + self.shards() + " here but "
            + other.shards() + " on member " + other.nodeId() + ": every member must have the same "
            + "cluster.shards, and a member whose count differs refuses to start"));
      }
      if (other.nodeId().equals(self.nodeId())) {
        return Future.failedFuture(ConfigException.of("cluster.nodeId", "\"" + self.nodeId()
            + "\" is already the name of another member: every member needs its own"));
      }
    }
    return Future.succeededFuture();
  }

  /** Reads the view again; one read at a time, and a request during one runs another after it. */
  private void reconcile() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    ClusterManager manager = clusterManager;
    Future<View> view = read(manager);
    Future.join(keepPublished(manager), view).onComplete(done -> {
      reading = false;
      if (view.succeeded()) {
        apply(view.result());
      }
      if (readAgain) {
        readAgain = false;
        reconcile();
      }
    });
  }

  /**
   * Publishes this node's info again when the cluster no longer has it (docs/contracts.md, "The cluster",
   * Membership). A member split off and merged back can remove the others' info from the merged cluster:
   * vertx-hazelcast removes the info of each member it sees leave, and Hazelcast retries after the merge the
   * operations the merge interrupted. Nothing else writes a member's info again, and a member that has not read
   * this node's never counts it. Never fails: a put that fails is tried again at the next reconciliation.
   */
  private Future<Void> keepPublished(ClusterManager manager) {
    if (!manager.isActive()) {
      return Future.succeededFuture();
    }
    Promise<NodeInfo> published = Promise.promise();
    manager.getNodeInfo(manager.getNodeId(), published);
    return published.future().transform(read -> {
      if ((read.succeeded() && read.result() != null) || !manager.isActive()) {
        return Future.succeededFuture();
      }
      // INFO, not WARN: a member that merges finds its own info gone for a moment on every merge, until
      // vertx-hazelcast writes it again.
      LOG.info("this node's info ({}) is not in the cluster's node-info map: publishing it again", self.nodeId());
      Promise<Void> put = Promise.promise();
      manager.setNodeInfo(manager.getNodeInfo(), put);
      return put.future().recover(failed -> {
        LOG.warn("this node's info ({}) could not be published again: {}", self.nodeId(), failed.toString());
        return Future.succeededFuture();
      });
    });
  }

  /** The node list and the info of every other node on it that has published one. */
  private Future<View> read(ClusterManager manager) {
    List<String> nodes = nodes(manager);
    String ownId = manager.getNodeId();
    known.keySet().retainAll(nodes);
    addresses.keySet().retainAll(nodes);
    List<Future<Optional<Read>>> reads = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String node : nodes) {
      if (!node.equals(ownId) && !known.containsKey(node)) {
        unknown.add(node);
        reads.add(infoOf(manager, node));
      }
    }
    return Future.join(reads).transform(done -> {
      for (int i = 0; i < unknown.size(); i++) {
        String node = unknown.get(i);
        reads.get(i).result().ifPresent(read -> {
          known.put(node, read.info());
          addresses.put(node, read.address());
        });
      }
      Map<String, MemberInfo> others = new HashMap<>(known);
      others.keySet().retainAll(nodes);
      return Future.succeededFuture(new View(nodes.contains(ownId), others));
    });
  }

  /** A node's info, or empty when it has none yet (its event bus is still starting) or has just left. */
  private static Future<Optional<Read>> infoOf(ClusterManager manager, String node) {
    Promise<NodeInfo> info = Promise.promise();
    manager.getNodeInfo(node, info);
    return info.future().transform(read -> {
      if (read.failed() || read.result() == null) {
        return Future.succeededFuture(Optional.empty());
      }
      NodeInfo found = read.result();
      return Future.succeededFuture(MemberInfo.readFrom(found.metadata())
          .map(member -> new Read(member, found.host() + ":" + found.port())));
    });
  }

  /** A node's published info and where its event bus listens. */
  private record Read(MemberInfo info, String address) {
  }

  /** Keeps when each counted member was first seen, and where it listens. */
  private void recordSeen(View view, SortedSet<String> counted) {
    Map<String, Seen> before = seen;
    Map<String, Seen> next = new HashMap<>();
    Map<String, String> addressOf = new HashMap<>();
    view.others().forEach((node, info) -> addressOf.put(info.nodeId(), addresses.get(node)));
    ClusterManager manager = clusterManager;
    if (manager != null) {
      addressOf.put(self.nodeId(), addresses.get(manager.getNodeId()));
    }
    for (String member : counted) {
      Seen was = before.get(member);
      next.put(member, new Seen(addressOf.get(member), was != null ? was.since() : clock.instant()));
    }
    seen = Map.copyOf(next);
  }

  private void apply(View view) {
    SortedSet<String> next = countedMembers(view);
    if (next.equals(members)) {
      return;
    }
    SortedSet<String> before = members;
    recordSeen(view, next);
    members = Collections.unmodifiableSortedSet(next);
    LOG.info("cluster members now {} (were {})", members, before);
    for (Consumer<SortedSet<String>> listener : listeners) {
      listener.accept(members);
    }
  }

  /** This node and every other with the same shard count, while this node is on the list; else none. */
  private SortedSet<String> countedMembers(View view) {
    SortedSet<String> next = new TreeSet<>();
    if (view.includesSelf() && clusterManager.isActive()) {
      next.add(self.nodeId());
      view.others().forEach((node, info) -> {
        if (info.shards() == self.shards()) {
          next.add(info.nodeId());
        } else if (reported.add(node)) {
          LOG.warn("member {} has cluster.shards {} but this node {}: it is not counted as a member", info.nodeId(),
              info.shards(), self.shards());
        }
      });
    }
    return next;
  }

  /** The cluster manager's node list; empty once it is no longer active (Hazelcast shut down). */
  private static List<String> nodes(ClusterManager manager) {
    if (!manager.isActive()) {
      return List.of();
    }
    try {
      return manager.getNodes();
    } catch (IllegalStateException notActive) {
      // Hazelcast shut down between the check and the call (HazelcastInstanceNotActiveException).
      return List.of();
    }
  }

  /** Node events only say "look again": they run on Hazelcast's threads and are not the whole story. */
  private final class Events implements NodeListener {
    @Override
    public void nodeAdded(String nodeId) {
      context.runOnContext(v -> reconcile());
    }

    @Override
    public void nodeLeft(String nodeId) {
      context.runOnContext(v -> reconcile());
    }
  }

  /** What one read found: whether the node list has this node, and the others' published info. */
  private record View(boolean includesSelf, Map<String, MemberInfo> others) {
  }
}
