package io.tenantwatch.worker;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.bus.Failures;
import io.tenantwatch.bus.Waiters;
import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import io.tenantwatch.bus.Routing;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of the workers: keeps the registered workers and the latest command per tenant, and
 * delivers every command from the tenant verticles to each worker that follows the tenant, with an
 * acknowledgement and bounded retries ({@link DeliveryPolicy}).
 *
 * <p>Addresses: {@link Addresses#WORKERS_REGISTER} (reply {@code {"tenants":[command...]}}, the snapshot
 * of what the worker is still owed for each tenant it follows, see below), {@link Addresses#WORKERS_UNREGISTER} (reply
 * {@code {"removed":bool}}), {@link Addresses#WORKERS_LIST} (reply {@code {"workers":[...]}}) and
 * {@link Addresses#WORKERS_COMMAND} (a command; a reply {@code {"accepted":bool,"workers":n}} only when
 * the sender asked for one), {@link Addresses#WORKERS_DRAIN} and {@link Addresses#WORKERS_CAUGHT_UP}. Every command it accepts (not a stale one) is published
 * as it is on {@link Addresses#COMMANDS}, once, whether or not a worker follows its tenant. A worker whose address has no handler any more is
 * dropped; a worker that does not acknowledge stays registered and its failed deliveries are counted.
 *
 * <p><b>The registration snapshot.</b> Its entries are commands with reason {@code snapshot}, tenant by
 * tenant in context-identifier order. An open tenant is a {@code resume} and a closed one a {@code pause},
 * at the tenant's latest {@code (epoch, seq)}. A tenant that has had a {@code resync} since it was last
 * watched then has that {@code resync} too, at the resync's own pair, which is lower when later commands
 * followed it: a worker that was away when it went out still owes the tenant its resync, and one that
 * already handled a resync at or above that pair skips it. Commands are ordered by {@code (epoch, seq)}
 * ({@link Command#fence()}) here as at the workers: one whose pair is not above the tenant's latest is
 * stale and goes to no worker. A retired tenant is its {@code retire}, so a worker that remembers
 * the tenant forgets it; retired tenants are remembered until they are watched again, the oldest
 * forgotten first beyond {@value KnownTenants#DEFAULT_RETIRED_KEPT}.
 *
 * <p><b>Redeployed in the same Vert.x.</b> Once started, the registry publishes {@code {}} on
 * {@link Addresses#WORKERS_HELLO}. A worker still running from before (every started {@link TenantGate})
 * registers again, so it is delivered commands again and applies the new snapshot.
 */
public class WorkerRegistry extends VerticleBase {
  /** A gate answers its call counts from memory, on this node. */
  private static final DeliveryOptions CALLS_ASKED = new DeliveryOptions().setLocalOnly(true).setSendTimeout(2_000);
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRegistry.class);

  /** How many times, and how far apart, a member seen anew is told of this node's own workers. */
  private static final int TELL_ATTEMPTS = 5;
  private static final long TELL_RETRY_MS = 1_000;
  /** The drop reason of a command whose tenant's lease this node no longer holds in time. */
  private static final String LEASE_GONE = "lease-gone";

  private final DeliveryPolicy policy;
  private final Clock clock;
  private final EngineMetrics metrics;
  private final Map<String, RegisteredWorker> workers = new LinkedHashMap<>();
  private final KnownTenants tenants = new KnownTenants(KnownTenants.DEFAULT_RETIRED_KEPT);
  private final Waiters<Object> drainWaiters = new Waiters<>();
  private final WorkerPeers peers;
  /** The other members this registry has told about its own workers. */
  private final Set<String> peersTold = new HashSet<>();

  public WorkerRegistry(DeliveryPolicy policy) {
    this(policy, Clock.systemUTC());
  }

  public WorkerRegistry(DeliveryPolicy policy, Clock clock) {
    this(policy, clock, EngineMetrics.unscraped());
  }

  /** @param metrics counts commands issued, deliveries sent, acknowledged, retried and dropped, and workers */
  public WorkerRegistry(DeliveryPolicy policy, Clock clock, EngineMetrics metrics) {
    this(policy, clock, metrics, WorkerPeers.NONE);
  }

  /**
   * A cluster node's registry: it knows the workers registered on every member, delivers this node's tenants'
   * commands to each of them, and builds a registration's snapshot from every member's part.
   *
   * @param peers the other members' registries
   */
  public WorkerRegistry(DeliveryPolicy policy, Clock clock, EngineMetrics metrics, WorkerPeers peers) {
    this.peers = peers;
    this.metrics = metrics;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return Future.all(List.of(
        vertx.eventBus().localConsumer(Addresses.WORKERS_REGISTER, this::register).completion(),
        vertx.eventBus().localConsumer(Addresses.WORKERS_UNREGISTER, this::unregister).completion(),
        vertx.eventBus().localConsumer(Addresses.WORKERS_LIST, this::list).completion(),
        vertx.eventBus().localConsumer(Addresses.WORKERS_COMMAND, this::command).completion(),
        vertx.eventBus().localConsumer(Addresses.WORKERS_DRAIN, this::drain).completion(),
        vertx.eventBus().localConsumer(Addresses.WORKERS_CAUGHT_UP, message -> message.reply(new JsonObject()))
            .completion(),
        vertx.eventBus().<JsonObject>localConsumer(Addresses.WORKERS_PEER, this::fromPeer).completion()))
        .compose(listening -> learnPeersWorkers())
        .onSuccess(learnt -> {
          Context context = this.context;
          peers.onMembersChanged(members -> context.runOnContext(v -> membersChanged(members)));
          vertx.eventBus().publish(Addresses.WORKERS_HELLO, new JsonObject());
        });
  }

  /** A registry that starts beside running members learns the workers registered on them. */
  private Future<Void> learnPeersWorkers() {
    peersTold.addAll(peers.members());
    return peers.toOthers(PeerMessages.workers()).map(answers -> {
      for (Routing.NodeAnswer answer : answers) {
        if (!answer.answered()) {
          LOG.debug("Member {} did not tell its workers: {}", answer.node(), answer.failure().getMessage());
          continue;
        }
        answer.body().getJsonArray("workers", new JsonArray()).forEach(entry -> {
          try {
            addPeersWorker(WorkerRegistration.fromJson(entry), answer.node());
          } catch (IllegalArgumentException e) {
            LOG.warn("Member {} told of a worker that cannot be read: {}", answer.node(), e.getMessage());
          }
        });
      }
      return null;
    });
  }

  /**
   * Members came or went: the workers registered on a member that left are dropped (it took them along), and
   * a member seen for the first time (a new one, or one back from a split) is told of this node's own workers and
   * answers with its part of their snapshots, which {@link #catchUp} delivers, and is asked for its own
   * ({@link #learn}): while the two could not reach each
   * other, this node's workers missed that member's commands (a node woken from a long pause missed the
   * handovers of its own tenants and every change the others sent meanwhile).
   */
  private void membersChanged(SortedSet<String> members) {
    List<RegisteredWorker> gone = workers.values().stream()
        .filter(w -> w.node() != null && !w.node().equals(peers.self()) && !members.contains(w.node())).toList();
    gone.forEach(worker -> {
      workers.remove(worker.address());
      worker.drop();
      LOG.info("Dropped worker '{}' at {}: its member {} left the cluster", worker.name(), worker.address(),
          worker.node());
    });
    if (!gone.isEmpty()) {
      workersChanged();
    }
    peersTold.retainAll(members);
    for (String member : members) {
      if (!member.equals(peers.self()) && peersTold.add(member)) {
        workers.values().stream().filter(this::isOwn).toList().forEach(worker -> tell(member, worker, 1));
        learn(member, 1);
      }
    }
  }

  /**
   * Asks a member seen anew for its own workers, and delivers each one it did not know this node's part of its
   * snapshot. Telling alone is not enough: after a merge the member that was split off may never see the others
   * anew (Hazelcast tells it only of itself), so it would not tell them of its workers, and they would deliver it
   * nothing from then on. Retried as {@link #tell} is.
   */
  private void learn(String member, int attempt) {
    peers.to(member, PeerMessages.workers()).onSuccess(answer -> {
      for (Object entry : answer.getJsonArray("workers", new JsonArray())) {
        try {
          WorkerRegistration registration = WorkerRegistration.fromJson(entry);
          RegisteredWorker known = workers.get(registration.address());
          if (known == null || !member.equals(known.node())) {
            addPeersWorker(registration, member);
            catchUp(workers.get(registration.address()), peers.self(), ownPart(registration));
          }
        } catch (IllegalArgumentException e) {
          LOG.warn("Member {} told of a worker that cannot be read: {}", member, e.getMessage());
        }
      }
    }).onFailure(e -> {
      if (attempt < TELL_ATTEMPTS && peers.members().contains(member)) {
        LOG.debug("Could not ask member {} for its workers (attempt {}): {}", member, attempt, e.getMessage());
        vertx.setTimer(TELL_RETRY_MS, timer -> learn(member, attempt + 1));
      } else {
        LOG.warn("Could not ask member {} for its workers after {} attempt(s): {}", member, attempt, e.getMessage());
      }
    });
  }

  /**
   * Tells {@code member} of one of this node's own workers and delivers its part of the worker's snapshot. A member
   * just seen may not listen yet (its relay is published a moment after it counts as a member, at a start or a
   * merge), so a failed attempt is made again, {@value #TELL_RETRY_MS} ms later, up to {@value #TELL_ATTEMPTS}
   * times while it is still a member.
   */
  private void tell(String member, RegisteredWorker worker, int attempt) {
    peers.to(member, PeerMessages.registered(peers.self(), worker.registration(), true))
        .onSuccess(part -> catchUp(worker, member, PeerMessages.commands(part)))
        .onFailure(e -> {
          if (attempt < TELL_ATTEMPTS && isCurrent(worker) && peers.members().contains(member)) {
            LOG.debug("Could not tell member {} of worker '{}' (attempt {}): {}", member, worker.name(), attempt,
                e.getMessage());
            vertx.setTimer(TELL_RETRY_MS, timer -> tell(member, worker, attempt + 1));
          } else {
            LOG.warn("Could not tell member {} of worker '{}' after {} attempt(s): {}", member, worker.name(), attempt,
                e.getMessage());
          }
        });
  }

  /**
   * Delivers a member's part of a worker's snapshot to the worker, as commands (reason {@code snapshot}), each
   * tenant's {@code resync} (at its lower pair) before its latest command: the worker applies what it missed and
   * acknowledges the rest as stale. Sent once, not retried: this node never holds those tenants' leases, and
   * their owner's next command, or the worker's next registration, brings the worker up to date anyway.
   */
  private void catchUp(RegisteredWorker worker, String member, List<Command> part) {
    if (!isCurrent(worker) || part.isEmpty()) {
      return;
    }
    List<Command> latest = part.stream().filter(c -> c.type() != CommandType.RESYNC).toList();
    List<Command> ordered = new ArrayList<>(part.stream().filter(c -> c.type() == CommandType.RESYNC).toList());
    ordered.addAll(latest);
    LOG.info("Worker '{}' at {} is sent the latest commands of the {} tenant(s) member {} runs, which it may have "
        + "missed", worker.name(), worker.address(), latest.size(), member);
    for (Command command : ordered) {
      worker.deliveryStarted();
      metrics.commandSent(false);
      vertx.eventBus().request(worker.address(), command.toJson(), deliveryTo(worker)).onComplete(
          acked -> {
            metrics.commandAcknowledged();
            worker.acknowledged(command, clock.instant());
            deliveryEnded();
          },
          failure -> {
            worker.abandoned();
            deliveryEnded();
          });
    }
  }

  /** The workers registered on this node itself. */
  private List<WorkerRegistration> ownWorkers() {
    return workers.values().stream().filter(w -> isOwn(w)).map(RegisteredWorker::registration).toList();
  }

  private boolean isOwn(RegisteredWorker worker) {
    return worker.node() == null || worker.node().equals(peers.self());
  }

  private void fromPeer(Message<JsonObject> message) {
    JsonObject body = message.body();
    String node = body == null ? null : body.getString("node");
    try {
      switch (body == null ? "" : body.getString("type", "")) {
        case PeerMessages.REGISTERED -> {
          WorkerRegistration registration = WorkerRegistration.fromJson(body.getValue("registration"));
          addPeersWorker(registration, node);
          message.reply(body.getBoolean("snapshot", false)
              ? PeerMessages.entries(ownPart(registration)) : new JsonObject());
        }
        case PeerMessages.UNREGISTERED -> {
          RegisteredWorker known = workers.get(body.getString("address"));
          if (known != null && node != null && node.equals(known.node())) {
            workers.remove(known.address());
            known.drop();
            workersChanged();
          }
          message.reply(new JsonObject());
        }
        case PeerMessages.WORKERS -> {
          JsonArray own = new JsonArray();
          ownWorkers().forEach(registration -> own.add(registration.toJson()));
          message.reply(new JsonObject().put("workers", own));
        }
        default -> message.fail(Failures.MALFORMED, "unknown peer message type");
      }
    } catch (IllegalArgumentException | ClassCastException e) {
      message.fail(Failures.MALFORMED, e.getMessage());
    }
  }

  /** A worker registered on another member; this registry delivers its own tenants' commands to it too. */
  private void addPeersWorker(WorkerRegistration registration, String node) {
    if (node == null || node.equals(peers.self())) {
      throw new IllegalArgumentException("a worker registered on another member names that member as 'node'");
    }
    RegisteredWorker previous = workers.put(registration.address(),
        new RegisteredWorker(registration, node, clock.instant(), policy.failingAfter()));
    workersChanged();
    LOG.info("Worker '{}' {} on member {} at {}", registration.name(), previous == null ? "registered" : "registered again",
        node, registration.address());
  }

  /**
   * This node's part of a registration's snapshot: the tenants whose latest command it may still issue, as it
   * delivered them. Judged by the lease each command went out under, not by the shards this node's published view
   * says it runs: that view follows a take only once the whole take is done, and a tenant announced meanwhile
   * would be in no member's part (the node that handed it over no longer runs it either).
   */
  private List<Command> ownPart(WorkerRegistration registration) {
    List<Command> entries = tenants.snapshotFor(registration, clock.instant());
    // A tenant's first entry is its latest command; a resync after it may be from an earlier lease.
    Set<String> ours = new HashSet<>();
    Set<String> seen = new HashSet<>();
    entries.stream().filter(entry -> seen.add(entry.tenant())).filter(peers::mayIssue)
        .forEach(entry -> ours.add(entry.tenant()));
    return entries.stream().filter(entry -> ours.contains(entry.tenant())).toList();
  }

  @Override
  public Future<?> stop() {
    answerDrainWaiters();
    return Future.succeededFuture();
  }

  private void drain(Message<Object> message) {
    drainWaiters.add(message);
    if (pending() == 0) {
      answerDrainWaiters();
    } else {
      LOG.info("Waiting for {} command deliveries to finish", pending());
    }
  }

  private int pending() {
    return workers.values().stream().mapToInt(RegisteredWorker::pending).sum();
  }

  /** Called whenever a delivery ends: a drain waits for the last one. */
  private void deliveryEnded() {
    if (!drainWaiters.isEmpty() && pending() == 0) {
      answerDrainWaiters();
    }
  }

  private void answerDrainWaiters() {
    JsonObject answer = new JsonObject().put("pending", pending());
    drainWaiters.answer(answer);
  }

  private void register(Message<Object> message) {
    WorkerRegistration registration;
    try {
      registration = WorkerRegistration.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(Failures.MALFORMED, e.getMessage());
      return;
    }
    // A replaced entry's pending retries are abandoned: the snapshot below brings the worker up to date.
    RegisteredWorker registered = new RegisteredWorker(registration, peers.self(), clock.instant(),
        policy.failingAfter());
    RegisteredWorker previous = workers.put(registration.address(), registered);
    workersChanged();
    LOG.info("Worker '{}' {} at {} for {}", registration.name(), previous == null ? "registered" : "registered again",
        registration.address(), registration.tenants() == null ? "all tenants" : registration.tenants());
    // The other members learn of the worker and answer with their parts in one message each, so a command they
    // send after their part is delivered to the worker, and one sent before is in their part.
    List<Command> own = ownPart(registration);
    peers.toOthers(PeerMessages.registered(peers.self(), registration, true)).onComplete(told -> {
      List<List<Command>> parts = new ArrayList<>();
      parts.add(own);
      for (Routing.NodeAnswer answer : told.result()) {
        if (answer.answered()) {
          parts.add(PeerMessages.commands(answer.body()));
        } else {
          // Not even told of the worker, it would never deliver to it: it is told again, and its part follows.
          LOG.warn("Member {} gave no part of worker '{}''s snapshot ({}); it is told again, and its part follows as "
              + "commands", answer.node(), registration.name(), answer.failure().getMessage());
          vertx.setTimer(TELL_RETRY_MS, timer -> tell(answer.node(), registered, 2));
        }
      }
      message.reply(PeerMessages.entries(PeerMessages.merged(parts)));
    });
  }

  private void unregister(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !(body.getValue("address") instanceof String address)) {
      message.fail(Failures.MALFORMED, "an unregistration is a JSON object with a string 'address'");
      return;
    }
    RegisteredWorker removed = workers.remove(address);
    workersChanged();
    if (removed != null) {
      LOG.info("Worker '{}' at {} unregistered", removed.name(), address);
      if (peers.self() != null) {
        peers.toOthers(PeerMessages.unregistered(peers.self(), address));
      }
    }
    message.reply(new JsonObject().put("removed", removed != null));
  }

  /**
   * The registered workers; each worker registered on this node is asked for its call counts ({@code calls}, and
   * {@code tenantCalls} when the request names a {@code tenant}): a {@code TenantGate} answers them, any other worker
   * is listed without (contracts.md, "Call counts").
   */
  private void list(Message<Object> message) {
    String tenant = message.body() instanceof JsonObject body ? body.getString("tenant") : null;
    List<Future<JsonObject>> entries = workers.values().stream().map(worker -> withCalls(worker, tenant)).toList();
    Future.join(entries).onComplete(done -> {
      JsonArray list = new JsonArray();
      entries.forEach(entry -> list.add(entry.result()));
      message.reply(new JsonObject().put("workers", list));
    });
  }

  private Future<JsonObject> withCalls(RegisteredWorker worker, String tenant) {
    JsonObject entry = worker.toJson();
    if (worker.node() != null && !worker.node().equals(peers.self())) {
      return Future.succeededFuture(entry);
    }
    JsonObject ask = tenant == null ? new JsonObject() : new JsonObject().put("tenant", tenant);
    return vertx.eventBus().<Object>request(Addresses.workerCalls(worker.address()), ask, CALLS_ASKED)
        .map(reply -> {
          if (reply.body() instanceof JsonObject calls) {
            entry.put("calls", calls.getJsonObject("total"));
            if (calls.getJsonObject("tenant") != null) {
              entry.put("tenantCalls", calls.getJsonObject("tenant"));
            }
          }
          return entry;
        })
        .otherwise(entry);
  }

  private void command(Message<Object> message) {
    Command command;
    try {
      command = Command.fromBody(message.body());
    } catch (IllegalArgumentException e) {
      LOG.warn("Refused a command for the workers: {}", e.getMessage());
      if (message.replyAddress() != null) {
        message.fail(Failures.MALFORMED, e.getMessage());
      }
      return;
    }
    if (!peers.mayIssue(command)) {
      // The shard owner logs the lost leases once; each of their tenants' last commands is only counted.
      LOG.debug("Dropped {} {} for {}: this node no longer holds the tenant's shard under epoch {} in time",
          command.type().wireName(), command.fence(), command.tenant(), command.epoch());
      metrics.commandDropped(LEASE_GONE);
      replyIfAsked(message, false, 0);
      return;
    }
    Fence known = tenants.latest(command.tenant());
    if (!command.fence().isAbove(known)) {
      LOG.debug("Ignored stale {} for {}: (epoch, seq) {} is not above {}", command.type().wireName(),
          command.tenant(), command.fence(), known);
      replyIfAsked(message, false, 0);
      return;
    }
    tenants.record(command);
    metrics.commandIssued(command.type());
    List<RegisteredWorker> targets = workers.values().stream().filter(w -> w.follows(command.tenant())).toList();
    // One body for every worker and attempt: the event bus hands each delivery its own copy.
    JsonObject body = command.toJson();
    vertx.eventBus().publish(Addresses.COMMANDS, body);
    targets.forEach(worker -> {
      worker.deliveryStarted();
      attempt(worker, command, body, 1);
    });
    replyIfAsked(message, true, targets.size());
  }

  private static void replyIfAsked(Message<Object> message, boolean accepted, int workers) {
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("accepted", accepted).put("workers", workers));
    }
  }

  private void attempt(RegisteredWorker worker, Command command, JsonObject body, int attempt) {
    metrics.commandSent(attempt > 1);
    vertx.eventBus().request(worker.address(), body, deliveryTo(worker)).onComplete(
        acked -> {
          metrics.commandAcknowledged();
          if (worker.acknowledged(command, clock.instant())) {
            LOG.info("Worker '{}' at {} acknowledges again and is no longer failing", worker.name(), worker.address());
            workersChanged();
          }
          deliveryEnded();
        },
        failure -> attemptFailed(worker, command, body, attempt, failure));
  }

  private DeliveryOptions deliveryTo(RegisteredWorker worker) {
    return new DeliveryOptions().setSendTimeout(policy.ackTimeoutFor(worker.registration()));
  }

  private void attemptFailed(RegisteredWorker worker, Command command, JsonObject body, int attempt,
      Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      metrics.commandDropped("worker-gone");
      worker.abandoned();
      drop(worker);
      deliveryEnded();
      return;
    }
    if (attempt >= policy.maxAttempts()) {
      metrics.commandDropped("unacknowledged");
      gaveUp(worker, command, attempt, failure);
      workersChanged();
      deliveryEnded();
      return;
    }
    long delay = policy.retryDelayAfter(attempt);
    LOG.debug("Attempt {} of {} {} for {} to {} failed, next in {} ms: {}", attempt, command.type().wireName(),
        command.fence(), command.tenant(), worker.address(), delay, failure.getMessage());
    vertx.setTimer(delay, timer -> {
      if (!isCurrent(worker) || worker.hasAcknowledged(command)) {
        metrics.commandDropped("superseded");
        worker.abandoned();
        deliveryEnded();
        return;
      }
      if (!peers.mayIssue(command)) {
        metrics.commandDropped(LEASE_GONE);
        worker.abandoned();
        deliveryEnded();
        return;
      }
      worker.retrying();
      attempt(worker, command, body, attempt + 1);
    });
  }

  /**
   * Counts a delivery given up. The log says so at WARN for the first of a streak and when the streak
   * makes the worker {@code failing}; the rest of the streak is DEBUG, so a worker that stopped
   * acknowledging does not flood the log while the other workers go on being served.
   */
  private void gaveUp(RegisteredWorker worker, Command command, int attempts, Throwable failure) {
    int inARow = worker.gaveUp();
    String what = command.type().wireName() + " " + command.fence() + " for " + command.tenant();
    if (inARow == policy.failingAfter()) {
      LOG.warn("Worker '{}' at {} is failing: {} deliveries in a row went unacknowledged (the last, {}, after {} "
          + "attempts: {}); it is still sent every command, and further failures are logged at DEBUG until it "
          + "acknowledges again", worker.name(), worker.address(), inARow, what, attempts, failure.getMessage());
    } else if (inARow == 1) {
      LOG.warn("Worker '{}' at {} did not acknowledge {} after {} attempts ({}); it is reported failing after {} "
          + "such deliveries in a row", worker.name(), worker.address(), what, attempts, failure.getMessage(),
          policy.failingAfter());
    } else {
      LOG.debug("Worker '{}' did not acknowledge {} after {} attempts; {} in a row", worker.name(), what, attempts,
          inARow);
    }
  }

  private void workersChanged() {
    metrics.workers(workers.size(), (int) workers.values().stream().filter(RegisteredWorker::failing).count());
  }

  /** Whether the worker is still registered under this very entry (not dropped, unregistered or replaced). */
  private boolean isCurrent(RegisteredWorker worker) {
    return !worker.dropped() && workers.get(worker.address()) == worker;
  }

  private void drop(RegisteredWorker worker) {
    if (!worker.drop()) {
      return;
    }
    if (workers.get(worker.address()) == worker) {
      workers.remove(worker.address());
      workersChanged();
    }
    LOG.info("Dropped worker '{}': nothing listens at {} any more", worker.name(), worker.address());
  }
}
