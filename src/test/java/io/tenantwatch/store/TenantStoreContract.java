package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.cluster.TenantShard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TenantStore} keeps and gives back; run against PostgreSQL and against memory, so the
 * store the tests use behaves as the one operators run. Each test works on tenants of its own.
 */
abstract class TenantStoreContract {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  private TenantStore store;

  /** The store under test; the same one for every test of the class. */
  abstract TenantStore store();

  @BeforeEach
  void pickStore() {
    store = store();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The cause of the future's failure; an AssertionError naming {@code what} when it succeeds instead. */
  static Throwable failure(Future<?> future, String what) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError(what + " succeeded");
  }

  static JsonObject snapshot(String tenant, long seq) {
    JsonArray commands = new JsonArray().add(new JsonObject().put("type", "resume").put("tenant", tenant)
        .put("state", "Running").put("running", true).put("endpoint", "https://sod2.superoffice.com/" + tenant)
        .put("api", "https://sod2.superoffice.com/" + tenant + "/api").put("reason", "poll").put("seq", seq)
        .put("at", NOW.toString()));
    return new JsonObject().put("tenant", tenant).put("stateCode", 200).put("rawState", "Running").put("open", true)
        .put("seq", seq).put("validUntil", NOW.plusSeconds(60).toString()).put("holdUntil", null)
        .put("history", new JsonArray().add(new JsonObject().put("at", NOW.toString()).put("from", "Unknown")
            .put("to", "Running").put("cause", "poll").put("commands", commands)));
  }

  private StoredTenant find(String tenant) throws Exception {
    return await(store.load(NOW)).stream().filter(t -> t.tenant().equals(tenant)).findFirst().orElse(null);
  }

  @Test
  @DisplayName("a watched tenant comes back with its origin, its last snapshot and the notifications it applied")
  void roundTrip() throws Exception {
    SeenNotification seen = new SeenNotification("jti-1", NOW.plusSeconds(300));
    await(store.write(List.of(TenantChange.watched("Cust71001", "admin"),
        TenantChange.watched("Cust71002", "notification"), TenantChange.watched("Cust71003", "config"))));
    await(store.write(List.of(TenantChange.snapshot("Cust71001", snapshot("Cust71001", 3)),
        TenantChange.seen("Cust71001", seen))));

    StoredTenant first = find("Cust71001");
    assertThat(first.origin()).isEqualTo("admin");
    assertThat(first.snapshot()).isEqualTo(snapshot("Cust71001", 3));
    assertThat(first.seen()).containsExactly(seen);
    assertThat(find("Cust71002")).isEqualTo(new StoredTenant("Cust71002", "notification", null, List.of()));
    assertThat(find("Cust71003").origin()).isEqualTo("config");
  }

  @Test
  @DisplayName("the latest snapshot replaces the one before, and watching again keeps the first origin")
  void latestSnapshotWins() throws Exception {
    await(store.write(List.of(TenantChange.watched("Cust71011", "admin")
        .then(TenantChange.snapshot("Cust71011", snapshot("Cust71011", 1))))));
    await(store.write(List.of(TenantChange.snapshot("Cust71011", snapshot("Cust71011", 2)))));
    await(store.write(List.of(TenantChange.watched("Cust71011", "notification"))));

    assertThat(find("Cust71011")).isEqualTo(new StoredTenant("Cust71011", "admin", snapshot("Cust71011", 2), List.of()));
  }

  @Test
  @DisplayName("an unwatched tenant leaves the store with its snapshot and notifications")
  void unwatchForgets() throws Exception {
    await(store.write(List.of(TenantChange.watched("Cust71021", "admin")
        .then(TenantChange.snapshot("Cust71021", snapshot("Cust71021", 1)))
        .then(TenantChange.seen("Cust71021", new SeenNotification("jti-21", NOW.plusSeconds(60)))))));
    await(store.write(List.of(TenantChange.unwatched("Cust71021"))));

    assertThat(find("Cust71021")).isNull();
  }

  @Test
  @DisplayName("unwatched and watched again in one batch: the tenant starts over with the new origin and snapshot")
  void unwatchThenWatchInOneBatch() throws Exception {
    await(store.write(List.of(TenantChange.watched("Cust71031", "config")
        .then(TenantChange.snapshot("Cust71031", snapshot("Cust71031", 7)))
        .then(TenantChange.seen("Cust71031", new SeenNotification("old", NOW.plusSeconds(60)))))));
    TenantChange again = TenantChange.unwatched("Cust71031")
        .then(TenantChange.watched("Cust71031", "admin"))
        .then(TenantChange.snapshot("Cust71031", snapshot("Cust71031", 1)));
    await(store.write(List.of(again)));

    assertThat(find("Cust71031")).isEqualTo(new StoredTenant("Cust71031", "admin", snapshot("Cust71031", 1), List.of()));
  }

  @Test
  @DisplayName("a snapshot or notification of a tenant not in the store is dropped without failing the batch")
  void strayChangesDoNotFailTheBatch() throws Exception {
    await(store.write(List.of(TenantChange.snapshot("Cust71041", snapshot("Cust71041", 1)),
        TenantChange.seen("Cust71041", new SeenNotification("stray", NOW.plusSeconds(60))),
        TenantChange.watched("Cust71042", "admin"))));

    assertThat(find("Cust71041")).isNull();
    assertThat(find("Cust71042")).isNotNull();
  }

  @Test
  @DisplayName("a notification whose token has expired is forgotten; one that lives is kept")
  void expiredNotificationsForgotten() throws Exception {
    await(store.write(List.of(TenantChange.watched("Cust71051", "notification")
        .then(TenantChange.seen("Cust71051", new SeenNotification("expired", NOW.minusSeconds(1))))
        .then(TenantChange.seen("Cust71051", new SeenNotification("expiring-now", NOW)))
        .then(TenantChange.seen("Cust71051", new SeenNotification("alive", NOW.plusSeconds(1)))))));

    assertThat(find("Cust71051").seen()).extracting(SeenNotification::id).containsExactly("alive");
  }

  private static JsonObject entry(String tenant, int n) {
    return new JsonObject().put("tenant", tenant).put("from", "Running").put("to", "Running").put("cause", "poll")
        .put("commands", new JsonArray()).put("at", NOW.plusSeconds(n).toString());
  }

  private static JsonArray entries(String tenant, int from, int to) {
    JsonArray list = new JsonArray();
    for (int n = from; n <= to; n++) {
      list.add(entry(tenant, n));
    }
    return list;
  }

  private static TenantChange step(String tenant, long seq, HistoryUpdate history) {
    JsonObject rest = snapshot(tenant, seq);
    rest.remove("history");
    return TenantChange.snapshot(tenant, rest, history);
  }

  private JsonArray storedHistory(String tenant) throws Exception {
    return find(tenant).snapshot().getJsonArray("history");
  }

  @Test
  @DisplayName("a history is appended to after the entry the append names and cut to its last 'keep' entries; "
      + "the same append written twice is written once; one that does not follow changes nothing")
  void historyAppends() throws Exception {
    String tenant = "Cust71061";
    await(store.write(List.of(TenantChange.watched(tenant, "admin")
        .then(step(tenant, 1, HistoryUpdate.whole(entries(tenant, 1, 3)))))));
    HistoryUpdate append = HistoryUpdate.appended(entry(tenant, 3), entries(tenant, 4, 5), 4);
    await(store.write(List.of(step(tenant, 2, append))));
    assertThat(storedHistory(tenant)).isEqualTo(entries(tenant, 2, 5));

    await(store.write(List.of(step(tenant, 3, append))));
    await(store.write(List.of(step(tenant, 4, HistoryUpdate.appended(entry(tenant, 9), entries(tenant, 10, 10), 4)))));
    assertThat(storedHistory(tenant)).isEqualTo(entries(tenant, 2, 5));
    assertThat(find(tenant).snapshot().getLong("seq")).isEqualTo(4L);

    await(store.write(List.of(step(tenant, 5, null))));
    assertThat(find(tenant).snapshot()).isEqualTo(snapshot(tenant, 5).put("history", entries(tenant, 2, 5)));
  }

  @Test
  @DisplayName("a first history can be appended to an empty one, and a whole one replaces what is stored")
  void historyStartsAndIsReplaced() throws Exception {
    String tenant = "Cust71062";
    await(store.write(List.of(TenantChange.watched(tenant, "admin"))));
    await(store.write(List.of(step(tenant, 1, HistoryUpdate.appended(null, entries(tenant, 1, 2), 50)))));
    assertThat(storedHistory(tenant)).isEqualTo(entries(tenant, 1, 2));

    await(store.write(List.of(step(tenant, 2, HistoryUpdate.whole(entries(tenant, 7, 7))))));
    assertThat(storedHistory(tenant)).isEqualTo(entries(tenant, 7, 7));
  }

  @Test
  @DisplayName("two steps of one tenant in one batch are written in their order: the later snapshot, both appends")
  void twoStepsInOneBatch() throws Exception {
    String tenant = "Cust71063";
    await(store.write(List.of(TenantChange.watched(tenant, "admin")
        .then(step(tenant, 1, HistoryUpdate.whole(entries(tenant, 1, 2)))))));

    await(store.write(List.of(step(tenant, 2, HistoryUpdate.appended(entry(tenant, 2), entries(tenant, 3, 3), 50)),
        step(tenant, 3, HistoryUpdate.appended(entry(tenant, 3), entries(tenant, 4, 4), 50)))));

    assertThat(find(tenant).snapshot()).isEqualTo(snapshot(tenant, 3).put("history", entries(tenant, 1, 4)));
  }

  @Test
  @DisplayName("tenants come back a page at a time, in the order of their ids, each once with its live notifications, however small the page")
  void loadsPageByPage() throws Exception {
    List<String> ours = List.of("Cust71901", "Cust71902", "Cust71903", "Cust71904", "Cust71905");
    List<TenantChange> watch = new ArrayList<>();
    ours.forEach(tenant -> watch.add(TenantChange.watched(tenant, "admin")
        .then(TenantChange.snapshot(tenant, snapshot(tenant, 3)))));
    watch.add(TenantChange.seen("Cust71904", new SeenNotification("expired", NOW.minusSeconds(1))));
    watch.add(TenantChange.seen("Cust71904", new SeenNotification("alive", NOW.plusSeconds(60))));
    await(store.write(watch));

    List<StoredTenant> paged = new ArrayList<>();
    String after = null;
    List<StoredTenant> page;
    do {
      page = await(store.load(NOW, after, 2));
      assertThat(page).hasSizeLessThanOrEqualTo(2);
      paged.addAll(page);
      after = page.isEmpty() ? null : page.get(page.size() - 1).tenant();
    } while (page.size() == 2);

    assertThat(paged).isEqualTo(await(store.load(NOW)));
    List<StoredTenant> mine = paged.stream().filter(t -> ours.contains(t.tenant())).toList();
    assertThat(mine).extracting(StoredTenant::tenant).containsExactlyElementsOf(ours);
    assertThat(mine).extracting(StoredTenant::snapshot).allSatisfy(snapshot -> assertThat(snapshot).isNotNull());
    assertThat(mine.get(3).seen()).extracting(SeenNotification::id).containsExactly("alive");
    assertThat(mine.get(2).seen()).isEmpty();
  }

  @Test
  @DisplayName("the tenants of some shards come back a page at a time, each once, however small the page")
  void loadsShardsPageByPage() throws Exception {
    List<String> ours = List.of("Cust71911", "Cust71912", "Cust71913", "Cust71914", "Cust71915", "Cust71916");
    List<TenantChange> watch = new ArrayList<>();
    ours.forEach(tenant -> watch.add(TenantChange.watched(tenant, "admin")));
    await(store.write(watch));
    int shards = 4;
    Set<Integer> wanted = Set.of(1, 2);

    List<StoredTenant> paged = new ArrayList<>();
    String after = null;
    List<StoredTenant> page;
    do {
      page = await(store.load(NOW, wanted, shards, after, 2));
      assertThat(page).hasSizeLessThanOrEqualTo(2);
      paged.addAll(page);
      after = page.isEmpty() ? null : page.get(page.size() - 1).tenant();
    } while (page.size() == 2);

    assertThat(paged).extracting(StoredTenant::tenant).doesNotHaveDuplicates()
        .allSatisfy(tenant -> assertThat(wanted).contains(TenantShard.shard(tenant, shards)))
        .containsAll(ours.stream().filter(t -> wanted.contains(TenantShard.shard(t, shards))).toList());
  }

  @Test
  @DisplayName("each start counts one more epoch")
  void epochRises() throws Exception {
    long first = await(store.begin());
    long second = await(store.begin());

    assertThat(second).isEqualTo(first + 1);
    assertThat(first).isGreaterThanOrEqualTo(0);
  }
}
