package io.tenantwatch.bus;

import io.tenantwatch.domain.ContextId;

/** Every event-bus address the engine uses, built in one place. */
public final class Addresses {
  private static final String PREFIX = "tenantwatch.";

  /** StatePoller: {@code {"tenant","reason"}}. */
  public static final String POLL = PREFIX + "poll";
  /** WorkerRegistry: a worker registers; the reply is the snapshot of every known tenant. */
  public static final String WORKERS_REGISTER = PREFIX + "workers.register";
  /** WorkerRegistry: a worker leaves. */
  public static final String WORKERS_UNREGISTER = PREFIX + "workers.unregister";
  /** WorkerRegistry: the registered workers and their delivery counters (admin). */
  public static final String WORKERS_LIST = PREFIX + "workers.list";
  /** WorkerRegistry: a tenant verticle hands over a command for delivery to the workers. */
  public static final String WORKERS_COMMAND = PREFIX + "workers.command";
  /** Published: every recorded transition with its commands. */
  public static final String EVENTS = PREFIX + "events";
  /**
   * Published by the WorkerRegistry: every command it accepted from a tenant, as the workers receive it
   * ({@code {"type","tenant","state","running","endpoint","api","reason","seq","at"}}), once per command.
   */
  public static final String COMMANDS = PREFIX + "commands";
  /** TenantDirectory: watch, unwatch, list, poll-all. */
  public static final String DIRECTORY = PREFIX + "directory";
  /** TenantDirectory: a tenant verticle hands over its snapshot after each step that changed it ({@code SnapshotJson}). */
  public static final String DIRECTORY_SNAPSHOTS = PREFIX + "directory.snapshots";

  /**
   * StoreVerticle: {@code {"action":"restore"}} answers the start epoch and every stored tenant;
   * {@code {"action":"stopping","withinMs":n}} says the engine stops and the last write may take n ms.
   */
  public static final String STORE = PREFIX + "store";
  /**
   * StoreVerticle: a change to write behind ({@code TenantChange}: {@code {"tenant","reset","origin",
   * "snapshot","history","seen"}}, the snapshot without its history, the history as a
   * {@code HistoryUpdate}: the whole of it, or the entries after the last one the store was sent), not
   * answered; or a batch of them, {@code {"changes":[...]}}, answered {@code {"pending":N,"sendWhole":[...]}}
   * once the store has room for more, naming the tenants whose whole snapshot and history it needs again.
   */
  public static final String STORE_CHANGES = PREFIX + "store.changes";
  /** StoreVerticle: any body; the reply is {@code {"reachable":bool,"pendingWrites":n}}. */
  public static final String STORE_HEALTH = PREFIX + "store.health";

  private Addresses() {
  }

  /** The address of one tenant's verticle. */
  public static String tenant(String ctx) {
    return PREFIX + "tenant." + ContextId.require(ctx);
  }
}
