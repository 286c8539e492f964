package io.tenantwatch.store;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.config.StoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * goes on from memory. Answers {@link Addresses#STORE} ({@code restore}: the start epoch and every stored
 * tenant) and {@link Addresses#STORE_HEALTH}. On stop it writes what is pending, then closes the store.
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
  public StoreVerticle(Function<Vertx, Future<TenantStore>> opener, Clock clock) {
    this.opener = opener;
    this.clock = clock;
  }

  /** The store that {@code store.type} names. */
  public static StoreVerticle of(StoreOptions options, Clock clock) {
    return new StoreVerticle(vertx -> TenantStores.open(vertx, options), clock);
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
    store.write(batch.values()).onComplete(written -> {
      inFlight = 0;
      if (written.succeeded()) {
        failures = 0;
        health.answered(batch.size());
        answerWhenRoom();
      } else {
        pending.putBack(batch);
        failed(written.cause());
      }
      done.complete();
    });
    return writing;
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
