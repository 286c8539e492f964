package io.tenantwatch.store;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.config.StoreOptions;
import io.tenantwatch.machine.Backoff;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's tenants in the {@link TenantStore}, written behind: changes arrive on
 * {@link Addresses#STORE_CHANGES}, are folded per tenant in memory and written in one batch every
 * {@link #FLUSH_EVERY} (at most {@link #WRITE_BATCH} tenants a batch, the next at once while more wait), so
 * each is in the store well within a second and no tenant ever waits for the store. A batch that fails is retried, before anything newer, with a growing pause; meanwhile the engine
 * goes on from memory. A batch the store refuses for what is in its rows ({@link #isDataError}) is written
 * again one tenant at a time: every other tenant's change goes in, and a change refused on its own is set
 * aside (an ERROR naming the tenant, {@code tenantwatch_store_rows_rejected_total}), so one tenant's bad
 * data never stops the store for everyone. Only its snapshot and history are set aside: the rest (a
 * watch, an unwatch, the notifications it applied) is written. Its stored history then no longer ends
 * where its sender thinks, so a later change that only appends to it cannot apply: the answer to the
 * batch that carries one names the tenant ({@link #sendWhole}), and the sender sends its whole snapshot
 * and history again. A cluster node's store refuses the changes of tenants whose shard lease this node no
 * longer holds under the change's epoch ({@link WriteOutcome}): those are dropped, with one WARN per batch
 * and {@code tenantwatch_store_writes_fenced_total}. Answers {@link Addresses#STORE} ({@code restore}: the start
 * epoch and a page of the stored tenants, {@link StoredPage}) and {@link Addresses#STORE_HEALTH}.
 *
 * <p>On stop it writes what is pending, then closes the store. The engine says first how long that may take
 * ({@link #stopWithin}); from then on no sender waits for room. Once that time is spent it gives up on
 * the last write, says at ERROR how many tenants' changes it could not write, and closes the store
 * without waiting for it, so a store that hangs cannot hold the engine's stop.
 */
public final class StoreVerticle extends VerticleBase {
  /** How often pending changes are written. */
  public static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  /** With nothing to write, how often the store is asked whether it still answers. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(5);
  static final Duration RETRY_MIN = Duration.ofMillis(500);
  static final Duration RETRY_MAX = Duration.ofSeconds(10);
  private static final Backoff RETRY_BACKOFF = new Backoff(RETRY_MIN, RETRY_MAX);
  /**
   * Pending changes at which senders of batches wait for their answer: what the store holds in memory
   * while it falls behind is bounded by this, not by the number of tenants.
   */
  static final int ROOM = 10_000;
  /**
   * The most changes one write carries, so that its transaction stays well within the store's round trip
   * (PostgreSQL's 15 s) however far behind the store is: a backlog goes a batch after another. While a
   * {@code sync} waits a write takes everything pending, as {@link SyncWaiters} counts on.
   */
  static final int WRITE_BATCH = 2_000;
  /** How long the last write may take when nobody said ({@link #stopWithin}): a Vert.x undeploy. */
  static final Duration STOP_UNANNOUNCED = Duration.ofSeconds(5);
  /** The field of an answer to a batch that names the tenants to send whole again. */
  private static final String SEND_WHOLE = "sendWhole";

  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);

  private final Function<Vertx, Future<TenantStore>> opener;
  private final Clock clock;
  private final EngineMetrics metrics;
  private final PendingWrites pending = new PendingWrites();
  private final StoreHealth health = new StoreHealth();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Message<?>> waitingForRoom = new ArrayList<>();
  private final SyncWaiters synced = new SyncWaiters();
  private TenantStore store;
  private long epoch;
  private long timer = -1;
  private Future<Void> writing = Future.succeededFuture();
  /** The tenants of the batch being written, none between writes. */
  private Set<String> inFlight = Set.of();
  private int failures;
  private long idleTicks;
  private boolean waitingToRetry;
  /** Whether the last write failed (and is pending again). */
  private boolean lastWriteFailed;
  /** Set once {@code stop()} writes the last changes itself. */
  private boolean stopped;
  /** Completed once the time for the last write is spent; null until the stop is announced. */
  private Promise<Void> outOfTime;
  private Throwable lastFailure;
  private final Promise<Void> gaveUp = Promise.promise();
  /** Tenants whose snapshot was set aside, until a change of theirs sends their whole history again. */
  private final Set<String> outOfStep = new HashSet<>();
  /** Tenants named in the next answer to a batch: a change of theirs was sent that cannot apply whole. */
  private final Set<String> wholeAgain = new LinkedHashSet<>();
  private long outOfTimeTimer = -1;

  /** @param opener opens the store on this verticle's Vert.x (called once, at start) */
  public StoreVerticle(Function<Vertx, Future<TenantStore>> opener, Clock clock, EngineMetrics metrics) {
    this.opener = opener;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** A store verticle whose meters nobody scrapes. */
  public StoreVerticle(Function<Vertx, Future<TenantStore>> opener, Clock clock) {
    this(opener, clock, EngineMetrics.unscraped());
  }

  /** The store that {@code store.type} names. */
  public static StoreVerticle of(StoreOptions options, Clock clock, EngineMetrics metrics) {
    return new StoreVerticle(vertx -> TenantStores.open(vertx, options), clock, metrics);
  }

  /**
   * Completes when the stop gave up on the last write. The undeploy may then go on for as long as the
   * store's connections wait on a server that hangs; whoever undeploys need not wait for that.
   */
  public Future<Void> gaveUp() {
    return gaveUp.future();
  }

  /**
   * The tenants an answer to a batch names: the store needs their whole snapshot and history again (one of
   * theirs was set aside, and the change just sent only added to it).
   */
  public static List<String> sendWhole(JsonObject answer) {
    JsonArray tenants = answer == null ? null : answer.getJsonArray(SEND_WHOLE);
    return tenants == null ? List.of() : tenants.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

  /**
   * Tells the store verticle that the engine stops and its last write may take at most {@code within};
   * completes once it is told (at once when no store verticle runs). From then on senders of batches no
   * longer wait for room: what they send goes with the last write.
   */
  public static Future<Void> stopWithin(Vertx vertx, Duration within) {
    JsonObject request = new JsonObject().put("type", "stopping").put("withinMs", within.toMillis());
    return vertx.eventBus().request(Addresses.STORE, request).<Void>mapEmpty()
        .recover(noStore -> Future.succeededFuture());
  }

  @Override
  public Future<?> start() {
    return opener.apply(vertx)
        .compose(opened -> {
          store = opened;
          return store.begin();
        })
        .compose(started -> {
          epoch = started;
          StoredPage.registerOn(vertx.eventBus());
          consumers.add(vertx.eventBus().<JsonObject>localConsumer(Addresses.STORE, this::onRequest));
          consumers.add(vertx.eventBus().<Object>localConsumer(Addresses.STORE_CHANGES, this::onChanges));
          consumers.add(vertx.eventBus().localConsumer(Addresses.STORE_HEALTH,
              m -> m.reply(health.toJson(pendingWrites()))));
          timer = vertx.setPeriodic(FLUSH_EVERY.toMillis(), id -> tick());
          return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
        })
        .onSuccess(v -> LOG.info("store ready (start epoch {})", epoch));
  }

  @Override
  public Future<?> stop() {
    stopping(STOP_UNANNOUNCED);
    stopped = true;
    vertx.cancelTimer(timer);
    consumers.forEach(MessageConsumer::unregister);
    if (store == null) {
      vertx.cancelTimer(outOfTimeTimer);
      return Future.succeededFuture();
    }
    // The last changes: whatever is in flight first, then one more try for the rest, a batch after another.
    Future<Void> lastWrite = writing.transform(previous -> writeRest());
    return Future.any(lastWrite, outOfTime.future()).transform(first -> {
      vertx.cancelTimer(outOfTimeTimer);
      int unwritten = pendingWrites();
      if (!lastWrite.isComplete()) {
        LOG.error("Stopping without the changes of {} tenant(s): the store did not answer the last write in "
            + "time; they are lost", unwritten);
        gaveUp.complete();
        store.close().onFailure(e -> LOG.warn("The store did not close: {}", e.getMessage()));
        return Future.succeededFuture();
      }
      if (unwritten > 0) {
        LOG.error("Stopping without the changes of {} tenant(s): the store did not take them ({}); they are lost",
            unwritten, lastFailure == null ? "no answer" : lastFailure.getMessage());
      }
      return store.close();
    });
  }

  /** The engine stops: the last write may take {@code within} from now, and nobody waits for room any more. */
  private void stopping(Duration within) {
    if (outOfTime == null) {
      outOfTime = Promise.promise();
      outOfTimeTimer = vertx.setTimer(Math.max(1, within.toMillis()), id -> outOfTime.tryComplete());
    }
    // Nobody waits for room any more: what they sent is pending and goes with the last write.
    answerWaiting();
  }

  private void onRequest(Message<JsonObject> message) {
    String type = message.body() == null ? "" : message.body().getString("type", "");
    if (type.equals("stopping")) {
      Object within = message.body().getValue("withinMs");
      if (!(within instanceof Number ms) || ms.longValue() < 0) {
        message.fail(Failures.MALFORMED, "stopping needs withinMs, a number of milliseconds");
        return;
      }
      stopping(Duration.ofMillis(ms.longValue()));
      message.reply(new JsonObject());
      return;
    }
    if (type.equals("sync")) {
      synced.await(message, pending.isEmpty(), !inFlight.isEmpty());
      return;
    }
    if (!type.equals("restore")) {
      message.fail(Failures.MALFORMED, "unknown store request type");
      return;
    }
    restore(message);
  }

  /**
   * A page of the stored tenants ({@code "after"} a tenant, at most {@code "limit"} of them, of
   * {@code "shards"} out of {@code "shardCount"} only when given), answered as a {@link StoredPage}.
   */
  private void restore(Message<JsonObject> message) {
    JsonObject body = message.body();
    ShardFilter only;
    try {
      only = ShardFilter.of(body);
    } catch (IllegalArgumentException e) {
      message.fail(Failures.MALFORMED, e.getMessage());
      return;
    }
    Object after = body.getValue("after");
    Object limit = body.getValue("limit", TenantStore.PAGE);
    if ((after != null && !(after instanceof String)) || !(limit instanceof Integer pageSize) || pageSize < 0) {
      message.fail(Failures.MALFORMED, "a restore's after is a tenant and its limit a number of tenants");
      return;
    }
    if (pageSize == 0 || (only.shards() != null && only.shards().isEmpty())) {
      message.reply(new StoredPage(epoch, List.of())); // the epoch only
      return;
    }
    int page = Math.min(pageSize, TenantStore.PAGE);
    (only == ShardFilter.ALL ? store.load(clock.instant(), (String) after, page)
        : store.load(clock.instant(), only.shards(), only.shardCount(), (String) after, page))
        .onSuccess(tenants -> message.reply(new StoredPage(epoch, tenants)))
        .onFailure(e -> message.fail(Failures.UNAVAILABLE, "the store could not be read: " + e.getMessage()));
  }

  /**
   * One change, or a batch of them: a {@link ChangeBatch} as it is, or JSON ({@code {"changes":[...]}}). A
   * batch asked with a reply is answered once fewer than {@link #ROOM} changes are pending, so a sender that
   * waits for the answer cannot outrun the store.
   */
  private void onChanges(Message<Object> message) {
    Object body = message.body();
    if (body instanceof ChangeBatch batch) {
      batch.changes().forEach(this::take);
    } else {
      JsonObject json = body instanceof JsonObject object ? object : null;
      JsonArray batch = json == null ? null : json.getValue("changes") instanceof JsonArray list ? list : null;
      if (batch == null) {
        take(json);
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        take(batch.getValue(i) instanceof JsonObject change ? change : null);
      }
    }
    if (message.replyAddress() != null) {
      waitingForRoom.add(message);
      answerWhenRoom();
    }
  }

  private void take(JsonObject json) {
    TenantChange change;
    try {
      change = TenantChange.fromJson(json);
    } catch (IllegalArgumentException e) {
      LOG.warn("Refused a store change: {}", e.getMessage());
      return;
    }
    take(change);
  }

  /** Pending until a write takes it, which makes it (it may be made already). */
  private void take(PendingChange change) {
    inStep(change);
    pending.add(change);
  }

  /** Notes whether {@code change}, about to be written, leaves its tenant's stored history as its sender has it. */
  private void inStep(PendingChange change) {
    if (change.historyInStep()) {
      outOfStep.remove(change.tenant());
    } else if (change.hasSnapshot() && outOfStep.contains(change.tenant())) {
      wholeAgain.add(change.tenant());
    }
  }

  private void answerWhenRoom() {
    if (pending.size() < ROOM || outOfTime != null) {
      answerWaiting();
    }
  }

  private void answerWaiting() {
    if (waitingForRoom.isEmpty()) {
      return;
    }
    JsonObject answer = new JsonObject().put("pending", pending.size())
        .put(SEND_WHOLE, new JsonArray(List.copyOf(wholeAgain)));
    waitingForRoom.forEach(sender -> sender.reply(answer));
    waitingForRoom.clear();
    wholeAgain.clear();
  }

  private void tick() {
    if (stopped || !inFlight.isEmpty() || waitingToRetry) {
      return;
    }
    if (!pending.isEmpty()) {
      idleTicks = 0;
      write();
    } else if (++idleTicks * FLUSH_EVERY.toMillis() >= CHECK_EVERY.toMillis()) {
      idleTicks = 0;
      check();
    }
  }

  private Future<Void> write() {
    Map<String, TenantChange> batch = pending.take(synced.isEmpty() ? WRITE_BATCH : Integer.MAX_VALUE);
    long number = synced.started();
    inFlight = batch.keySet();
    Promise<Void> done = Promise.promise();
    writing = done.future();
    // Left to write once the batch is refused for its data and goes one change at a time.
    ArrayDeque<TenantChange> rest = new ArrayDeque<>(batch.values());
    Set<String> fenced = new LinkedHashSet<>();
    store.write(batch.values())
        .map(outcome -> fenced(outcome, fenced))
        .recover(failure -> isDataError(failure) ? oneByOne(rest, fenced) : Future.failedFuture(failure))
        .onComplete(written -> {
          inFlight = Set.of();
          droppedFenced(fenced);
          lastWriteFailed = written.failed();
          if (written.succeeded()) {
            synced.written(number);
            failures = 0;
            health.answered(batch.size());
            answerWhenRoom();
            if (pending.size() >= WRITE_BATCH) {
              vertx.runOnContext(v -> tick()); // a backlog: the next batch need not wait for the next tick
            }
          } else {
            // Only what was not written, nor set aside, goes back.
            Map<String, TenantChange> unwritten = new LinkedHashMap<>();
            rest.forEach(change -> unwritten.put(change.tenant(), change));
            pending.putBack(unwritten);
            failed(written.cause());
          }
          done.complete();
        });
    return writing;
  }

  /** Writes what is pending, a batch after another, until nothing is left or a write fails. */
  private Future<Void> writeRest() {
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    return write().compose(v -> lastWriteFailed ? Future.succeededFuture() : writeRest());
  }

  /**
   * Writes the changes left in {@code rest} one at a time, setting aside each the store refuses for its
   * data; what is written or set aside leaves {@code rest}. Fails, with {@code rest} still to write, on
   * any other failure.
   */
  private Future<Void> oneByOne(ArrayDeque<TenantChange> rest, Set<String> fenced) {
    TenantChange change = rest.peekFirst();
    if (change == null) {
      return Future.succeededFuture();
    }
    return store.write(List.of(change))
        .map(outcome -> fenced(outcome, fenced))
        .recover(failure -> {
          if (!isDataError(failure)) {
            return Future.failedFuture(failure);
          }
          LOG.error("The store refused the snapshot of tenant {} and it is set aside; the tenant's next change "
              + "writes its whole snapshot and history: {}", change.tenant(), failure.getMessage());
          metrics.storeRowRejected();
          setAside(change);
          TenantChange kept = change.withoutSnapshot();
          return kept == null ? Future.succeededFuture() : store.write(List.of(kept))
              .map(outcome -> fenced(outcome, fenced))
              .recover(again -> isDataError(again) ? Future.succeededFuture() : Future.failedFuture(again));
        })
        .compose(v -> {
          rest.pollFirst();
          return oneByOne(rest, fenced);
        });
  }

  /** Adds the tenants whose changes {@code outcome} says were fenced to {@code fenced}. */
  private static Void fenced(WriteOutcome outcome, Set<String> fenced) {
    fenced.addAll(outcome.fenced());
    return null;
  }

  /**
   * The changes of {@code fenced} were refused: their writer no longer holds the tenants' shard leases
   * under the epochs they were made in. They are stale for good and dropped, not retried; once per batch.
   */
  private void droppedFenced(Set<String> fenced) {
    if (fenced.isEmpty()) {
      return;
    }
    LOG.warn("The store refused the changes of {} tenant(s) (for example {}): this node no longer holds their "
        + "shards' leases under the epochs they were made in; they are dropped", fenced.size(), fenced.iterator().next());
    metrics.storeWritesFenced(fenced.size());
  }

  /**
   * The stored history of the tenant of {@code refused} is no longer what its sender thinks: a change of
   * it already pending that only adds to it gets the tenant named in the next answer.
   */
  private void setAside(TenantChange refused) {
    if (refused.snapshot() == null && refused.history() == null) {
      return;
    }
    outOfStep.add(refused.tenant());
    pending.get(refused.tenant()).ifPresent(this::inStep);
  }

  /**
   * A failure that lies in the rows written, not in reaching the store: PostgreSQL's data exceptions
   * (SQLSTATE class 22, e.g. a string jsonb refuses) and integrity violations (class 23).
   */
  static boolean isDataError(Throwable failure) {
    if (failure instanceof DatabaseException db && db.getSqlState() != null) {
      String state = db.getSqlState();
      return state.startsWith("22") || state.startsWith("23");
    }
    return false;
  }

  private void check() {
    store.ping().onSuccess(v -> health.answered(0)).onFailure(this::failed);
  }

  private void failed(Throwable failure) {
    lastFailure = failure;
    health.failed(failure, pendingWrites());
    failures++;
    waitingToRetry = true;
    vertx.setTimer(retryDelay(failures).toMillis(), id -> {
      waitingToRetry = false;
      tick();
    });
  }

  /** {@link #RETRY_MIN}, doubling with each failure in a row, up to {@link #RETRY_MAX}. */
  static Duration retryDelay(int failures) {
    return RETRY_BACKOFF.after(failures);
  }

  /** The tenants whose changes are not written yet, in flight or pending (a tenant can be both). */
  private int pendingWrites() {
    return pending.size() + (int) inFlight.stream().filter(tenant -> !pending.contains(tenant)).count();
  }
}
