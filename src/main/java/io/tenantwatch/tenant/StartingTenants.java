package io.tenantwatch.tenant;

import io.tenantwatch.domain.ContextId;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.StoredPage;
import io.tenantwatch.store.StoredTenant;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants a directory watches at start: those in the configuration, always, and those the store
 * kept from before (added by an operator or a notification, until unwatched), each restored from its
 * snapshot. A tenant the store kept only because an earlier configuration listed it is dropped: it
 * starts again only to be unwatched, so workers that remember it get its {@code retire}.
 *
 * <p>The store hands its tenants over a page at a time ({@link #page}); the configured tenants it lacks
 * start afresh once every page is read ({@link #unstored}). One instance serves one start (or one adoption
 * of shards), on the directory's event loop.
 */
final class StartingTenants {
  private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);

  /**
   * One tenant to watch at start.
   *
   * @param restored how it starts from its row, null for a tenant with nothing stored
   * @param storedLast the entry its stored history ends with (an entry equal to one of {@code restored}'s
   *     history), so that the store is sent only the entries after it; null when the store is to be sent
   *     the whole history
   */
  record Starting(String tenant, WatchOrigin origin, TenantStart.Loaded restored, HistoryEntry storedLast) {
    Starting(String tenant, WatchOrigin origin, TenantStart.Loaded restored) {
      this(tenant, origin, restored, null);
    }
  }

  /**
   * What one page of the store brings: the tenants to start, and the dropped ones, which only an earlier
   * configuration listed: to be unwatched (a {@code retire}) and leave the store. Each of those is
   * restored retired, so it neither polls nor announces itself first.
   */
  record Page(List<Starting> starting, List<Starting> dropped) {
  }

  /** How a stored tenant starts: given it and the engine's start epoch. */
  private interface Rule {
    TenantStart.Loaded apply(StoredTenant tenant, long startEpoch);
  }

  private final List<String> configured;
  /**
   * The configured tenants not met in the store yet, in order: a stored tenant is in the configuration
   * exactly when it is taken out of here, since the store holds each tenant once. Made at the first stored
   * tenant: a first start, on an empty store, watches a hundred thousand configured tenants without it.
   */
  private Set<String> unstored;
  private final Rule leaving;
  private final Rule restored;
  private long started;
  private long startedFromConfig;
  private long startedRestored;

  private StartingTenants(List<String> configured, Rule leaving, Rule restored) {
    this.configured = configured;
    this.leaving = leaving;
    this.restored = restored;
  }

  /**
   * At the engine's start (R11).
   *
   * @param configured the tenants in the configuration, in order
   */
  static StartingTenants atStart(List<String> configured, Instant now) {
    return new StartingTenants(configured,
        (tenant, epoch) -> TenantRestore.leaving(readable(tenant), tenant.seen(), epoch),
        (tenant, epoch) -> TenantRestore.restore(readable(tenant), tenant.seen(), epoch, now));
  }

  /**
   * The tenants of shards a cluster node has just taken, at the epochs it holds them at: each stored one
   * handed over ({@link #handedOver(StoredTenant, long, Instant)}), the configured ones of those shards
   * that the store lacks watched afresh, and a stored one only an earlier configuration listed restored
   * retired at the new epoch, to be unwatched.
   *
   * @param configured the configured tenants of those shards, in order
   * @param epochOf the lease epoch of a tenant's shard
   * @param handedOver whether a tenant's shard was handed over by its previous owner (released after its last
   *     snapshots were written), not taken after a lapse
   */
  static StartingTenants handedOver(List<String> configured, ToLongFunction<String> epochOf,
      Predicate<String> handedOver, Instant now) {
    return new StartingTenants(configured,
        (tenant, startEpoch) -> TenantRestore.leaving(readable(tenant).withEpoch(epochOf.applyAsLong(tenant.tenant())),
            tenant.seen(), startEpoch),
        (tenant, startEpoch) -> TenantRestore.handover(readable(tenant), tenant.seen(),
            epochOf.applyAsLong(tenant.tenant()), handedOver.test(tenant.tenant()), now));
  }

  /** The tenants of one page of the store. */
  Page page(StoredPage page) {
    List<Starting> starting = new ArrayList<>(page.tenants().size());
    List<Starting> dropped = new ArrayList<>();
    for (StoredTenant tenant : page.tenants()) {
      WatchOrigin origin = WatchOrigin.byWireName(tenant.origin()).orElse(WatchOrigin.ADMIN);
      if (!ContextId.isValid(tenant.tenant())) {
        LOG.warn("The store holds a tenant that is not a context identifier; it is not watched");
        continue;
      }
      if (unstored == null) {
        unstored = new LinkedHashSet<>(configured);
      }
      // Stored: never started afresh, even when it cannot start here.
      boolean inConfig = unstored.remove(tenant.tenant());
      try {
        if (origin == WatchOrigin.CONFIG && !inConfig) {
          dropped.add(new Starting(tenant.tenant(), origin, leaving.apply(tenant, page.epoch())));
        } else {
          TenantStart.Loaded loaded = restored.apply(tenant, page.epoch());
          starting.add(counted(new Starting(tenant.tenant(), origin, loaded, storedLast(tenant, loaded))));
        }
      } catch (IllegalArgumentException e) {
        // A stored epoch at or above the lease's: the store holds a row of a newer owner than this one.
        LOG.error("{}: not started here: {}", tenant.tenant(), e.getMessage());
      }
    }
    return new Page(starting, dropped);
  }

  /** The configured tenants the store lacked, to be watched afresh: once every page is read. */
  List<Starting> unstored() {
    List<Starting> fresh = (unstored == null ? configured : unstored).stream()
        .map(tenant -> counted(new Starting(tenant, WatchOrigin.CONFIG, null))).toList();
    unstored = new LinkedHashSet<>();
    return fresh;
  }

  private Starting counted(Starting tenant) {
    started++;
    startedFromConfig += tenant.origin() == WatchOrigin.CONFIG ? 1 : 0;
    startedRestored += tenant.restored() != null ? 1 : 0;
    return tenant;
  }

  /** The tenants started so far. */
  long started() {
    return started;
  }

  /** Of those, the ones from the configuration. */
  long startedFromConfig() {
    return startedFromConfig;
  }

  /** Of those, the ones restored from the store. */
  long startedRestored() {
    return startedRestored;
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

  /**
   * The entry of {@code loaded}'s history that the stored history of {@code tenant} ends with, when it
   * reads back as exactly the stored JSON (the store appends only after an entry equal to its last); null
   * when nothing was stored, or it does not (a row written before a field was added, a snapshot unreadable).
   * Without it a restart would send the store every tenant's whole history again, to add one entry.
   */
  private static HistoryEntry storedLast(StoredTenant tenant, TenantStart.Loaded loaded) {
    JsonArray stored = tenant.snapshot() == null ? null : tenant.snapshot().getJsonArray("history");
    List<HistoryEntry> history = loaded.snapshot().history();
    // The announcement, when there is one, is the entry after the stored ones.
    int last = history.size() - (loaded.announcement() == null ? 1 : 2);
    if (stored == null || stored.isEmpty() || last < 0) {
      return null;
    }
    HistoryEntry entry = history.get(last);
    return entry.toJson().equals(stored.getValue(stored.size() - 1)) ? entry : null;
  }

  /**
   * Its stored snapshot; a tenant watched too shortly before a crash to have its snapshot stored, or whose
   * snapshot cannot be read, starts afresh, but with its seq above the earlier starts' all the same.
   */
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
