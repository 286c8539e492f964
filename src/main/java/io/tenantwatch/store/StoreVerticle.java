package io.tenantwatch.store;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.config.StoreOptions;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's tenants in the {@link TenantStore}, written behind: changes arrive on
 * {@link Addresses#STORE_CHANGES}, are folded per tenant in memory and written in one batch every
 * {@link #FLUSH_EVERY}, so each is in the store well within a second and no tenant ever waits for the
 * store. A batch that fails is retried, before anything newer, with a growing pause; meanwhile the engine
 * goes on from memory. A batch the store refuses for what is in its rows ({@link #isDataError}) is written
 * again one tenant at a time: every other tenant's change goes in, and a change refused on its own is set
 * aside (an ERROR naming the tenant, {@code tenantwatch_store_rows_rejected_total}), so one tenant's bad
 * data never stops the store for everyone. Answers {@link Addresses#STORE} ({@code restore}: the start
 * epoch and every stored tenant) and {@link Addresses#STORE_HEALTH}. On stop it writes what is pending, then closes the store.
 */
public final class StoreVerticle extends VerticleBase {
  /** How often pending changes are written. */
  public static final Duration FLUSH_EVERY = Duration.ofMillis(200);
  /** With nothing to write, how often the store is asked whether it still answers. */
  public static final Duration CHECK_EVERY = Duration.ofSeconds(5);
  static final Duration RETRY_MIN = Duration.ofMillis(500);
  static final Duration RETRY_MAX = Duration.ofSeconds(10);
  /**
   * Pending changes at which senders of batches wait for their answer: what the store holds in memory
   * while it falls behind is bounded by this, not by the number of tenants.
   */
  static final int ROOM = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(StoreVerticle.class);

  private final Function<Vertx, Future<TenantStore>> opener;
  private final Clock clock;
  private final EngineMetrics metrics;
  private final PendingWrites pending = new PendingWrites();
  private final StoreHealth health = new StoreHealth();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Message<JsonObject>> waitingForRoom = new ArrayList<>();
  private TenantStore store;
  private long epoch;
  private long timer = -1;
  private Future<Void> writing = Future.succeededFuture();
  private int inFlight;
  private int failures;
  private long idleTicks;
  private boolean waitingToRetry;

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

  @Override
  public Future<?> start() {
    return opener.apply(vertx)
        .compose(opened -> {
          store = opened;
          return store.begin();
        })
        .compose(started -> {
          epoch = started;
          consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.STORE, this::onRequest));
          consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.STORE_CHANGES, this::onChanges));
          consumers.add(vertx.eventBus().consumer(Addresses.STORE_HEALTH,
              m -> m.reply(health.toJson(pendingWrites()))));
          timer = vertx.setPeriodic(FLUSH_EVERY.toMillis(), id -> tick());
          return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
        })
        .onSuccess(v -> LOG.info("store ready (start epoch {})", epoch));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    consumers.forEach(MessageConsumer::unregister);
    // Nobody waits for room any more: what they sent is pending and goes with the last write below.
    answerWaiting();
    if (store == null) {
      return Future.succeededFuture();
    }
    // The last changes: whatever is in flight first, then one more try for the rest.
    return writing.transform(previous -> pending.isEmpty() ? Future.succeededFuture() : write())
        .transform(written -> {
          if (pendingWrites() > 0) {
            LOG.warn("Stopping with {} change(s) the store did not take", pendingWrites());
          }
          return store.close();
        });
  }

  private void onRequest(Message<JsonObject> message) {
    String action = message.body() == null ? "" : message.body().getString("action", "");
    if (!action.equals("restore")) {
      message.fail(400, "unknown store action");
      return;
    }
    store.load(clock.instant())
        .onSuccess(tenants -> {
          JsonArray list = new JsonArray();
          tenants.forEach(t -> list.add(t.toJson()));
          message.reply(new JsonObject().put("epoch", epoch).put("tenants", list));
        })
        .onFailure(e -> message.fail(503, "the store could not be read: " + e.getMessage()));
  }

  /**
   * One change, or a batch of them ({@code {"changes":[...]}}). A batch asked with a reply is answered
   * once fewer than {@link #ROOM} changes are pending, so a sender that waits for the answer cannot
   * outrun the store.
   */
  private void onChanges(Message<JsonObject> message) {
    JsonObject body = message.body();
    JsonArray batch = body == null ? null : body.getValue("changes") instanceof JsonArray list ? list : null;
    if (batch == null) {
      take(body);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      take(batch.getValue(i) instanceof JsonObject change ? change : null);
    }
    if (message.replyAddress() != null) {
      waitingForRoom.add(message);
      answerWhenRoom();
    }
  }

  private void take(JsonObject change) {
    try {
      pending.add(TenantChange.fromJson(change));
    } catch (IllegalArgumentException e) {
      LOG.warn("Refused a store change: {}", e.getMessage());
    }
  }

  private void answerWhenRoom() {
    if (pending.size() < ROOM) {
      answerWaiting();
    }
  }

  private void answerWaiting() {
    waitingForRoom.forEach(sender -> sender.reply(new JsonObject().put("pending", pending.size())));
    waitingForRoom.clear();
  }

  private void tick() {
    if (inFlight > 0 || waitingToRetry) {
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
    Map<String, TenantChange> batch = pending.take();
    inFlight = batch.size();
    Promise<Void> done = Promise.promise();
    writing = done.future();
    // Left to write once the batch is refused for its data and goes one change at a time.
    ArrayDeque<TenantChange> rest = new ArrayDeque<>(batch.values());
    store.write(batch.values())
        .recover(failure -> isDataError(failure) ? oneByOne(rest) : Future.failedFuture(failure))
        .onComplete(written -> {
          inFlight = 0;
          if (written.succeeded()) {
            failures = 0;
            health.answered(batch.size());
            answerWhenRoom();
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

  /**
   * Writes the changes left in {@code rest} one at a time, setting aside each the store refuses for its
   * data; what is written or set aside leaves {@code rest}. Fails, with {@code rest} still to write, on
   * any other failure.
   */
  private Future<Void> oneByOne(ArrayDeque<TenantChange> rest) {
    TenantChange change = rest.peekFirst();
    if (change == null) {
      return Future.succeededFuture();
    }
    return store.write(List.of(change))
        .recover(failure -> {
          if (!isDataError(failure)) {
            return Future.failedFuture(failure);
          }
          LOG.error("The store refused the change of tenant {} and it is set aside: {}", change.tenant(),
              failure.getMessage());
          metrics.storeRowRejected();
          return Future.succeededFuture();
        })
        .compose(v -> {
          rest.pollFirst();
          return oneByOne(rest);
        });
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
    Duration delay = RETRY_MIN.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 10));
    return delay.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay;
  }

  private int pendingWrites() {
    return pending.size() + inFlight;
  }
}
