package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.LocalObjects;
import io.tenantwatch.bus.ShardList;
import io.tenantwatch.domain.History;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.EngineMetrics;
import io.tenantwatch.metrics.TenantCensus;
import io.tenantwatch.store.StoredPage;
import io.tenantwatch.store.TenantStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys a {@link TenantVerticle} per watched tenant, supervises it and undeploys it on unwatch. It is
 * the one place that decides where a tenant runs. Each tenant hands it its snapshot after every step;
 * the snapshots answer listings without asking every tenant, and are what a tenant
 * whose verticle failed is restarted from, so it resumes with the same gate and {@code seq} and sends
 * no command on restart. A tenant that keeps failing is restarted after a growing pause (up to
 * {@link RestartPolicy#MAX_DELAY}), so a bug that strikes on every step cannot flood the log.
 *
 * <p>An unwatch, a watch of the same tenant and a restart never cross: a watch waits for an unwatch of
 * the tenant under way and continues its {@code seq} from the unwatch's answer; an unwatch of a tenant
 * waiting for its restart restarts it at once, so its {@code retire} goes out; a pause that ends for a
 * tenant no longer watched (or watched afresh) deploys nothing; and each deployment of a tenant has its
 * own number (its run), so a report of any but the tenant's current verticle is dropped.
 */
public final class TenantDirectory extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);
  /** The key-value that carries the tenant id on a log line (JSON logs show it as a field). */
  private static final String TENANT_FIELD = "tenant";
  /** Tenants deployed at start, or asked to quiesce at stop, at a time. */
  private static final int BATCH = 256;
  /**
   * One set of (default) options for every tenant's deployment, which Vert.x keeps for the deployment's
   * life: without it each of a million tenants holds its own copy. Never changed.
   */
  private static final DeploymentOptions TENANT_DEPLOYMENT = new DeploymentOptions();

  private final TenantBehaviour behaviour;
  private final Clock clock;
  private final PollWatchdog watchdog;
  private final List<String> configured;
  private final boolean durable;
  private StoreFeed store;
  private final WatchedTenants tenants;
  private final HeldShards held;
  /** The run of the latest tenant verticle deployed. */
  private long runs;
  private final FreshSeq freshSeq = new FreshSeq();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private boolean quiescing;
  /** The most stored tenants a page of the restore holds: {@link TenantStore#PAGE}, fewer in tests. */
  private int restorePage = TenantStore.PAGE;

  /** With the engine's own machine and a watchdog for the default request timeout. */
  public TenantDirectory(TenantMachine machine, Clock clock, Collection<String> configuredTenants) {
    this(machine::apply, clock, configuredTenants, PollWatchdog.forRequestTimeout(Duration.ofSeconds(5)));
  }

  /**
   * @param behaviour the tenants' state machine ({@code machine::apply})
   * @param clock the time the tenants' machine and timers go by
   * @param configuredTenants the tenants watched from the start
   * @param watchdog how long a tenant waits for a poll's result before asking again
   */
  public TenantDirectory(TenantBehaviour behaviour, Clock clock, Collection<String> configuredTenants,
      PollWatchdog watchdog) {
    this(behaviour, clock, configuredTenants, watchdog, false, EngineMetrics.unscraped().tenants(),
        HeldShards.everything());
  }

  /**
   * The engine's directory: a store verticle keeps its tenants, so it restores the stored tenants at
   * start (R11) and tells the store every watch, unwatch and snapshot.
   *
   * @param census the tenant gauges, kept up to date from every snapshot the tenants hand over
   */
  public static TenantDirectory stored(TenantBehaviour behaviour, Clock clock, Collection<String> configuredTenants,
      PollWatchdog watchdog, TenantCensus census) {
    return new TenantDirectory(behaviour, clock, configuredTenants, watchdog, true, census, HeldShards.everything());
  }

  /**
   * A cluster node's directory: it runs only the tenants of the shards its node's shard owner hands it
   * ({@link DirectoryMessages#ADOPT}), restored from the store and announced with reason {@code handover}
   * at the shard's lease epoch, and stops them again on {@link DirectoryMessages#HAND_OVER} and
   * {@link DirectoryMessages#DROP}. The configured tenants start with their shards.
   *
   * @param shards the cluster's shard count ({@code cluster.shards})
   */
  public static TenantDirectory clustered(TenantBehaviour behaviour, Clock clock, Collection<String> configuredTenants,
      PollWatchdog watchdog, TenantCensus census, int shards) {
    return new TenantDirectory(behaviour, clock, configuredTenants, watchdog, true, census,
        HeldShards.clustered(shards));
  }

  /**
   * @param durable whether a store verticle keeps the tenants ({@code io.tenantwatch.store}): the
   *     directory then restores the stored tenants at start (R11) and tells the store every watch, unwatch
   *     and snapshot
   * @param census the tenant gauges, kept up to date from every snapshot the tenants hand over
   */
  private TenantDirectory(TenantBehaviour behaviour, Clock clock, Collection<String> configuredTenants,
      PollWatchdog watchdog, boolean durable, TenantCensus census, HeldShards held) {
    this.durable = durable;
    this.held = held;
    this.tenants = new WatchedTenants(census);
    this.behaviour = behaviour;
    this.clock = clock;
    this.watchdog = watchdog;
    this.configured = List.copyOf(configuredTenants);
  }

  /** Restores pages of at most {@code tenants} stored tenants, so a test makes many pages of a few tenants. */
  TenantDirectory restorePage(int tenants) {
    restorePage = tenants;
    return this;
  }

  @Override
  public Future<?> start() {
    store = new StoreFeed(vertx, durable, tenants::get, held::epochOf);
    store.pageSize(restorePage);
    consumers.add(vertx.eventBus().localConsumer(Addresses.DIRECTORY, this::onRequest));
    consumers.add(vertx.eventBus().<Object>localConsumer(Addresses.DIRECTORY_SNAPSHOTS, m -> {
      if (m.body() instanceof SnapshotReport report) {
        onReport(report);
      } else if (m.body() instanceof NotificationSeen seen) {
        onSeen(seen);
      }
    }));
    List<Future<?>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    if (held.isClustered()) {
      // A cluster node's tenants start with the shards its shard owner takes: here only the epoch.
      return Future.all(ready).compose(v -> store.restore(List.of(), held.shardCount(), page -> Future.succeededFuture()))
          .onSuccess(freshSeq::startEpoch);
    }
    StartingTenants start = StartingTenants.atStart(configured, clock.instant());
    return Future.all(ready).compose(v -> watchAtStart(start, each -> store.restore(page -> {
      freshSeq.startEpoch(page.epoch()); // from the first page on: before any tenant is watched afresh
      return each.apply(page);
    }))).mapEmpty();
  }

  /**
   * Deploys the stored tenants a page at a time as {@code pages} hands them over, then the configured ones
   * the store lacked; each page a batch at a time, each batch once the one before is up, so that tens of
   * thousands of them never hold the event loop for long, and a million never hold the heap twice over
   * (their first polls are spread by the poller's limiter whatever the pace here). Answers the start epoch.
   *
   * @param pages reads the store, handing each page to the function it is given
   */
  private Future<Long> watchAtStart(StartingTenants start,
      Function<Function<StoredPage, Future<?>>, Future<Long>> pages) {
    return pages.apply(page -> watchPage(start.page(page)))
        .compose(epoch -> {
          List<StartingTenants.Starting> unstored = start.unstored();
          tenants.expect(unstored.size());
          return watchAll(unstored).map(epoch);
        })
        .onSuccess(v -> LOG.info("watching {} tenant(s){}: {} from the configuration, {} restored from the store",
            start.started(), held.isClustered() ? " more" : "", start.startedFromConfig(), start.startedRestored()));
  }

  private Future<Void> watchPage(StartingTenants.Page page) {
    Future<Void> chain = Future.succeededFuture();
    List<StartingTenants.Starting> dropped = page.dropped();
    for (int from = 0; from < dropped.size(); from += BATCH) {
      // Deployed only to be unwatched: the retire each sends tells the workers that remember it.
      List<StartingTenants.Starting> batch = dropped.subList(from, Math.min(from + BATCH, dropped.size()));
      chain = chain.compose(v -> Future.join(batch.stream().map(this::unwatchDropped).toList()).mapEmpty());
    }
    return chain.compose(v -> watchAll(page.starting())).compose(v -> caughtUp());
  }

  /**
   * Completes once this node's worker registry and poller have taken what the tenants started so far sent them
   * (their announcements, the due tenants' poll requests): a restart's pages go no faster than those two take
   * their messages, so a million restored tenants never wait in their queues at once. Never fails: without
   * either (a directory deployed alone, in tests) the pace is the deployments' own.
   */
  private Future<Void> caughtUp() {
    return Future.join(vertx.eventBus().request(Addresses.WORKERS_CAUGHT_UP, null, LocalObjects.ONLY_LOCAL),
            vertx.eventBus().request(Addresses.POLL_PROGRESS, null, LocalObjects.ONLY_LOCAL))
        .<Void>mapEmpty().recover(notThere -> Future.succeededFuture());
  }

  private Future<Void> watchAll(List<StartingTenants.Starting> starting) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < starting.size(); from += BATCH) {
      List<StartingTenants.Starting> batch = starting.subList(from, Math.min(from + BATCH, starting.size()));
      chain = chain.compose(v -> Future.all(batch.stream()
          .map(this::watch).toList()).mapEmpty());
    }
    return chain;
  }

  private Future<Void> unwatchDropped(StartingTenants.Starting leaving) {
    String tenant = leaving.tenant();
    return watch(tenant, leaving.origin(), leaving.restored())
        .compose(id -> unwatch(tenant))
        .transform(unwatched -> {
          LOG.info("{}: no longer in the configuration; no longer watched", tenant);
          // Out of the store even when its verticle could not be deployed to say retire.
          store.unwatched(tenant);
          return Future.succeededFuture();
        });
  }

  /**
   * The snapshots not yet with the store go to it, as fast as it takes them; the store, undeployed after
   * the directory, writes them. A store that takes none leaves a WARN, and the stop goes on.
   */
  @Override
  public Future<?> stop() {
    return store.flush().recover(notTaken -> Future.succeededFuture());
  }

  private void onRequest(Message<JsonObject> message) {
    JsonObject body = message.body();
    String type = body == null ? "" : body.getString("type", "");
    String tenant = body == null ? null : body.getString("tenant");
    switch (type) {
      case DirectoryMessages.LIST -> message.reply(tenants.list(body.getInteger("stateCode"), body.getBoolean("running")));
      case DirectoryMessages.REPOLL_ALL -> message.reply(tenants.repollAll(vertx.eventBus()));
      case DirectoryMessages.COUNT -> message.reply(new JsonObject().put("tenants", tenants.count()));
      case DirectoryMessages.CONTAINS -> {
        if (refusedHere(tenant, message)) {
          return;
        }
        message.reply(tenants.contains(tenant, clock.instant()));
      }
      case DirectoryMessages.CRASHED -> onCrashed(tenant, body.getValue(DirectoryMessages.RUN));
      case DirectoryMessages.ADOPT, DirectoryMessages.HAND_OVER, DirectoryMessages.DROP -> onShards(type, message);
      case DirectoryMessages.QUIESCE -> quiesce().onComplete(quiet -> message.reply(new JsonObject()
          .put("tenants", quiet.succeeded() ? quiet.result() : 0)));
      case DirectoryMessages.WATCH, DirectoryMessages.UNWATCH -> {
        if (!ContextId.isValid(tenant)) {
          message.fail(Failures.MALFORMED, "not a context identifier");
          return;
        }
        if (refusedHere(tenant, message)) {
          return;
        }
        if (type.equals(DirectoryMessages.UNWATCH)) {
          unwatch(tenant).onSuccess(message::reply).onFailure(e -> message.fail(Failures.NOT_WATCHED, e.getMessage()));
          return;
        }
        WatchOrigin origin = WatchOrigin.byWireName(body.getString("origin")).orElse(WatchOrigin.ADMIN);
        WatchedTenant existing = tenants.get(tenant);
        // One waiting for its restart is watched: the answer does not wait up to a minute for its verticle.
        Future<String> watching = existing != null && existing.restart != null ? Future.succeededFuture()
            : watch(tenant, origin, null);
        watching.onSuccess(id -> message.reply(new JsonObject().put("created", existing == null)))
            .onFailure(e -> message.fail(Failures.FAILED, "could not start watching: " + e.getMessage()));
      }
      default -> message.fail(Failures.MALFORMED, "unknown directory request type");
    }
  }

  /**
   * Fails a request about a tenant this node does not answer for with {@link Failures#NOT_OWNER}: its shard
   * is held elsewhere or nowhere, or was just taken and its stored tenants are still starting. The routing
   * tries such a request again at the shard's owner.
   */
  private boolean refusedHere(String tenant, Message<JsonObject> message) {
    if (tenant != null && ContextId.isValid(tenant) && !held.answersFor(tenant)) {
      message.fail(Failures.NOT_OWNER, "tenant " + tenant + " belongs to a shard this node does not run now");
      return true;
    }
    return false;
  }

  /**
   * Watches a tenant at start: afresh, or as it was stored, its snapshot handed to the store at once (its
   * announcement and new seq), with only the history the store lacks.
   */
  private Future<String> watch(StartingTenants.Starting starting) {
    Future<String> deployed = watch(starting.tenant(), starting.origin(), starting.restored());
    if (starting.restored() == null) {
      return deployed;
    }
    WatchedTenant watched = tenants.get(starting.tenant());
    if (watched != null && watched.snapshot == starting.restored().snapshot()) {
      // The store is found to hold up to its stored last entry (StoreFeed.historySince looks for it by equality).
      watched.sentHistory(starting.storedLast() == null ? null : History.of(List.of(starting.storedLast())));
      store.restored(starting.tenant());
    }
    return deployed;
  }

  /**
   * Watches a tenant afresh, or as it was stored when {@code restored} is not null; answers its
   * verticle's deployment id once it is up.
   */
  private Future<String> watch(String tenant, WatchOrigin origin, TenantStart.Loaded restored) {
    WatchedTenant existing = tenants.get(tenant);
    if (existing != null) {
      return existing.deployment;
    }
    WatchedTenant unwatching = tenants.leaving(tenant);
    if (unwatching != null) {
      // Its retire goes out first, and the seq watched afresh continues above the one the unwatch answered.
      return unwatching.left.transform(left -> watch(tenant, origin, restored));
    }
    long run = ++runs;
    WatchedTenant watched;
    if (restored == null) {
      long seq = freshSeq.startFor(tenant);
      TenantSnapshot start = TenantSnapshot.initial(tenant).withEpoch(held.epochOf(tenant));
      start = seq == 0 ? start : start.withSeq(seq);
      watched = new WatchedTenant(origin, start, run);
      store.watched(tenant, origin);
      watched.deployment = vertx.deployVerticle(new TenantVerticle(new TenantStart.Fresh(start), behaviour, clock, watchdog, run),
          TENANT_DEPLOYMENT);
    } else {
      watched = new WatchedTenant(origin, restored.snapshot(), run);
      Instant now = clock.instant();
      restored.seen().forEach(seen -> watched.remember(seen, now));
      watched.deployment = vertx.deployVerticle(new TenantVerticle(restored, behaviour, clock, watchdog, run),
          TENANT_DEPLOYMENT);
    }
    tenants.add(tenant, watched);
    watched.deployment.onFailure(e -> {
      LOG.atError().addKeyValue(TENANT_FIELD, tenant).setCause(e).log("{}: could not deploy its verticle", tenant);
      forget(tenant, watched);
    });
    if (origin != WatchOrigin.CONFIG && restored == null) {
      LOG.atInfo().addKeyValue(TENANT_FIELD, tenant).log("{}: now watched ({})", tenant, origin.wireName());
    }
    return watched.deployment;
  }

  private Future<JsonObject> unwatch(String tenant) {
    WatchedTenant watched = tenants.startLeaving(tenant);
    if (watched == null) {
      return Future.failedFuture("tenant " + tenant + " is not watched");
    }
    store.unwatched(tenant);
    if (watched.restart != null) {
      watched.restart.begin(); // its retire needs a verticle: no pause for it
    }
    // A verticle that fails on its way out is undeployed all the same: the tenant is no longer watched.
    Future<JsonObject> answered = watched.deployment
        .compose(id -> vertx.eventBus().<JsonObject>request(Addresses.tenant(tenant),
                TenantMessages.of(TenantMessages.UNWATCH))
            .transform(reply -> vertx.undeploy(id).map(v -> reply.succeeded() ? reply.result().body() : null)));
    watched.left = answered.transform(answer -> {
      tenants.left(tenant);
      JsonObject view = answer.succeeded() ? answer.result() : null;
      // Its retire is the last command it sent, and the unwatch's answer carries its seq; without an
      // answer, the retire may have gone out one above the last seq the tenant reported.
      long last = watched.snapshot.seq() + (view == null ? 1 : 0);
      freshSeq.unwatched(tenant, view == null ? last : Math.max(last, view.getLong("seq", last)));
      if (answer.failed()) {
        return Future.failedFuture(answer.cause());
      }
      LOG.atInfo().addKeyValue(TENANT_FIELD, tenant).log("{}: no longer watched", tenant);
      return Future.succeededFuture(view == null ? viewOf(watched) : view);
    });
    return watched.left;
  }

  private void onReport(SnapshotReport report) {
    String tenant = report.snapshot().tenant();
    WatchedTenant watched = tenants.get(tenant);
    boolean current = watched != null;
    if (watched == null) {
      watched = tenants.leaving(tenant); // the last steps of a tenant being unwatched
    }
    if (watched == null || watched.run != report.run()) {
      return; // unwatched meanwhile, or from a verticle that is no longer the tenant's
    }
    TenantSnapshot before = watched.snapshot;
    watched.snapshot = report.snapshot();
    if (current) {
      tenants.stepped(watched, before);
      store.changed(watched.snapshot.tenant());
    }
  }

  /** A notification the tenant applied: kept for a restart of its verticle, and handed to the store. */
  private void onSeen(NotificationSeen seen) {
    WatchedTenant watched = tenants.get(seen.tenant());
    if (watched == null || watched.run != seen.run()) {
      return;
    }
    watched.remember(seen.seen(), clock.instant());
    store.seen(seen.tenant(), seen.seen());
  }

  /**
   * Restarts a tenant whose verticle failed: undeploys it, then deploys a fresh one from the last
   * snapshot the tenant handed over. A report from a run that is no longer the tenant's (an unwatched
   * tenant, a restart already under way) changes nothing.
   */
  private void onCrashed(String tenant, Object run) {
    WatchedTenant watched = tenants.get(tenant);
    if (quiescing || watched == null || watched.restart != null || !watched.isRun(run)) {
      return;
    }
    Instant now = clock.instant();
    long delay = watched.failed(now).toMillis();
    // A verticle that failed while it started is undeployed once it is up.
    TenantRestart restart = new TenantRestart(now.plusMillis(delay), watched.deployment.compose(vertx::undeploy),
        () -> restart(tenant, watched));
    watched.restart = restart;
    // Requests that need the tenant's deployment meanwhile (unwatch, watch) wait for the new one.
    watched.deployment = restart.deployed();
    restart.deployed().onComplete(done -> {
      if (watched.restart == restart) {
        watched.restart = null;
      }
    });
    if (delay == 0) {
      restart.begin();
      return;
    }
    LOG.atInfo().addKeyValue(TENANT_FIELD, tenant)
        .log("{}: failed {} times in a row; restarting in {} ms", tenant, watched.restarts(), delay);
    vertx.setTimer(delay, id -> {
      if (tenants.get(tenant) == watched) {
        restart.begin();
      } else {
        restart.abandon(); // unwatched meanwhile (whose unwatch restarted it already), maybe watched afresh
      }
    });
  }

  private Future<String> restart(String tenant, WatchedTenant watched) {
    TenantSnapshot snapshot = watched.snapshot;
    watched.run = ++runs;
    return vertx.deployVerticle(new TenantVerticle(new TenantStart.Restarted(snapshot,
            watched.remembered(clock.instant())), behaviour, clock, watchdog, watched.run), TENANT_DEPLOYMENT)
        .onSuccess(id -> LOG.atInfo().addKeyValue(TENANT_FIELD, tenant)
            .log("{}: restarted from its last snapshot ({}, running {}, seq {})", tenant, snapshot.stateName(),
                snapshot.open(), snapshot.seq()))
        .onFailure(e -> {
          LOG.atError().addKeyValue(TENANT_FIELD, tenant).setCause(e).log("{}: could not restart its verticle", tenant);
          forget(tenant, watched);
        });
  }

  /**
   * The engine is stopping: no tenant is restarted any more, and each running tenant arms no more
   * timers. Its answer is a barrier too: every message sent to a tenant before (a last poll result)
   * has been handled, so every command it made is with the worker registry.
   */
  private Future<Integer> quiesce() {
    quiescing = true;
    List<String> running = tenants.running();
    return quiesce(running).map(running.size());
  }

  /**
   * Asks {@link #BATCH} tenants at a time, the next batch once these have answered (whether or not each
   * could): a million requests at once would hold the event loop for seconds and leave as many reply timers
   * behind.
   */
  private Future<Void> quiesce(List<String> running) {
    int[] asked = {0};
    return InTurn.until(() -> asked[0] >= running.size(), () -> {
      int from = asked[0];
      asked[0] = Math.min(from + BATCH, running.size());
      return quiesceBatch(running.subList(from, asked[0]));
    });
  }

  private Future<Void> quiesceBatch(List<String> batch) {
    List<Future<?>> quiet = new ArrayList<>();
    for (String tenant : batch) {
      quiet.add(vertx.eventBus().request(Addresses.tenant(tenant), TenantMessages.of(TenantMessages.QUIESCE)));
    }
    return Future.join(quiet).otherwiseEmpty().mapEmpty();
  }

  /** The shard owner's requests ({@link DirectoryMessages#ADOPT}, {@code HAND_OVER}, {@code DROP}). */
  private void onShards(String type, Message<JsonObject> message) {
    if (!held.isClustered()) {
      message.fail(Failures.MALFORMED, "this engine is not a cluster node: it holds no shards");
      return;
    }
    Future<Integer> done;
    try {
      done = switch (type) {
        case DirectoryMessages.ADOPT -> adopt(ShardList.epochs(message.body(), held.shardCount()),
            ShardList.released(message.body(), held.shardCount()));
        case DirectoryMessages.HAND_OVER -> handOver(ShardList.shards(message.body(), held.shardCount()));
        default -> drop(ShardList.shards(message.body(), held.shardCount()));
      };
    } catch (IllegalArgumentException e) {
      message.fail(Failures.MALFORMED, e.getMessage());
      return;
    }
    done.onSuccess(count -> message.reply(new JsonObject().put("tenants", count)))
        .onFailure(e -> message.fail(Failures.FAILED, type + " failed: " + e.getMessage()));
  }

  /**
   * Starts the tenants of shards just taken, each announced with reason {@code handover} at its shard's epoch;
   * those of {@code released} shards (handed over by their previous owner) keep their stored gates.
   */
  private Future<Integer> adopt(Map<Integer, Long> taken, Set<Integer> released) {
    held.add(taken);
    List<String> configuredHere = configured.stream().filter(t -> held.inAny(t, taken.keySet())).toList();
    StartingTenants starting = StartingTenants.handedOver(configuredHere, held::epochOf,
        tenant -> held.inAny(tenant, released), clock.instant());
    return watchAtStart(starting, each -> store.restore(taken.keySet(), held.shardCount(), each))
        .map(epoch -> (int) starting.started())
        .onComplete(started -> held.adopted(taken.keySet()));
  }

  /**
   * Stops the tenants of shards this node hands over: no more timers, then their verticles, then their last
   * snapshots into the store; answers once the store has written them, so that the next owner restores
   * them as they were here. Nothing is sent to the workers: the next owner announces each tenant.
   */
  private Future<Integer> handOver(Set<Integer> shards) {
    held.remove(shards);
    List<String> moving = tenants.matching(t -> held.inAny(t, shards));
    return quiesce(moving)
        .compose(quiet -> Future.join(moving.stream().map(this::undeploy).toList()))
        .transform(stopped -> store.written())
        .onComplete(written -> moving.forEach(tenants::movedAway))
        .map(moving.size());
  }

  /** Stops the tenants of shards whose lease is gone, or may be: at once, writing nothing more. */
  private Future<Integer> drop(Set<Integer> shards) {
    held.remove(shards);
    List<String> moving = tenants.matching(t -> held.inAny(t, shards));
    List<Future<?>> stopped = new ArrayList<>();
    for (String tenant : moving) {
      stopped.add(undeploy(tenant));
      tenants.movedAway(tenant);
      store.forget(tenant);
    }
    return Future.join(stopped).transform(done -> Future.succeededFuture(moving.size()));
  }

  private Future<Void> undeploy(String tenant) {
    WatchedTenant watched = tenants.get(tenant);
    if (watched == null) {
      return Future.succeededFuture();
    }
    if (watched.restart != null) {
      watched.restart.begin();
    }
    return watched.deployment.compose(vertx::undeploy);
  }

  private void forget(String tenant, WatchedTenant watched) {
    tenants.forget(tenant, watched);
  }

  private JsonObject viewOf(WatchedTenant watched) {
    return TenantView.of(watched.snapshot).toJson(false);
  }
}
