package io.tenantwatch.tenant;

import io.tenantwatch.domain.ContextId;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.StoredTenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants a directory watches at start: those in the configuration, always, and those the store
 * kept from before (added by an operator or a notification, until unwatched), each restored from its
 * snapshot. A tenant the store kept only because an earlier configuration listed it is dropped: it
 * starts again only to be unwatched, so workers that remember it get its {@code retire}.
 */
final class StartingTenants {
  private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);

  /** One tenant to watch at start; {@code restored} is null for a tenant with nothing stored. */
  record Starting(String tenant, WatchOrigin origin, TenantStart.Loaded restored) {
  }

  private final List<Starting> starting;
  private final List<Starting> dropped;

  private StartingTenants(List<Starting> starting, List<Starting> dropped) {
    this.starting = starting;
    this.dropped = dropped;
  }

  List<Starting> starting() {
    return starting;
  }

  /**
   * Stored tenants that only an earlier configuration listed: to be unwatched (a {@code retire}) and
   * leave the store. Each is restored retired, so it neither polls nor announces itself first.
   */
  List<Starting> dropped() {
    return dropped;
  }

  /**
   * @param stored the store's answer to {@code restore}
   * @param configured the tenants in the configuration, in order
   */
  static StartingTenants of(JsonObject stored, List<String> configured, Instant now) {
    long epoch = stored.getLong("epoch", 0L);
    return of(stored, configured, tenant -> leaving(tenant, epoch), tenant -> restored(tenant, epoch, now));
  }

  /**
   * The tenants of shards a cluster node has just taken, at the epochs it holds them at: each stored one
   * handed over ({@link #handedOver}), the configured ones of those shards that the store lacks watched
   * afresh, and a stored one only an earlier configuration listed restored retired at the new epoch, to be
   * unwatched.
   *
   * @param stored the store's answer to {@code restore} for those shards
   * @param configured the configured tenants of those shards, in order
   * @param epochOf the lease epoch of a tenant's shard
   * @param handedOver whether a tenant's shard was handed over by its previous owner (released after its last
   *     snapshots were written), not taken after a lapse
   */
  static StartingTenants handedOver(JsonObject stored, List<String> configured, ToLongFunction<String> epochOf,
      Predicate<String> handedOver, Instant now) {
    long startEpoch = stored.getLong("epoch", 0L);
    return of(stored, configured,
        tenant -> TenantRestore.leaving(readable(tenant).withEpoch(epochOf.applyAsLong(tenant.tenant())),
            tenant.seen(), startEpoch),
        tenant -> TenantRestore.handover(readable(tenant), tenant.seen(), epochOf.applyAsLong(tenant.tenant()),
            handedOver.test(tenant.tenant()), now));
  }

  private static StartingTenants of(JsonObject stored, List<String> configured,
      Function<StoredTenant, TenantStart.Loaded> leaving, Function<StoredTenant, TenantStart.Loaded> restored) {
    Set<String> inConfig = Set.copyOf(configured);
    Map<String, Starting> starting = new LinkedHashMap<>();
    List<Starting> dropped = new ArrayList<>();
    Set<String> notStarted = new HashSet<>();
    JsonArray tenants = stored.getJsonArray("tenants", new JsonArray());
    for (int i = 0; i < tenants.size(); i++) {
      StoredTenant tenant = StoredTenant.fromJson(tenants.getJsonObject(i));
      WatchOrigin origin = WatchOrigin.byWireName(tenant.origin()).orElse(WatchOrigin.ADMIN);
      if (!ContextId.isValid(tenant.tenant())) {
        LOG.warn("The store holds a tenant that is not a context identifier; it is not watched");
        continue;
      }
      try {
        if (origin == WatchOrigin.CONFIG && !inConfig.contains(tenant.tenant())) {
          dropped.add(new Starting(tenant.tenant(), origin, leaving.apply(tenant)));
        } else {
          starting.put(tenant.tenant(), new Starting(tenant.tenant(), origin, restored.apply(tenant)));
        }
      } catch (IllegalArgumentException e) {
        // A stored epoch at or above the lease's: the store holds a row of a newer owner than this one.
        LOG.error("{}: not started here: {}", tenant.tenant(), e.getMessage());
        notStarted.add(tenant.tenant());
      }
    }
    for (String tenant : configured) {
      if (!notStarted.contains(tenant)) {
        starting.putIfAbsent(tenant, new Starting(tenant, WatchOrigin.CONFIG, null));
      }
    }
    return new StartingTenants(List.copyOf(starting.values()), List.copyOf(dropped));
  }

  /**
   * A stored tenant that this node has just taken over, its shard's lease held at {@code epoch}: restored
   * from its row under R11's rules, every command from now on at {@code epoch}, and announced once to the
   * workers with reason {@code handover} ({@link TenantRestore#handover}). The directory watches it with
   * {@code watch(t.tenant(), t.origin(), t.restored())}, like a tenant restored at start.
   *
   * @param tenant the tenant's row as the store keeps it
   * @param epoch the lease epoch this node holds the tenant's shard at, above the one in the stored snapshot
   * @throws IllegalArgumentException when the row is not a context identifier's, or {@code epoch} is not
   *     above the stored snapshot's
   */
  static Starting handedOver(StoredTenant tenant, long epoch, Instant now) {
    ContextId.require(tenant.tenant());
    WatchOrigin origin = WatchOrigin.byWireName(tenant.origin()).orElse(WatchOrigin.ADMIN);
    return new Starting(tenant.tenant(), origin,
        TenantRestore.handover(readable(tenant), tenant.seen(), epoch, false, now));
  }

  private static TenantStart.Loaded leaving(StoredTenant tenant, long epoch) {
    return TenantRestore.leaving(readable(tenant), tenant.seen(), epoch);
  }

  /**
   * A tenant watched too shortly before a crash to have its snapshot stored, or whose snapshot cannot be
   * read, starts afresh, but with its seq above the earlier starts' all the same.
   */
  private static TenantStart.Loaded restored(StoredTenant tenant, long epoch, Instant now) {
    return TenantRestore.restore(readable(tenant), tenant.seen(), epoch, now);
  }

  private static TenantSnapshot readable(StoredTenant tenant) {
    TenantSnapshot snapshot = TenantSnapshot.initial(tenant.tenant());
    if (tenant.snapshot() != null) {
      try {
        snapshot = SnapshotJson.fromJson(tenant.snapshot());
      } catch (IllegalArgumentException e) {
        LOG.warn("{}: its stored snapshot is unreadable ({}); it starts afresh", tenant.tenant(), e.getMessage());
      }
    }
    return snapshot;
  }
}
