package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How changes wait for the store: one folded change per tenant, in the order they were made. */
class PendingWritesTest {
  private static final SeenNotification SEEN = new SeenNotification("jti", Instant.parse("2026-11-26T12:00:00Z"));

  private static JsonObject snapshot(long seq) {
    return new JsonObject().put("seq", seq).put("history", new JsonArray());
  }

  /** What a batch writes of {@link #snapshot}: the rest, and the history apart. */
  private static TenantChange written(String tenant, String origin, long seq, List<SeenNotification> seen) {
    return new TenantChange(tenant, false, origin, new JsonObject().put("seq", seq),
        HistoryUpdate.whole(new JsonArray()), seen);
  }

  @Test
  @DisplayName("a bounded take writes the oldest tenants first, a later change folded in its tenant's place, and leaves the rest in order")
  void boundedTakeOldestFirst() {
    PendingWrites pending = new PendingWrites();
    for (int i = 0; i < 5; i++) {
      pending.add(TenantChange.watched("Cust7300" + i, "admin"));
    }
    pending.add(TenantChange.seen("Cust73000", SEEN));

    assertThat(pending.take(2).keySet()).containsExactly("Cust73000", "Cust73001");
    assertThat(pending.size()).isEqualTo(3);
    assertThat(pending.take(10).keySet()).containsExactly("Cust73002", "Cust73003", "Cust73004");
    assertThat(pending.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("many snapshots of one tenant become one write of the latest")
  void latestSnapshotKept() {
    PendingWrites pending = new PendingWrites();
    pending.add(TenantChange.watched("Cust76001", "admin"));
    pending.add(TenantChange.snapshot("Cust76001", snapshot(1)));
    pending.add(TenantChange.seen("Cust76001", SEEN));
    pending.add(TenantChange.snapshot("Cust76001", snapshot(2)));

    assertThat(pending.take()).containsExactly(Map.entry("Cust76001",
        written("Cust76001", "admin", 2, List.of(SEEN))));
    assertThat(pending.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("an unwatch drops what came before it, and a snapshot arriving after it has nowhere to go")
  void unwatchDropsEarlierChanges() {
    PendingWrites pending = new PendingWrites();
    pending.add(TenantChange.watched("Cust76002", "admin"));
    pending.add(TenantChange.snapshot("Cust76002", snapshot(1)));
    pending.add(TenantChange.unwatched("Cust76002"));
    pending.add(TenantChange.snapshot("Cust76002", snapshot(2)));

    assertThat(pending.take().get("Cust76002")).isEqualTo(TenantChange.unwatched("Cust76002"));
  }

  @Test
  @DisplayName("a failed batch goes back in front of the changes made while it was being written")
  void failedBatchGoesFirst() {
    PendingWrites pending = new PendingWrites();
    pending.add(TenantChange.watched("Cust76003", "admin"));
    pending.add(TenantChange.snapshot("Cust76003", snapshot(1)));
    Map<String, TenantChange> failed = pending.take();
    pending.add(TenantChange.snapshot("Cust76003", snapshot(2)));
    pending.add(TenantChange.unwatched("Cust76004"));

    pending.putBack(failed);

    assertThat(pending.size()).isEqualTo(2);
    assertThat(pending.take()).containsExactly(
        Map.entry("Cust76003", written("Cust76003", "admin", 2, List.of())),
        Map.entry("Cust76004", TenantChange.unwatched("Cust76004")));
  }
}
