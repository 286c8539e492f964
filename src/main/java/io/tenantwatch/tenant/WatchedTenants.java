package io.tenantwatch.tenant;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.metrics.TenantCensus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The directory's tenants: those watched, and those on their way out (an unwatch under way, whose last
 * reports still count), with the tenant gauges kept in step with every change. It answers the
 * directory's listings from the snapshots the tenants handed over, without asking any tenant. Lives on
 * the directory's event loop.
 */
final class WatchedTenants {
  private Map<String, WatchedTenant> watched = new HashMap<>();
  /** How many tenants {@link #watched} has room for without growing, as far as {@link #expect} made it. */
  private int room;
  /** Tenants being unwatched: their verticles' last reports and the retire still to come. */
  private final Map<String, WatchedTenant> leaving = new HashMap<>();
  private final TenantCensus census;

  WatchedTenants(TenantCensus census) {
    this.census = census;
  }

  /** How many tenants are watched. */
  int count() {
    return watched.size();
  }

  /** The watched tenant, or null. */
  WatchedTenant get(String tenant) {
    return tenant == null ? null : watched.get(tenant);
  }

  /** The tenant being unwatched, or null. */
  WatchedTenant leaving(String tenant) {
    return tenant == null ? null : leaving.get(tenant);
  }

  /**
   * Makes room for {@code more} tenants about to be watched, when their number is known at once (the configured
   * tenants of a first start): a hundred thousand grow the map once, not seventeen times, each time rehashing
   * every tenant watched so far on the directory's event loop (measured: the deploy cost per tenant at 100,000
   * went from about 2.1 to 1.6 times a bare verticle's). A restart's pages leave it to the map: copying it page
   * by page would allocate every entry again.
   */
  void expect(int more) {
    int wanted = watched.size() + more;
    if (wanted > room) {
      room = wanted;
      Map<String, WatchedTenant> larger = new HashMap<>((int) (room / 0.75f) + 1);
      larger.putAll(watched);
      watched = larger;
    }
  }

  void add(String tenant, WatchedTenant tenantNow) {
    watched.put(tenant, tenantNow);
    tenantNow.closedSince = census.update(null, null, tenantNow.snapshot);
  }

  /** Its verticle handed over a new snapshot; the gauges follow a tenant still watched. */
  void stepped(WatchedTenant tenant, TenantSnapshot before) {
    if (watched.get(tenant.snapshot.tenant()) == tenant) {
      tenant.closedSince = census.update(before, tenant.closedSince, tenant.snapshot);
    }
  }

  /** The tenant is being unwatched: out of the listings, its last reports still taken until {@link #left}. */
  WatchedTenant startLeaving(String tenant) {
    WatchedTenant gone = watched.remove(tenant);
    if (gone != null) {
      uncount(gone);
      leaving.put(tenant, gone);
    }
    return gone;
  }

  /** Its unwatch is over. */
  void left(String tenant) {
    leaving.remove(tenant);
  }

  /** Forgets {@code tenant} when it is still {@code which} (its verticle could not be deployed). */
  void forget(String tenant, WatchedTenant which) {
    if (watched.remove(tenant, which)) {
      uncount(which);
    }
  }

  /** The watched tenants that {@code which} picks. */
  List<String> matching(Predicate<String> which) {
    return watched.keySet().stream().filter(which).sorted().toList();
  }

  /** The tenant runs on elsewhere now (its shard was handed over or dropped): out of the listings, unwatched nowhere. */
  WatchedTenant movedAway(String tenant) {
    WatchedTenant gone = watched.remove(tenant);
    if (gone != null) {
      uncount(gone);
    }
    return gone;
  }

  /** The tenant is no longer watched here: out of the gauges. */
  private void uncount(WatchedTenant gone) {
    gone.closedSince = census.update(gone.snapshot, gone.closedSince, null);
  }

  /** The tenants whose verticle is up. */
  List<String> running() {
    return watched.entrySet().stream().filter(e -> e.getValue().deployment.succeeded()).map(Map.Entry::getKey)
        .toList();
  }

  /** Whether the tenant is watched, and while its verticle waits to be restarted, how long it may take. */
  JsonObject contains(String tenant, Instant now) {
    WatchedTenant found = get(tenant);
    JsonObject answer = new JsonObject().put("watched", found != null);
    if (found != null && found.restart != null) {
      answer.put("restartInMs", Math.max(0, Duration.between(now, found.restart.at()).toMillis()));
    }
    return answer;
  }

  /** The views of the watched tenants, by id, filtered by state code and gate when those are not null. */
  JsonObject list(Integer stateCode, Boolean running) {
    JsonArray list = new JsonArray();
    for (String tenant : watched.keySet().stream().sorted().toList()) {
      TenantSnapshot snapshot = watched.get(tenant).snapshot;
      if ((stateCode == null || stateCode == snapshot.state().code())
          && (running == null || running == snapshot.open())) {
        list.add(TenantView.of(snapshot).toJson(false));
      }
    }
    return new JsonObject().put("total", list.size()).put("tenants", list);
  }

  /** Asks every tenant to poll again; answers how many will (a Deleted one is not polled any more, R4). */
  JsonObject repollAll(EventBus bus) {
    int scheduled = 0;
    for (Map.Entry<String, WatchedTenant> entry : watched.entrySet()) {
      bus.send(Addresses.tenant(entry.getKey()), TenantMessages.of(TenantMessages.REPOLL));
      if (entry.getValue().snapshot.state() != TenantState.DELETED) {
        scheduled++;
      }
    }
    return new JsonObject().put("scheduled", scheduled);
  }
}
