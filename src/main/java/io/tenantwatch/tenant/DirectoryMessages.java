package io.tenantwatch.tenant;

import io.vertx.core.json.JsonObject;

/**
 * The requests the TenantDirectory takes on {@code tenantwatch.directory}. (A tenant hands it its
 * snapshot after every step on {@code tenantwatch.directory.snapshots}, as a {@link SnapshotReport} with its
 * {@value #RUN}.)
 */
public final class DirectoryMessages {
  /** {@code {"type":"watch","tenant","origin"}}, answered {@code {"created":bool}}. */
  public static final String WATCH = "watch";
  /**
   * {@code {"type":"unwatch","tenant"}}, answered with the tenant's last view (its {@code seq} is the retire's),
   * or failed {@link io.tenantwatch.bus.Failures#NOT_WATCHED}.
   */
  public static final String UNWATCH = "unwatch";
  /** {@code {"type":"list","stateCode":n|null,"running":bool|null}}, answered {@code {"total","tenants"}}. */
  public static final String LIST = "list";
  /** {@code {"type":"count"}}, answered {@code {"tenants":n}}, the tenants this directory watches. */
  public static final String COUNT = "count";
  /** {@code {"type":"repoll-all"}}, answered {@code {"scheduled":n}}. */
  public static final String REPOLL_ALL = "repoll-all";
  /**
   * {@code {"type":"contains","tenant"}}, answered {@code {"watched":bool}}, with {@code "restartInMs":n}
   * while the tenant's verticle failed and waits to be restarted (0 when the restart is under way).
   */
  public static final String CONTAINS = "contains";

  /**
   * The number the directory gave one deployment of a tenant's verticle, on everything the verticle
   * tells the directory: what comes from any other than the tenant's current one is dropped.
   */
  public static final String RUN = "run";

  /**
   * A tenant's verticle failed: {@code {"type":"crashed","tenant","run","error"}}, no answer. The
   * directory restarts the tenant from its last snapshot, unless the run is no longer the tenant's.
   */
  public static final String CRASHED = "crashed";

  /**
   * The engine is stopping: {@code {"type":"quiesce"}}. The directory restarts no tenant any more and
   * has every tenant arm no more timers; answered {@code {"tenants":n}} once all have.
   */
  public static final String QUIESCE = "quiesce";

  /**
   * A cluster node took shards: {@code {"type":"adopt","shards":[{"shard":n,"epoch":e,"released":bool},...]}}.
   * The directory starts their stored and configured tenants at the shards' epochs, each announced once with
   * reason {@code handover} (those of a {@code released} shard, handed over by their previous owner, with their
   * stored gates); answered {@code {"tenants":n}} once they are up.
   */
  public static final String ADOPT = "adopt";
  /**
   * A cluster node hands shards over: {@code {"type":"hand-over","shards":[n,...]}}. The directory stops
   * their tenants, sending nothing, and answers {@code {"tenants":n}} once their last snapshots are
   * written, so the leases can be released.
   */
  public static final String HAND_OVER = "hand-over";
  /**
   * A cluster node lost shards, or may have: {@code {"type":"drop","shards":[n,...]}}. The directory stops
   * their tenants at once, sending and writing nothing more; answered {@code {"tenants":n}}.
   */
  public static final String DROP = "drop";

  private DirectoryMessages() {
  }

  public static JsonObject watch(String tenant, WatchOrigin origin) {
    return new JsonObject().put("type", WATCH).put("tenant", tenant).put("origin", origin.wireName());
  }

  public static JsonObject unwatch(String tenant) {
    return new JsonObject().put("type", UNWATCH).put("tenant", tenant);
  }

  public static JsonObject contains(String tenant) {
    return new JsonObject().put("type", CONTAINS).put("tenant", tenant);
  }

  public static JsonObject list(Integer stateCode, Boolean running) {
    return new JsonObject().put("type", LIST).put("stateCode", stateCode).put("running", running);
  }

  public static JsonObject count() {
    return new JsonObject().put("type", COUNT);
  }

  public static JsonObject repollAll() {
    return new JsonObject().put("type", REPOLL_ALL);
  }

  public static JsonObject quiesce() {
    return new JsonObject().put("type", QUIESCE);
  }

  static JsonObject crashed(String tenant, long run, String error) {
    return new JsonObject().put("type", CRASHED).put("tenant", tenant).put(RUN, run).put("error", error);
  }
}
