package io.tenantwatch.tenant;

import io.tenantwatch.domain.History;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.SeenNotification;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One watched tenant as the {@link TenantDirectory} keeps it: how it came to be watched, its current
 * verticle's deployment and run, its latest snapshot, the notifications it applied, and its restarts.
 * Lives on the directory's event loop.
 */
final class WatchedTenant implements StoreFeed.Fed {
  final WatchOrigin origin;
  Future<String> deployment;
  /** The run of its current verticle: only its reports are taken. */
  long run;
  /** Set while its verticle failed and waits to be restarted. */
  TenantRestart restart;
  /** Set once it is being unwatched: its unwatch's answer. */
  Future<JsonObject> left;
  /**
   * The latest snapshot the tenant handed over: the very (immutable) object its verticle holds, so a
   * tenant's state is in the heap once. Listings are drawn from it, and a tenant whose verticle failed is
   * restarted from it.
   */
  TenantSnapshot snapshot;
  /** When its gate closed (or it was first watched) as the tenant gauges count it; null while it is open. */
  Instant closedSince;
  /** The notifications it applied, by replay id, for a verticle restarted after a failure; made at the first. */
  private RecentNotifications seen;
  private int restarts;
  private Instant lastRestart;
  private History sentHistory;

  WatchedTenant(WatchOrigin origin, TenantSnapshot snapshot, long run) {
    this.origin = origin;
    this.snapshot = snapshot;
    this.run = run;
  }

  boolean isRun(Object run) {
    return run instanceof Number number && number.longValue() == this.run;
  }

  void remember(SeenNotification notification, Instant now) {
    if (seen == null) {
      seen = new RecentNotifications(RecentNotifications.DEFAULT_CAPACITY);
    }
    seen.firstTime(notification.id(), notification.rememberUntil(), now);
  }

  List<SeenNotification> remembered(Instant now) {
    return seen == null ? List.of() : seen.remembered(now);
  }

  /**
   * Its verticle failed at {@code now}: how long to wait before restarting it. A failure long after the
   * last restart counts as a first one again ({@link RestartPolicy#CALM_AFTER}).
   */
  Duration failed(Instant now) {
    boolean calm = lastRestart == null || now.isAfter(lastRestart.plus(RestartPolicy.CALM_AFTER));
    restarts = calm ? 1 : restarts + 1;
    lastRestart = now;
    return RestartPolicy.delay(restarts);
  }

  /** How many times in a row it failed (the count {@link #failed} keeps). */
  int restarts() {
    return restarts;
  }

  @Override
  public TenantSnapshot snapshot() {
    return snapshot;
  }

  @Override
  public History sentHistory() {
    return sentHistory;
  }

  @Override
  public void sentHistory(History history) {
    sentHistory = history;
  }
}
