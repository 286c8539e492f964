package io.tenantwatch.bus;

import io.tenantwatch.domain.ContextId;

/** Every event-bus address the engine uses, built in one place. */
public final class Addresses {
  private static final String PREFIX = "tenantwatch.";
  private static final String TENANT = PREFIX + "tenant.";

  /** StatePoller: {@code {"tenant","reason"}}. */
  public static final String POLL = PREFIX + "poll";
  /** StatePoller: its counters; any body; the reply is {@code PollStats}' JSON. */
  public static final String POLL_STATS = PREFIX + "poll.stats";
  /**
   * StatePoller: start no more polls (requests are still queued); answered {@code {"queued":N}} once no
   * poll is in flight any more.
   */
  public static final String POLL_DRAIN = PREFIX + "poll.drain";
  /**
   * StatePoller, for the readiness check: any body; answered {@code {"inFlight":N,"lastProgressAt"}}, the
   * polls in flight and the last moment the poller made progress (a poll finished, or the first of the
   * polls now in flight started; null before the first poll). Polls in flight with no progress for
   * several request timeouts mean it is wedged: each poll has a hard deadline of one request timeout.
   */
  public static final String POLL_PROGRESS = PREFIX + "poll.progress";
  /** A StatePoller that failed reports itself here: {@code {"deployment","error"}}; nothing is answered. */
  public static final String POLL_FAILED = PREFIX + "poll.failed";
  /** PollerSupervisor: stop replacing the poller and drain it; any body; answered {@code {"queued":N}}. */
  public static final String POLL_SUPERVISOR_DRAIN = PREFIX + "poll.supervisor.drain";
  /**
   * WorkerRegistry: a worker registers; the reply {@code {"tenants":[command...]}} is the snapshot of what
   * the worker is still owed per tenant it follows (a resume or pause, a pending resync, a retire).
   */
  public static final String WORKERS_REGISTER = PREFIX + "workers.register";
  /**
   * Published by the WorkerRegistry once it has started, body {@code {}}: a worker still running from
   * before the registry's (re)deployment registers again and applies the new snapshot.
   */
  public static final String WORKERS_HELLO = PREFIX + "workers.hello";
  /**
   * WorkerRegistry, for the engine's graceful stop: any body; answered {@code {"pending":0}} once no
   * delivery to a registered worker is still waiting for its acknowledgement or its next attempt.
   */
  public static final String WORKERS_DRAIN = PREFIX + "workers.drain";
  /** WorkerRegistry: a worker leaves. */
  public static final String WORKERS_UNREGISTER = PREFIX + "workers.unregister";
  /** WorkerRegistry: the registered workers and their delivery counters (admin). */
  public static final String WORKERS_LIST = PREFIX + "workers.list";
  /** WorkerRegistry: a tenant verticle hands over a command for delivery to the workers (a local {@code Command}). */
  public static final String WORKERS_COMMAND = PREFIX + "workers.command";
  /**
   * WorkerRegistry: any body, answered {@code {}} as it comes, so after every command sent to it before (a
   * node's messages to one verticle are handled in the order they were sent). A restart paces its pages by it.
   */
  public static final String WORKERS_CAUGHT_UP = PREFIX + "workers.caught-up";
  /**
   * Every engine: a worker's symptom report ({@code SymptomReport}), carried to the tenant's owner, which polls
   * it at once unless it did so lately; answered {@code {"tenant","poll"}} (contracts.md, "Symptom reports").
   */
  public static final String REPORT = PREFIX + "report";
  /** Published: every recorded transition with its commands. */
  public static final String EVENTS = PREFIX + "events";
  /**
   * Published by the WorkerRegistry: every command it accepted from a tenant, as the workers receive it
   * ({@code {"type","tenant","state","running","endpoint","api","reason","seq","at"}}), once per command.
   */
  public static final String COMMANDS = PREFIX + "commands";
  /** TenantDirectory: watch, unwatch, list, poll-all. */
  public static final String DIRECTORY = PREFIX + "directory";
  /**
   * TenantDirectory: a tenant verticle hands over its snapshot after each step that changed it (a local
   * {@code SnapshotReport}), and each notification it applied with a replay id (a local {@code NotificationSeen}).
   */
  public static final String DIRECTORY_SNAPSHOTS = PREFIX + "directory.snapshots";

  /**
   * StoreVerticle: {@code {"type":"restore"}} answers the start epoch and every stored tenant;
   * {@code {"type":"stopping","withinMs":n}} says the engine stops and the last write may take n ms.
   */
  public static final String STORE = PREFIX + "store";
  /**
   * StoreVerticle: a change to write behind ({@code TenantChange}: {@code {"tenant","reset","origin",
   * "snapshot","history","seen"}}, the snapshot without its history, the history as a
   * {@code HistoryUpdate}: the whole of it, or the entries after the last one the store was sent), not
   * answered; or a batch of them, {@code {"changes":[...]}} or, from this node's directory, a
   * {@code ChangeBatch} object (local only); a batch sent as a request is answered
   * {@code {"pending":N,"sendWhole":[...]}} once the store has room for more, naming the tenants whose whole
   * snapshot and history it needs again.
   */
  public static final String STORE_CHANGES = PREFIX + "store.changes";
  /** StoreVerticle: any body; the reply is {@code {"reachable":bool,"pendingWrites":n}}. */
  public static final String STORE_HEALTH = PREFIX + "store.health";

  /**
   * ShardOwner, on a cluster node: any body, no answer; read the lease table again now (the routing found a
   * shard moving and would like to know its new owner before the next round).
   */
  public static final String SHARDS_REFRESH = PREFIX + "shards.refresh";
  /**
   * ShardOwner, on a cluster node: any body; answered with this node's view of the cluster,
   * {@code {"self","members":[{"node","address","since","shards":[...]}],"shards":[{"shard","owner","epoch",
   * "leaseExpiresAt"}]}} (no handler on a single engine).
   */
  public static final String CLUSTER = PREFIX + "cluster";
  /**
   * WorkerRegistry, on a cluster node: what the other members' registries tell it ({@code WorkerPeers}):
   * a worker registered or unregistered there, or a request for its part of a registration snapshot.
   */
  public static final String WORKERS_PEER = PREFIX + "workers.peer";

  /** Where a {@code TenantGate} listens unless given an address: this, then {@code <name>.<uuid>}. */
  public static final String WORKER_PREFIX = PREFIX + "worker.";
  /** The registry's own namespace, which no worker's address may lie in. */
  public static final String WORKERS_NAMESPACE = PREFIX + "workers.";

  private Addresses() {
  }

  /**
   * A cluster node's relay, its one clustered consumer: {@code {"address","body","timeoutMs"}} is carried to
   * {@code address} on that node (a tenant, the directory, the worker registry) and answered with its answer.
   */
  public static String node(String nodeId) {
    return PREFIX + "node." + nodeId;
  }

  /**
   * Where a {@code TenantGate} listening at {@code workerAddress} answers its call counts, on its own node only:
   * {@code {"tenant"?}} is answered {@code {"total":{...},"tenant":{...}?}} (contracts.md, "Call counts").
   */
  public static String workerCalls(String workerAddress) {
    return workerAddress + ".calls";
  }

  /** The address of one tenant's verticle. */
  public static String tenant(String ctx) {
    return TENANT + ContextId.require(ctx);
  }

  /** Whether {@code address} is a tenant's own address. */
  public static boolean isTenant(String address) {
    return address.startsWith(TENANT) && ContextId.isValid(address.substring(TENANT.length()));
  }
}
