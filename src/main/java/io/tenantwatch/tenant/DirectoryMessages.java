package io.tenantwatch.tenant;

import io.tenantwatch.store.SeenNotification;
import io.vertx.core.json.JsonObject;

/**
 * The requests the TenantDirectory takes on {@code tenantwatch.directory}. (A tenant hands it its
 * snapshot after every step on {@code tenantwatch.directory.snapshots}, as {@link SnapshotJson} with its
 * {@value #RUN}.)
 */
public final class DirectoryMessages {
  /** {@code {"action":"watch","tenant","origin"}}, answered {@code {"created":bool}}. */
  public static final String WATCH = "watch";
  /** {@code {"action":"unwatch","tenant"}}, answered {@code {"removed":true}} or failed 404. */
  public static final String UNWATCH = "unwatch";
  /** {@code {"action":"list","stateCode":n|null,"running":bool|null}}, answered {@code {"total","tenants"}}. */
  public static final String LIST = "list";
  /** {@code {"action":"repoll-all"}}, answered {@code {"scheduled":n}}. */
  public static final String REPOLL_ALL = "repoll-all";
  /**
   * {@code {"action":"contains","tenant"}}, answered {@code {"watched":bool}}, with {@code "restartInMs":n}
   * while the tenant's verticle failed and waits to be restarted (0 when the restart is under way).
   */
  public static final String CONTAINS = "contains";

  /**
   * The number the directory gave one deployment of a tenant's verticle, on everything the verticle
   * tells the directory: what comes from any other than the tenant's current one is dropped.
   */
  public static final String RUN = "run";

  /**
   * A tenant's verticle failed: {@code {"action":"crashed","tenant","run","error"}}, no answer. The
   * directory restarts the tenant from its last snapshot, unless the run is no longer the tenant's.
   */
  public static final String CRASHED = "crashed";

  /**
   * A tenant applied a notification with a replay id: {@code {"action":"seen","tenant","run","seen":{...}}}
   * ({@link SeenNotification}), no answer. The directory keeps it for a restart of the tenant's verticle
   * and hands it to the store.
   */
  public static final String SEEN = "seen";

  /**
   * The engine is stopping: {@code {"action":"quiesce"}}. The directory restarts no tenant any more and
   * has every tenant arm no more timers; answered {@code {"tenants":n}} once all have.
   */
  public static final String QUIESCE = "quiesce";

  /** The failure code of a request about a tenant that is not watched. */
  public static final int NOT_WATCHED = 404;

  private DirectoryMessages() {
  }

  public static JsonObject watch(String tenant, WatchOrigin origin) {
    return new JsonObject().put("action", WATCH).put("tenant", tenant).put("origin", origin.wireName());
  }

  public static JsonObject unwatch(String tenant) {
    return new JsonObject().put("action", UNWATCH).put("tenant", tenant);
  }

  public static JsonObject contains(String tenant) {
    return new JsonObject().put("action", CONTAINS).put("tenant", tenant);
  }

  public static JsonObject list(Integer stateCode, Boolean running) {
    return new JsonObject().put("action", LIST).put("stateCode", stateCode).put("running", running);
  }

  public static JsonObject repollAll() {
    return new JsonObject().put("action", REPOLL_ALL);
  }

  public static JsonObject quiesce() {
    return new JsonObject().put("action", QUIESCE);
  }

  static JsonObject crashed(String tenant, long run, String error) {
    return new JsonObject().put("action", CRASHED).put("tenant", tenant).put(RUN, run).put("error", error);
  }

  static JsonObject seen(String tenant, long run, SeenNotification seen) {
    return new JsonObject().put("action", SEEN).put("tenant", tenant).put(RUN, run).put("seen", seen.toJson());
  }
}
