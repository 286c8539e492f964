package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.LocalObjects;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.ChangeBatch;
import io.tenantwatch.store.PendingChange;
import io.tenantwatch.store.HistoryUpdate;
import io.tenantwatch.store.SeenNotification;
import io.tenantwatch.store.StoredPage;
import io.tenantwatch.store.TenantChange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The directory's feed to the store, against a consumer on the real event bus that records what arrives
 * on {@link Addresses#STORE_CHANGES} and answers batches when the test says: steps are folded into one
 * snapshot per batch, a batch waits for the store to take the one before, and an unwatched tenant's
 * unsent snapshot goes nowhere.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StoreFeedTest {
  private static final Instant NOW = Instant.parse("2026-11-27T01:00:00Z");
  private final Map<String, FedTenant> watched = new ConcurrentHashMap<>();

  /**
   * Records every message; those sent as requests are the feed's batches, answered only when {@link #answer()}
   * says so.
   */
  private static final class RecordingStore {
    final List<Object> received = new ArrayList<>();
    final List<ChangeBatch> requests = new ArrayList<>();
    final List<Message<Object>> unanswered = new ArrayList<>();
    final MessageConsumer<Object> consumer;
    Promise<Void> next = Promise.promise();

    RecordingStore(Vertx vertx) {
      consumer = vertx.eventBus().consumer(Addresses.STORE_CHANGES, message -> {
        received.add(message.body());
        if (message.replyAddress() != null) {
          requests.add((ChangeBatch) message.body());
          unanswered.add(message);
        }
        next.tryComplete();
      });
    }

    /** Completes at the next message. */
    Future<Void> nextMessage() {
      next = Promise.promise();
      return next.future();
    }

    void answer() {
      unanswered.forEach(m -> m.reply(new JsonObject()));
      unanswered.clear();
    }

    /** Refuses the batches so far, as a store that cannot take them; completes at the next message. */
    Future<Void> refuseThenNext() {
      Future<Void> next = nextMessage();
      unanswered.forEach(m -> m.fail(503, "injected"));
      unanswered.clear();
      return next;
    }

    /** Answers the batches so far; completes at the next message. */
    Future<Void> answerThenNext() {
      Future<Void> next = nextMessage();
      answer();
      return next;
    }

    /** The feed's batches, each sent as a request (an unwatch goes as a batch of its own, not asked to answer). */
    List<ChangeBatch> batches() {
      return requests;
    }
  }

  private StoreFeed feed(Vertx vertx) {
    return new StoreFeed(vertx, true, watched::get);
  }

  /** The directory watches {@code tenant} afresh, as it does before deploying the tenant's verticle. */
  private void watch(StoreFeed feed, String tenant, WatchOrigin origin) {
    watched.computeIfAbsent(tenant, t -> new FedTenant()).snapshot = TenantSnapshot.initial(tenant);
    feed.watched(tenant, origin);
  }

  /** The directory restores {@code tenant} from the store. */
  private void restore(StoreFeed feed, String tenant) {
    watched.computeIfAbsent(tenant, t -> new FedTenant()).snapshot = TenantSnapshot.initial(tenant).withSeq(1);
    feed.restored(tenant);
  }

  private void step(StoreFeed feed, String tenant, long seq) {
    FedTenant fed = watched.computeIfAbsent(tenant, t -> new FedTenant());
    fed.snapshot = (fed.snapshot == null ? TenantSnapshot.initial(tenant) : fed.snapshot).withSeq(seq);
    feed.changed(tenant);
  }

  /** A step that records one more history entry (the history keeps at most {@code limit}). */
  private HistoryEntry record(StoreFeed feed, String tenant, int limit) {
    FedTenant fed = watched.computeIfAbsent(tenant, t -> new FedTenant());
    TenantSnapshot before = fed.snapshot == null ? TenantSnapshot.initial(tenant) : fed.snapshot;
    HistoryEntry entry = new HistoryEntry(tenant, NOW.plusSeconds(before.seq()), "Running", "Running", "poll", List.of());
    List<HistoryEntry> history = new ArrayList<>(before.history());
    history.add(entry);
    fed.snapshot = before.withSeq(before.seq() + 1)
        .withHistory(history.subList(Math.max(0, history.size() - limit), history.size()));
    feed.changed(tenant);
    return entry;
  }

  private static String tenantAndSeq(TenantChange change) {
    return change.tenant() + ":" + change.snapshot().getLong("seq");
  }

  /** The batch's changes, made as the store makes them. */
  private static List<TenantChange> changes(ChangeBatch batch) {
    return batch.changes().stream().map(PendingChange::make).toList();
  }

  @Test
  @DisplayName("a tenant that steps five times before a batch goes to the store once, as it is at its last step")
  void stepsFold(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      for (long seq = 1; seq <= 5; seq++) {
        step(feed, "Cust1", seq);
      }
      store.nextMessage().onComplete(context.succeeding(arrived -> context.verify(() -> {
        assertThat(store.batches()).hasSize(1);
        List<TenantChange> changes = changes(store.batches().get(0));
        assertThat(changes).singleElement().satisfies(change -> {
          assertThat(change.tenant()).isEqualTo("Cust1");
          assertThat(change.snapshot().getLong("seq")).isEqualTo(5L);
        });
        assertThat(feed.unsent()).isZero();
        context.completeNow();
      })));
    });
  }

  @Test
  @DisplayName("no batch goes while the store has not taken the one before; the next carries what changed meanwhile")
  void waitsForTheStore(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      step(feed, "Cust1", 1);
      store.nextMessage()
          .compose(first -> {
            step(feed, "Cust1", 2);
            step(feed, "Cust2", 1);
            // Ten send intervals with the first batch unanswered.
            Promise<Void> waited = Promise.promise();
            vertx.setTimer(StoreFeed.SEND_AFTER.toMillis() * 10, id -> waited.complete());
            return waited.future();
          })
          .compose(waited -> {
            context.verify(() -> {
              assertThat(store.batches()).hasSize(1);
              assertThat(feed.unsent()).isEqualTo(2);
            });
            return store.answerThenNext();
          })
          .onComplete(context.succeeding(second -> context.verify(() -> {
            assertThat(store.batches()).hasSize(2);
            assertThat(changes(store.batches().get(1)))
                .extracting(StoreFeedTest::tenantAndSeq)
                .containsExactly("Cust1:2", "Cust2:1");
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("a watch goes to the store with the next batch, not in a message of its own, and in one change with the tenant's snapshot when it stepped meanwhile")
  void watchGoesWithTheBatch(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      watch(feed, "Cust1", WatchOrigin.ADMIN);
      watch(feed, "Cust2", WatchOrigin.CONFIG);
      step(feed, "Cust2", 1);
      step(feed, "Cust3", 1);
      assertThat(feed.unsent()).isEqualTo(3);
      store.nextMessage().onComplete(context.succeeding(arrived -> context.verify(() -> {
        assertThat(store.received).as("every message a batch").isEqualTo(store.batches()).hasSize(1);
        List<TenantChange> changes = changes(store.batches().get(0));
        assertThat(changes).extracting(TenantChange::tenant).containsExactly("Cust1", "Cust2", "Cust3");
        assertThat(changes.get(0)).as("a watch alone carries no snapshot").isEqualTo(TenantChange.watched("Cust1", "admin"));
        assertThat(changes.get(1).origin()).isEqualTo("config");
        assertThat(changes.get(1).snapshot().getLong("seq")).isEqualTo(1L);
        assertThat(changes.get(2).origin()).isNull();
        assertThat(feed.unsent()).isZero();
        context.completeNow();
      })));
    });
  }

  @Test
  @DisplayName("a tenant unwatched before its watch went leaves only its unwatch with the store")
  void unwatchedBeforeItsWatchWent(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      watch(feed, "Cust1", WatchOrigin.ADMIN);
      watched.remove("Cust1");
      feed.unwatched("Cust1");
      vertx.setTimer(StoreFeed.SEND_AFTER.toMillis() * 5, id -> context.verify(() -> {
        assertThat(store.received).containsExactly(new ChangeBatch(List.of(TenantChange.unwatched("Cust1"))));
        assertThat(store.batches()).isEmpty();
        assertThat(feed.unsent()).isZero();
        context.completeNow();
      }));
    });
  }

  @Test
  @DisplayName("a watch in a batch the store refused goes again with the next, alone or with its snapshot")
  void refusedWatchGoesAgain(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      watch(feed, "Cust1", WatchOrigin.NOTIFICATION);
      watch(feed, "Cust2", WatchOrigin.ADMIN);
      step(feed, "Cust2", 1);
      store.nextMessage()
          .compose(first -> store.refuseThenNext())
          .onComplete(context.succeeding(second -> context.verify(() -> {
            List<TenantChange> again = changes(store.batches().get(1));
            assertThat(again).extracting(TenantChange::tenant).containsExactly("Cust1", "Cust2");
            assertThat(again.get(0)).isEqualTo(TenantChange.watched("Cust1", "notification"));
            assertThat(again.get(1).origin()).isEqualTo("admin");
            assertThat(again.get(1).history().whole()).as("its history whole, as the store may lack it").isTrue();
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("a tenant unwatched before its batch goes leaves only its unwatch with the store")
  void unwatchedSnapshotGoesNowhere(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      step(feed, "Cust1", 1);
      step(feed, "Cust2", 1);
      watched.remove("Cust1");
      feed.unwatched("Cust1");
      vertx.setTimer(StoreFeed.SEND_AFTER.toMillis() * 5, id -> context.verify(() -> {
        assertThat(store.received.get(0)).isEqualTo(new ChangeBatch(List.of(TenantChange.unwatched("Cust1"))));
        assertThat(store.batches()).singleElement()
            .satisfies(batch -> assertThat(changes(batch)).extracting(TenantChange::tenant).containsExactly("Cust2"));
        context.completeNow();
      }));
    });
  }

  @Test
  @DisplayName("a batch carries at most BATCH snapshots, the oldest changes first; the rest follow once it is taken")
  void batchesAreBounded(Vertx vertx, VertxTestContext context) {
    int tenants = StoreFeed.BATCH * 2 + StoreFeed.BATCH / 2;
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      IntStream.rangeClosed(1, tenants).forEach(i -> step(feed, "Cust" + i, 1));
      store.nextMessage()
          .compose(first -> store.answerThenNext())
          .compose(second -> store.answerThenNext())
          .onComplete(context.succeeding(third -> context.verify(() -> {
            assertThat(store.batches()).extracting(batch -> batch.changes().size())
                .containsExactly(StoreFeed.BATCH, StoreFeed.BATCH, StoreFeed.BATCH / 2);
            assertThat(changes(store.batches().get(0)).get(0).tenant()).isEqualTo("Cust1");
            assertThat(changes(store.batches().get(2)).get(StoreFeed.BATCH / 2 - 1).tenant()).isEqualTo("Cust" + tenants);
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("R11: tenants changed only by their restore go after every other change, so a restart of many does not hold a step back; one that steps meanwhile goes with the steps")
  void restoredGoAfterSteps(Vertx vertx, VertxTestContext context) {
    int restored = StoreFeed.BATCH + 10;
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      IntStream.rangeClosed(1, restored).forEach(i -> restore(feed, "Cust" + (1000 + i)));
      IntStream.rangeClosed(1, 3).forEach(i -> step(feed, "Cust" + i, 7));
      step(feed, "Cust1005", 7);
      feed.restored("Cust1005"); // restored again by a shard's handover, say: it stays with the steps
      context.verify(() -> assertThat(feed.unsent()).isEqualTo(restored + 3));
      store.nextMessage()
          .compose(first -> store.answerThenNext())
          .onComplete(context.succeeding(taken -> context.verify(() -> {
            List<String> first = changes(store.batches().get(0)).stream().map(TenantChange::tenant).toList();
            assertThat(first).hasSize(StoreFeed.BATCH)
                .startsWith("Cust1", "Cust2", "Cust3", "Cust1005", "Cust1001", "Cust1002", "Cust1003", "Cust1004",
                    "Cust1006")
                .doesNotHaveDuplicates();
            List<String> second = changes(store.batches().get(1)).stream().map(TenantChange::tenant).toList();
            assertThat(second).hasSize(restored + 3 - StoreFeed.BATCH).endsWith("Cust" + (1000 + restored))
                .doesNotContainAnyElementsOf(first);
            assertThat(feed.unsent()).isZero();
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("R11: tenants changed only by their restore wait until the restore is over, while the steps of those restored go at once; a stop sends them all the same")
  void restoredWaitForTheRestore(Vertx vertx, VertxTestContext context) {
    Promise<Void> pageHandled = Promise.promise();
    vertx.runOnContext(v -> {
      LocalObjects.carry(vertx.eventBus(), StoredPage.class, "tenantwatch-stored-page");
      vertx.eventBus().consumer(Addresses.STORE, page -> page.reply(new StoredPage(3, List.of())));
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      Future<Long> restore = feed.restore(page -> {
        restore(feed, "Cust1001");
        restore(feed, "Cust1002");
        step(feed, "Cust1002", 7); // its first poll, say
        return pageHandled.future();
      });
      restore.onFailure(context::failNow);
      store.nextMessage()
          .compose(first -> {
            context.verify(() -> assertThat(tenants(store.batches().get(0))).containsExactly("Cust1002"));
            Future<Void> second = store.answerThenNext();
            vertx.setTimer(3 * StoreFeed.SEND_AFTER.toMillis(), t -> context.verify(() -> {
              assertThat(store.batches()).as("batches while the restore is under way").hasSize(1);
              pageHandled.complete();
            }));
            return second;
          })
          .compose(second -> {
            context.verify(() -> assertThat(tenants(store.batches().get(1))).containsExactly("Cust1001"));
            store.answer();
            restore(feed, "Cust1003");
            return restoreHeld(feed, store);
          })
          .onComplete(context.succeeding(flushed -> context.verify(() -> {
            assertThat(restore.result()).isEqualTo(3);
            assertThat(tenants(store.batches().get(2))).containsExactly("Cust1003", "Cust1004");
            context.completeNow();
          })));
    });
  }

  /** The engine stops while another restore is under way, one tenant of it restored: the flush sends it too. */
  private Future<Void> restoreHeld(StoreFeed feed, RecordingStore store) {
    Promise<Void> flushed = Promise.promise();
    Future<Void> sent = store.nextMessage();
    feed.restore(page -> {
      restore(feed, "Cust1004");
      feed.flush().onComplete(flushed);
      return Promise.<Void>promise().future(); // never handled: still under way at the stop
    });
    return sent.compose(third -> {
      store.answer();
      return flushed.future();
    });
  }

  private static List<String> tenants(ChangeBatch batch) {
    return changes(batch).stream().map(TenantChange::tenant).toList();
  }

  @Test
  @DisplayName("a batch the store refused goes again with the next, as the tenants are then")
  void refusedBatchGoesAgain(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      step(feed, "Cust1", 1);
      store.nextMessage()
          .compose(first -> {
            step(feed, "Cust1", 2);
            return store.refuseThenNext();
          })
          .onComplete(context.succeeding(second -> context.verify(() -> {
            assertThat(changes(store.batches().get(1)))
                .extracting(StoreFeedTest::tenantAndSeq)
                .containsExactly("Cust1:2");
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("a notification a tenant applied goes to the store in its next snapshot's change, not in a message of its own, and again with the next batch when the store refused that one")
  void seenGoesWithTheSnapshot(Vertx vertx, VertxTestContext context) {
    SeenNotification first = new SeenNotification("jti-1", NOW.plusSeconds(300));
    SeenNotification second = new SeenNotification("jti-2", NOW.plusSeconds(600));
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      step(feed, "Cust1", 1);
      feed.seen("Cust1", first);
      store.nextMessage()
          .compose(sent -> {
            context.verify(() -> assertThat(changes(store.batches().get(0))).singleElement().satisfies(change -> {
              assertThat(change.snapshot().getLong("seq")).isEqualTo(1L);
              assertThat(change.seen()).containsExactly(first);
            }));
            step(feed, "Cust1", 2);
            feed.seen("Cust1", second);
            return store.refuseThenNext();
          })
          .onComplete(context.succeeding(again -> context.verify(() -> {
            assertThat(store.received).as("every message a batch").allMatch(ChangeBatch.class::isInstance);
            assertThat(changes(store.batches().get(1))).singleElement().satisfies(change -> {
              assertThat(change.snapshot().getLong("seq")).isEqualTo(2L);
              assertThat(change.seen()).as("the refused batch's and the newer one").containsExactly(first, second);
            });
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("flush at stop sends every unsent snapshot, a batch at a time as the store takes them, and completes once it has them all")
  void flushSendsEverything(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      IntStream.rangeClosed(1, StoreFeed.BATCH * 2 + 1).forEach(i -> step(feed, "Cust" + i, 1));
      Future<Void> flushed = feed.flush();
      store.nextMessage()
          .compose(first -> {
            context.verify(() -> {
              assertThat(flushed.isComplete()).isFalse();
              assertThat(store.batches()).hasSize(1);
            });
            return store.answerThenNext();
          })
          .compose(second -> store.answerThenNext())
          .compose(third -> {
            store.answer();
            return flushed;
          })
          .onComplete(context.succeeding(done -> context.verify(() -> {
            assertThat(store.batches()).extracting(batch -> batch.changes().size())
                .containsExactly(StoreFeed.BATCH, StoreFeed.BATCH, 1);
            assertThat(feed.unsent()).isZero();
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("flush at stop completes after any number of batches: twenty thousand, as a million changes make four thousand, do not run its completion through one stack")
  void flushCompletesAfterManyBatches(Vertx vertx, VertxTestContext context) {
    int tenants = 20_000;
    vertx.runOnContext(v -> {
      List<ChangeBatch> taken = new ArrayList<>();
      vertx.eventBus().<ChangeBatch>consumer(Addresses.STORE_CHANGES, batch -> {
        taken.add(batch.body());
        batch.reply(new JsonObject());
      });
      StoreFeed feed = feed(vertx);
      feed.batchSize(1);
      IntStream.rangeClosed(1, tenants).forEach(i -> step(feed, "Cust" + i, 1));
      feed.flush().onComplete(context.succeeding(flushed -> context.verify(() -> {
        assertThat(taken).hasSize(tenants);
        assertThat(feed.unsent()).isZero();
        context.completeNow();
      })));
    });
  }

  @Test
  @DisplayName("a tenant's first batch carries its whole history; later ones only the entries added since, after the last one sent")
  void historyGoesOnce(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      HistoryEntry first = record(feed, "Cust1", 50);
      HistoryEntry second = record(feed, "Cust1", 50);
      HistoryEntry[] later = new HistoryEntry[2];
      store.nextMessage()
          .compose(sent -> {
            later[0] = record(feed, "Cust1", 50);
            later[1] = record(feed, "Cust1", 50);
            return store.answerThenNext();
          })
          .compose(sent -> {
            step(feed, "Cust1", 9); // a step that records nothing
            return store.answerThenNext();
          })
          .onComplete(context.succeeding(third -> context.verify(() -> {
            List<HistoryUpdate> updates = store.batches().stream()
                .map(batch -> changes(batch).get(0).history()).toList();
            assertThat(updates.get(0)).isEqualTo(HistoryUpdate.whole(entries(first, second)));
            assertThat(updates.get(1)).isEqualTo(HistoryUpdate.appended(second.toJson(), entries(later), 4));
            assertThat(updates.get(2)).isNull();
            assertThat(changes(store.batches().get(2)).get(0).snapshot().getLong("seq")).isEqualTo(9L);
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("a tenant that recorded many entries between two batches, and one whose full history dropped its oldest, get only the entries added")
  void manyEntriesAdded(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      HistoryEntry[] sentLast = new HistoryEntry[2];
      List<HistoryEntry> many = new ArrayList<>();
      List<HistoryEntry> beyondFull = new ArrayList<>();
      IntStream.range(0, 3).forEach(i -> sentLast[0] = record(feed, "Cust1", 50));
      IntStream.range(0, 50).forEach(i -> sentLast[1] = record(feed, "Cust2", 50));
      store.nextMessage()
          .compose(first -> {
            IntStream.range(0, 20).forEach(i -> many.add(record(feed, "Cust1", 50)));
            IntStream.range(0, 3).forEach(i -> beyondFull.add(record(feed, "Cust2", 50)));
            return store.answerThenNext();
          })
          .onComplete(context.succeeding(second -> context.verify(() -> {
            List<TenantChange> changes = changes(store.batches().get(1));
            assertThat(changes.get(0).history()).isEqualTo(
                HistoryUpdate.appended(sentLast[0].toJson(), entries(many.toArray(HistoryEntry[]::new)), 23));
            assertThat(changes.get(1).history()).isEqualTo(
                HistoryUpdate.appended(sentLast[1].toJson(), entries(beyondFull.toArray(HistoryEntry[]::new)), 50));
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("a tenant's changes in three batches, folded unmade while they wait for the store, make what the three make one after another")
  void changesFoldUnmade(Vertx vertx, VertxTestContext context) {
    SeenNotification seen = new SeenNotification("jti-9", NOW.plusSeconds(300));
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      record(feed, "Cust1", 50);
      store.nextMessage()
          .compose(first -> {
            record(feed, "Cust1", 50);
            feed.seen("Cust1", seen);
            record(feed, "Cust1", 50);
            return store.answerThenNext();
          })
          .compose(second -> {
            record(feed, "Cust1", 50);
            return store.answerThenNext();
          })
          .onComplete(context.succeeding(third -> context.verify(() -> {
            List<PendingChange> changes = store.batches().stream().map(batch -> batch.changes().get(0)).toList();
            TenantChange oneAfterAnother = changes.get(0).make().then(changes.get(1).make()).then(changes.get(2).make());
            TenantChange folded = changes.get(0).then(changes.get(1)).then(changes.get(2)).make();
            assertThat(folded).isEqualTo(oneAfterAnother);
            assertThat(folded.seen()).containsExactly(seen);
            TenantChange lastTwo = changes.get(1).then(changes.get(2)).make();
            assertThat(lastTwo).isEqualTo(changes.get(1).make().then(changes.get(2).make()));
            assertThat(lastTwo.history().whole()).isFalse();
            context.completeNow();
          })));
    });
  }

  @Test
  @DisplayName("after a refused batch, or once the last entry sent has dropped out of the history, the whole history goes")
  void wholeHistoryAgain(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      RecordingStore store = new RecordingStore(vertx);
      StoreFeed feed = feed(vertx);
      record(feed, "Cust1", 2);
      store.nextMessage()
          .compose(first -> {
            record(feed, "Cust1", 2);
            return store.refuseThenNext();
          })
          .compose(second -> {
            // Three entries in a history of two: the one the store ends with is gone.
            record(feed, "Cust1", 2);
            record(feed, "Cust1", 2);
            record(feed, "Cust1", 2);
            return store.answerThenNext();
          })
          .onComplete(context.succeeding(third -> context.verify(() -> {
            List<HistoryUpdate> updates = store.batches().stream()
                .map(batch -> changes(batch).get(0).history()).toList();
            assertThat(updates).hasSize(3).allSatisfy(update -> assertThat(update.whole()).isTrue());
            assertThat(updates.get(2).entries()).isEqualTo(entries(watched.get("Cust1").snapshot.history()
                .toArray(HistoryEntry[]::new)));
            context.completeNow();
          })));
    });
  }

  private static JsonArray entries(HistoryEntry... entries) {
    JsonArray list = new JsonArray();
    for (HistoryEntry entry : entries) {
      list.add(entry.toJson());
    }
    return list;
  }
}
