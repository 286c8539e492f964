package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.LocalObjects;
import io.tenantwatch.domain.History;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.ChangeBatch;
import io.tenantwatch.store.HistoryUpdate;
import io.tenantwatch.store.PendingChange;
import io.tenantwatch.store.SeenNotification;
import io.tenantwatch.store.StoreVerticle;
import io.tenantwatch.store.StoredPage;
import io.tenantwatch.store.TenantChange;
import io.tenantwatch.store.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's side of the store: what it tells the store verticle (watched, unwatched, each
 * tenant's latest snapshot) and what it asks of it at start. A directory deployed without a store (some
 * tests) has a feed that does nothing.
 *
 * <p>Unwatches go out at once. A watch waits for the next batch, and a tenant's step only marks it changed (and
 * a notification it applied with a replay id waits to go with it): every {@link #SEND_AFTER} the new watches and
 * the changed tenants' current snapshots go to the store as one batch of at most {@link #BATCH} tenants (a
 * {@link ChangeBatch}, handed over as it is), and the next batch waits until the store has taken this one (and
 * goes at once then if a full batch is waiting). So a start that watches a hundred thousand tenants hands the
 * store four hundred batches, not a hundred thousand messages of their own. A snapshot goes without its history, with
 * only the history entries the store was not sent yet ({@link #historySince}). So a tenant that steps
 * many times between two batches is written once, a snapshot is turned into JSON once per batch rather
 * than once per step, and a store that falls behind (a burst of a million first polls, an outage) holds
 * the directory back instead of filling the heap with copies: meanwhile the directory keeps only the
 * names of the changed tenants (and how the new ones came to be watched).
 *
 * <p>A tenant changed only by its restore (its announcement and new seq, {@link #restored}) goes after every
 * other change, and not before the restore is over: a restart of a million tenants writes them back about half
 * as fast as it restores them, so in line with them a tenant's first poll would reach the store tens of seconds
 * late, not within the second R11 allows, and beside the restore they take the CPU it needs. A restore's own
 * change is made again by the next start, should this one crash before it is written.
 */
final class StoreFeed {
  /**
   * The most tenants one batch carries: the store verticle turns a batch into JSON on its own thread, and a
   * snapshot carries up to fifty history entries, so a batch is kept to a few milliseconds' work.
   */
  static final int BATCH = 250;
  /** How long changes gather before a batch goes (R11 allows a second from a step to the store). */
  static final Duration SEND_AFTER = Duration.ofMillis(100);
  /** How many of a history's newest entries {@link #historySince} looks at first for the last one sent. */
  private static final int RECENT_ENTRIES = 8;

  private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);
  /** The store answers a batch once it has room for it, however long its outage lasts. */
  private static final DeliveryOptions UNTIL_TAKEN = new DeliveryOptions().setSendTimeout(Duration.ofHours(1).toMillis());
  /** How often a page the store could not read is asked for, and the waits between (doubling), in ms. */
  private static final int PAGE_ATTEMPTS = 5;
  private static final long FIRST_PAGE_RETRY_MS = 500;
  /** A batch goes to this node's store as it is ({@link ChangeBatch}), answered once taken as {@link #UNTIL_TAKEN}. */
  private static final DeliveryOptions BATCH_UNTIL_TAKEN = new DeliveryOptions(UNTIL_TAKEN).setLocalOnly(true);

  private final Vertx vertx;
  private final boolean enabled;
  /** How many stored tenants a page holds at most: {@link TenantStore#PAGE}, fewer in tests. */
  private int pageSize = TenantStore.PAGE;
  /** How many tenants a batch carries at most: {@link #BATCH}, fewer in tests. */
  private int batchSize = BATCH;
  private final Function<String, ? extends Fed> current;
  private final ToLongFunction<String> epochOf;
  private final Set<String> changed = new LinkedHashSet<>();
  /** The tenants changed only by their restore, oldest first: sent behind the others, once no restore runs. */
  private final Set<String> restoredOnly = new LinkedHashSet<>();
  /** The watches made since the last batch, oldest first, by tenant. */
  private final Map<String, TenantChange> unsentWatches = new LinkedHashMap<>();
  /** The notifications changed tenants applied that go with their next snapshots, oldest first. */
  private final Map<String, List<SeenNotification>> unsentSeen = new HashMap<>();
  private boolean sending;
  /** Restores under way: the tenants changed only by their restore wait until none is. */
  private int restoring;
  private boolean stopping;
  /** The batch with the store now, or the last one. */
  private Future<Void> inFlight = Future.succeededFuture();
  private long timer = -1;

  /** A watched tenant as the feed sees it. */
  interface Fed {
    /** Its latest snapshot. */
    TenantSnapshot snapshot();

    /**
     * Its history as last sent to the store, null when the store is to be sent its whole history next: it
     * has not been sent any yet, the batch that carried them was refused, or the store set aside a snapshot
     * of it. (The history object itself, which the snapshot holds anyway while nothing is added to it.)
     */
    History sentHistory();

    void sentHistory(History history);
  }

  /**
   * @param enabled whether a store verticle runs
   * @param current a watched tenant as the feed sees it, null once it is no longer watched
   */
  StoreFeed(Vertx vertx, boolean enabled, Function<String, ? extends Fed> current) {
    this(vertx, enabled, current, tenant -> 0L);
  }

  /**
   * @param epochOf the lease epoch a cluster node holds a running tenant's shard at (0 on a single engine):
   *     every change carries it, and the store of a cluster node writes only changes of the current epoch
   */
  StoreFeed(Vertx vertx, boolean enabled, Function<String, ? extends Fed> current, ToLongFunction<String> epochOf) {
    this.vertx = vertx;
    this.enabled = enabled;
    this.current = current;
    this.epochOf = epochOf;
    ChangeBatch.registerOn(vertx.eventBus());
  }

  /**
   * Reads every stored tenant, a page at a time, handing each page to {@code each}: the next page is asked
   * for while one is handled, and handed over once that one is done, so at most two pages are held at a
   * time and the store's reading and the directory's starting overlap. Answers the start epoch (0, with no
   * page, when disabled).
   */
  Future<Long> restore(Function<StoredPage, Future<?>> each) {
    // The store bounds each page's round trip to the database itself; the event bus's 30 s on top failed a
    // 1,000,000 restart whose store verticle was slow to answer on two busy cores.
    return restore(new JsonObject().put("type", "restore"), UNTIL_TAKEN, each);
  }

  /** As {@link #restore(Function)}, for the tenants of {@code shards} (out of {@code shardCount}) only. */
  Future<Long> restore(Collection<Integer> shards, int shardCount, Function<StoredPage, Future<?>> each) {
    return restore(new JsonObject().put("type", "restore").put("shards", new JsonArray(List.copyOf(shards)))
        .put("shardCount", shardCount), UNTIL_TAKEN, each);
  }

  private Future<Long> restore(JsonObject request, DeliveryOptions delivery, Function<StoredPage, Future<?>> each) {
    if (!enabled) {
      return Future.succeededFuture(0L);
    }
    Promise<Long> restored = Promise.promise();
    restoring++;
    pages(request, delivery, page(request, null, delivery), each, restored);
    return restored.future().onComplete(done -> {
      restoring--;
      schedule();
    });
  }

  /**
   * Hands over the page {@code asked} once it is read, asks for the next meanwhile, and goes on with that one
   * once this one is handled. Listeners only, not a chain of composed futures: such a chain, as long as the
   * store, keeps every page it read (a million stored tenants' rows) until the last one is handled.
   */
  private void pages(JsonObject request, DeliveryOptions delivery, Future<StoredPage> asked,
      Function<StoredPage, Future<?>> each, Promise<Long> restored) {
    asked.onFailure(restored::fail).onSuccess(page -> {
      String after = page.nextAfter(pageSize);
      Future<StoredPage> next = after == null ? null : page(request, after, delivery);
      long epoch = page.epoch();
      each.apply(page).onFailure(restored::fail).onSuccess(handled -> {
        if (next == null) {
          restored.complete(epoch);
        } else {
          pages(request, delivery, next, each, restored);
        }
      });
    });
  }

  private Future<StoredPage> page(JsonObject request, String after, DeliveryOptions delivery) {
    return page(request.copy().put("limit", pageSize).put("after", after), delivery, 1);
  }

  /**
   * Asks for one page; one the store could not read (a round trip given up on, as on a heap busy collecting
   * through a large restart) is asked for again, 0.5 s later and doubling, up to {@value #PAGE_ATTEMPTS} times,
   * rather than failing a start that may have restored most tenants already (contracts.md, R11).
   */
  private Future<StoredPage> page(JsonObject asked, DeliveryOptions delivery, int attempt) {
    return vertx.eventBus().<StoredPage>request(Addresses.STORE, asked, delivery).map(reply -> reply.body())
        .recover(failure -> {
          if (attempt >= PAGE_ATTEMPTS || !(failure instanceof ReplyException reply)
              || reply.failureCode() != Failures.UNAVAILABLE) {
            return Future.failedFuture(failure);
          }
          long waitMs = FIRST_PAGE_RETRY_MS << (attempt - 1);
          Object after = asked.getValue("after");
          LOG.warn("The store could not read the stored tenants after {} ({}); asking again in {} ms",
              after == null ? "the start" : after, failure.getMessage(), waitMs);
          return vertx.timer(waitMs).compose(waited -> page(asked, delivery, attempt + 1));
        });
  }

  /** Pages of {@code tenants} stored tenants at most, so a test can restore many pages from a few tenants. */
  void pageSize(int tenants) {
    pageSize = tenants;
  }

  /** Batches of {@code tenants} tenants at most, so a test can send many batches from a few tenants. */
  void batchSize(int tenants) {
    batchSize = tenants;
  }

  /** The tenant is watched from now on: the store gets it with the next batch (with its snapshot, if that changed). */
  void watched(String tenant, WatchOrigin origin) {
    if (enabled) {
      unsentWatches.put(tenant, TenantChange.watched(tenant, origin.wireName(), epochOf.applyAsLong(tenant)));
      schedule();
    }
  }

  /**
   * The tenant applied a notification with a replay id: the store remembers it until its token expires. It goes
   * with the tenant's next snapshot (the notification's step changed it), not in a message of its own.
   */
  void seen(String tenant, SeenNotification notification) {
    if (enabled) {
      unsentSeen.computeIfAbsent(tenant, t -> new ArrayList<>(1)).add(notification);
      changed(tenant);
    }
  }

  /** Its watch and snapshot not yet sent go nowhere: the store forgets the tenant. */
  void unwatched(String tenant) {
    forget(tenant);
    if (enabled) {
      vertx.eventBus().send(Addresses.STORE_CHANGES, new ChangeBatch(List.of(
          TenantChange.unwatched(tenant).withEpoch(epochOf.applyAsLong(tenant)))), LocalObjects.ONLY_LOCAL);
    }
  }

  /** The tenant's snapshot changed; the store gets it, whole, with the next batch. */
  void changed(String tenant) {
    if (enabled && changed.add(tenant)) {
      restoredOnly.remove(tenant);
      schedule();
    }
  }

  /**
   * The tenant was restored from the store, which is to get its snapshot as restored: after every other
   * change waiting and once no restore is under way, unless it changes again meanwhile ({@link #changed}).
   */
  void restored(String tenant) {
    if (enabled && !changed.contains(tenant) && restoredOnly.add(tenant) && restoring == 0) {
      schedule();
    }
  }

  /** Tenants watched or changed and not yet sent to the store. */
  int unsent() {
    int watchedOnly = 0;
    for (String tenant : unsentWatches.keySet()) {
      watchedOnly += changed.contains(tenant) || restoredOnly.contains(tenant) ? 0 : 1;
    }
    return changed.size() + restoredOnly.size() + watchedOnly;
  }

  private boolean nothingUnsent() {
    return changed.isEmpty() && unsentWatches.isEmpty() && restoredOnly.isEmpty();
  }

  /** How many tenants a batch could take now: those changed only by their restore once no restore is under way. */
  private int sendable() {
    return changed.size() + unsentWatches.size() + (restoring == 0 ? restoredOnly.size() : 0);
  }

  /**
   * The engine is stopping: sends every change not yet sent, a batch at a time as the store takes them,
   * and completes once the store holds them all (its stop, after the directory's, writes them). Sending
   * them all at once would turn every snapshot into JSON in one go: after a burst of a million changes,
   * seconds on the event loop and a heap full of copies.
   */
  Future<Void> flush() {
    stopping = true;
    cancelTimer();
    return sendNow().onFailure(e -> LOG.warn(
        "Stopping with {} tenant change(s) the store did not take: {}", unsent(), e.getMessage()));
  }

  /**
   * Sends every change not yet sent, a batch at a time, and completes once the store has written them and
   * everything sent before ({@code sync}): a cluster node hands a shard over only once its tenants' last
   * snapshots are in the store the next owner restores them from.
   */
  Future<Void> written() {
    if (!enabled) {
      return Future.succeededFuture();
    }
    return sendNow().compose(v -> vertx.eventBus().request(Addresses.STORE, new JsonObject().put("type", "sync"),
        UNTIL_TAKEN)).mapEmpty();
  }

  /** Its changes not yet sent go nowhere: the tenant runs on elsewhere. */
  void forget(String tenant) {
    changed.remove(tenant);
    restoredOnly.remove(tenant);
    unsentWatches.remove(tenant);
    unsentSeen.remove(tenant);
  }

  private Future<Void> sendNow() {
    return inFlight.transform(previous -> sendAll());
  }

  /** Sends a batch after another until nothing is unsent. */
  private Future<Void> sendAll() {
    return InTurn.until(this::nothingUnsent, () -> sendOne(true));
  }

  private void schedule() {
    if (!sending && !stopping && timer == -1) {
      timer = vertx.setTimer(SEND_AFTER.toMillis(), id -> {
        timer = -1;
        sendBatch();
      });
    }
  }

  private void sendBatch() {
    if (sending || sendable() == 0) {
      return;
    }
    sending = true;
    inFlight = sendOne(false).onComplete(sent -> {
      sending = false;
      if (sent.succeeded() && sendable() >= batchSize) {
        sendBatch(); // a backlog (a burst, or the store catching up): no need to wait for more to gather
      } else if (sendable() > 0) {
        schedule();
      }
    });
  }

  /**
   * One batch, answered once the store has taken it; what it could not take is marked unsent again.
   *
   * @param everything whether the tenants changed only by a restore under way go too (a stop, a handover)
   */
  private Future<Void> sendOne(boolean everything) {
    ChangeBatch batch = nextBatch(everything);
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_CHANGES, batch, BATCH_UNTIL_TAKEN)
        .onSuccess(answer -> sendWholeAgain(StoreVerticle.sendWhole(answer.body())))
        .recover(failure -> {
          // Sent again with the next batch, as they are then: the store keeps the newest it is given.
          LOG.warn("The store did not take a batch of {} tenants' changes ({}); they go again with the next one",
              batch.changes().size(), failure.getMessage());
          batch.changes().forEach(this::unsentAgain);
          return Future.failedFuture(failure);
        })
        .mapEmpty();
  }

  /** A change the store did not take is unsent again, unless its tenant is no longer watched. */
  private void unsentAgain(PendingChange change) {
    String tenant = change.tenant();
    Fed fed = current.apply(tenant);
    if (fed == null) {
      return;
    }
    if (change instanceof TenantChange watch) {
      unsentWatches.putIfAbsent(tenant, watch); // a watch alone
      return;
    }
    if (!(change instanceof ChangedSnapshot refused)) {
      return;
    }
    if (refused.origin() != null) {
      unsentWatches.putIfAbsent(tenant, TenantChange.watched(tenant, refused.origin(), refused.epoch()));
    }
    fed.sentHistory(null); // the store may not have what the batch appended to: it gets the whole
    changed.add(tenant);
    if (!refused.seen().isEmpty()) {
      unsentSeen.computeIfAbsent(tenant, t -> new ArrayList<>(refused.seen().size())).addAll(0, refused.seen());
    }
  }

  /**
   * The store set aside a snapshot of these tenants, so what it holds of their history is not what was
   * sent: each goes again, whole, with the next batch.
   */
  private void sendWholeAgain(List<String> tenants) {
    for (String tenant : tenants) {
      Fed fed = current.apply(tenant);
      if (fed != null) {
        fed.sentHistory(null);
        changed.add(tenant);
      }
    }
  }

  /**
   * Takes up to {@link #BATCH} tenants: the new watches first, oldest first, each with its snapshot when that
   * changed too; then the changed tenants, oldest change first, with their snapshots as they are now; then
   * those changed only by their restore, oldest first, once no restore is under way (or {@code everything}). Each
   * change is made by the store verticle when it writes it ({@link ChangedSnapshot}): here only what it is made
   * from is gathered, since turning a batch of snapshots into JSON is milliseconds of work that, on the
   * directory's event loop, held up the tenants that share it.
   */
  private ChangeBatch nextBatch(boolean everything) {
    List<PendingChange> changes = new ArrayList<>(Math.min(changed.size() + unsentWatches.size()
        + restoredOnly.size(), batchSize));
    Iterator<TenantChange> oldestWatch = unsentWatches.values().iterator();
    while (oldestWatch.hasNext() && changes.size() < batchSize) {
      TenantChange watch = oldestWatch.next();
      oldestWatch.remove();
      boolean snapshotToo = changed.remove(watch.tenant()) | restoredOnly.remove(watch.tenant());
      Fed fed = snapshotToo ? current.apply(watch.tenant()) : null;
      changes.add(fed == null ? watch : snapshotChange(watch.tenant(), watch.origin(), watch.epoch(), fed));
    }
    takeSnapshots(changed, changes);
    if (everything || restoring == 0) {
      takeSnapshots(restoredOnly, changes);
    }
    return new ChangeBatch(changes);
  }

  /** Adds the snapshots of the oldest of {@code tenants} to {@code changes}, up to {@link #BATCH} in all. */
  private void takeSnapshots(Set<String> tenants, List<PendingChange> changes) {
    Iterator<String> oldest = tenants.iterator();
    while (oldest.hasNext() && changes.size() < batchSize) {
      String tenant = oldest.next();
      oldest.remove();
      Fed fed = current.apply(tenant);
      if (fed != null) {
        changes.add(snapshotChange(tenant, null, 0, fed));
      }
    }
  }

  /**
   * The tenant's snapshot as it is now, to be made with the history the store lacks and the notifications it
   * applied; watched from {@code origin} (null when it was watched before) under {@code watchEpoch}.
   */
  private ChangedSnapshot snapshotChange(String tenant, String origin, long watchEpoch, Fed fed) {
    TenantSnapshot snapshot = fed.snapshot();
    History history = snapshot.history();
    List<SeenNotification> applied = unsentSeen.remove(tenant);
    ChangedSnapshot change = new ChangedSnapshot(tenant, origin, snapshot, fed.sentHistory(),
        applied == null ? List.of() : applied, Math.max(watchEpoch, snapshot.epoch()));
    fed.sentHistory(history.isEmpty() ? null : history);
    return change;
  }

  /**
   * What the store's history of a tenant needs to become {@code history}, given the history it was sent
   * last: the entries after the last one it was sent, or the whole history when it was sent none or that
   * entry has since dropped out; null when nothing was added. A history that only grew since is told by its
   * packing ({@link History#addedSince}); in one that dropped entries the last entry sent is found by equality,
   * as the store itself applies an append only after an equal entry ({@link HistoryUpdate}).
   */
  static HistoryUpdate historySince(History sent, History history) {
    if (sent == history || (sent != null && sent.equals(history))) {
      return null;
    }
    HistoryEntry sentLast = sent == null ? null : sent.newest();
    if (sentLast == null) {
      return HistoryUpdate.whole(SnapshotJson.entries(history.newest(history.size()), 0));
    }
    List<HistoryEntry> added = history.addedSince(sent);
    if (added != null) {
      return HistoryUpdate.appended(sentLast.toJson(), SnapshotJson.entries(added, 0), history.size());
    }
    // A full history dropped its oldest: the last entry sent is looked for among the newest first (a tenant adds
    // an entry or a few between two batches), so the older entries, fifty in an aged history, are not made.
    List<HistoryEntry> newest = history.newest(RECENT_ENTRIES);
    int from = newest.lastIndexOf(sentLast);
    if (from < 0 && newest.size() < history.size()) {
      newest = history.newest(history.size());
      from = newest.lastIndexOf(sentLast);
    }
    if (from < 0) {
      return HistoryUpdate.whole(SnapshotJson.entries(newest, 0));
    }
    if (from == newest.size() - 1) {
      return null;
    }
    return HistoryUpdate.appended(sentLast.toJson(), SnapshotJson.entries(newest, from + 1), history.size());
  }

  /**
   * A changed tenant's snapshot on its way to the store, made into its {@link TenantChange} when the store writes
   * it: from the immutable snapshot, the history the store was sent before it ({@link #historySince}) and the
   * notifications applied meanwhile. Two of one tenant fold into one from the first one's history sent to the
   * second one's snapshot, as the second was sent after the first's history.
   *
   * @param origin how the tenant came to be watched, when this change also watches it; null when it was watched
   *     before
   * @param sent the history the store was sent before this snapshot, null when it is to get the whole
   * @param epoch the snapshot's own epoch: the last snapshots of a shard being handed over go after it left the
   *     held ones
   */
  private record ChangedSnapshot(String tenant, String origin, TenantSnapshot snapshot, History sent,
      List<SeenNotification> seen, long epoch) implements PendingChange {

    private ChangedSnapshot {
      seen = List.copyOf(seen);
    }

    @Override
    public boolean hasSnapshot() {
      return true;
    }

    /** Certainly when it sends the whole history; one that finds the last entry sent gone tells only when made. */
    @Override
    public boolean historyInStep() {
      return sent == null;
    }

    @Override
    public TenantChange make() {
      return new TenantChange(tenant, false, origin, SnapshotJson.withoutHistory(snapshot),
          historySince(sent, snapshot.history()), seen, epoch);
    }

    @Override
    public PendingChange then(PendingChange later) {
      if (later instanceof ChangedSnapshot next && next.epoch >= epoch
          && (next.sent == null || next.sent == snapshot.history())) {
        List<SeenNotification> both = new ArrayList<>(seen);
        both.addAll(next.seen);
        return new ChangedSnapshot(tenant, origin != null ? origin : next.origin, next.snapshot,
            next.sent == null ? null : sent, both, next.epoch);
      }
      return PendingChange.super.then(later);
    }
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
