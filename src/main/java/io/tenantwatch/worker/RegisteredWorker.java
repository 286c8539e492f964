package io.tenantwatch.worker;

import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.Command;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One registered worker as the {@link WorkerRegistry} sees it: where it listens, what it follows and how
 * deliveries to it went. Its {@code status} is {@code failing} once {@code failingAfter} deliveries in a
 * row went unacknowledged (each after all its attempts), and {@code ok} again at its next
 * acknowledgement. Touched only on the registry's context.
 */
final class RegisteredWorker {
  static final String OK = "ok";
  static final String FAILING = "failing";

  private final WorkerRegistration registration;
  /** The member the worker registered on; null on a single engine. */
  private final String node;
  private final Instant registeredAt;
  private final int failingAfter;
  /**
   * The highest acknowledged {@code (epoch, seq)} per tenant, so a retry that a newer acknowledgement made
   * moot is dropped: a new owner's command at a lower seq makes an old owner's retry moot too.
   */
  private final Map<String, Fence> acked = new HashMap<>();
  private long delivered;
  private long retried;
  private long failed;
  private int pending;
  private int consecutiveFailures;
  private boolean dropped;
  private Acknowledgement lastAck;

  /** The latest acknowledgement a worker gave. */
  private record Acknowledgement(String tenant, Fence fence, Instant at) {
    JsonObject toJson() {
      return new JsonObject().put("tenant", tenant).put("seq", fence.seq()).put("epoch", fence.epoch())
          .put("at", at.toString());
    }
  }

  RegisteredWorker(WorkerRegistration registration, String node, Instant registeredAt, int failingAfter) {
    this.registration = registration;
    this.node = node;
    this.registeredAt = registeredAt;
    this.failingAfter = failingAfter;
  }

  String address() {
    return registration.address();
  }

  String name() {
    return registration.name();
  }

  WorkerRegistration registration() {
    return registration;
  }

  /** The member the worker registered on; null on a single engine. */
  String node() {
    return node;
  }

  boolean follows(String tenant) {
    return registration.follows(tenant);
  }

  void deliveryStarted() {
    pending++;
  }

  /** Counts an acknowledgement; true when it ends a streak long enough to have shown the worker failing. */
  boolean acknowledged(Command command, Instant at) {
    boolean recovered = failing();
    consecutiveFailures = 0;
    pending--;
    delivered++;
    acked.merge(command.tenant(), command.fence(), (was, now) -> now.isAbove(was) ? now : was);
    lastAck = new Acknowledgement(command.tenant(), command.fence(), at);
    return recovered;
  }

  /** Deliveries started and not yet acknowledged, given up or abandoned. */
  int pending() {
    return pending;
  }

  void retrying() {
    retried++;
  }

  /** Counts a delivery given up after all its attempts; answers how many in a row have been given up. */
  int gaveUp() {
    pending--;
    failed++;
    if (consecutiveFailures < Integer.MAX_VALUE) {
      consecutiveFailures++;
    }
    return consecutiveFailures;
  }

  boolean failing() {
    return consecutiveFailures >= failingAfter;
  }

  void abandoned() {
    pending--;
  }

  /** Marks the worker dropped; true only the first time, so the drop is reported once. */
  boolean drop() {
    boolean first = !dropped;
    dropped = true;
    return first;
  }

  boolean dropped() {
    return dropped;
  }

  /** Whether the worker has already acknowledged this command or a newer one for the same tenant. */
  boolean hasAcknowledged(Command command) {
    return !command.fence().isAbove(acked.getOrDefault(command.tenant(), Fence.NONE));
  }

  JsonObject toJson() {
    return registration.toJson()
        .put("node", node)
        .put("registeredAt", registeredAt.toString())
        .put("delivered", delivered)
        .put("retried", retried)
        .put("failed", failed)
        .put("pending", pending)
        .put("status", failing() ? FAILING : OK)
        .put("consecutiveFailures", consecutiveFailures)
        .put("lastAck", lastAck == null ? null : lastAck.toJson());
  }
}
