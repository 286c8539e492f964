package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A worker on the raw event-bus contract for the failover bench: it acknowledges every command, keeps each
 * tenant's latest, and tells when every expected tenant is open, and when a set of tenants has each been
 * announced by a new owner (reason {@code handover}, an epoch above the one it knew), with the
 * {@link System#nanoTime()} of the last announcement.
 */
final class HandoverWorker extends VerticleBase {
  private static final JsonObject ACK = new JsonObject().put("ok", true);
  private static final String HANDOVER = "handover";

  private final String address = "bench.handover." + UUID.randomUUID();
  private final Set<String> expected;
  private final Map<String, Command> latest = new HashMap<>();
  private final Set<String> closed = new HashSet<>();
  private final Promise<Void> allOpen = Promise.promise();
  private Set<String> awaitedHandovers = Set.of();
  private Map<String, Long> epochsBefore = Map.of();
  private Promise<Long> handedOver;

  HandoverWorker(Collection<String> expected) {
    this.expected = Set.copyOf(expected);
    this.closed.addAll(expected);
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(address, this::receive).completion()
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.WORKERS_REGISTER,
            new JsonObject().put("address", address).put("name", "bench-handover").putNull("tenants")))
        .onSuccess(reply -> {
          JsonArray snapshot = reply.body().getJsonArray("tenants");
          snapshot.forEach(command -> take(Command.fromJson((JsonObject) command), 0));
        });
  }

  /** Completes once every expected tenant's latest command says it is running. */
  Future<Void> allOpen() {
    return allOpen.future();
  }

  /**
   * Completes with the {@link System#nanoTime()} at which the last of {@code tenants} was announced by a new
   * owner, counting only announcements from now on.
   */
  Future<Long> handoversOf(List<String> tenants) {
    Promise<Long> done = Promise.promise();
    context.runOnContext(v -> {
      Map<String, Long> before = new HashMap<>();
      tenants.forEach(t -> before.put(t, latest.containsKey(t) ? latest.get(t).epoch() : 0L));
      epochsBefore = before;
      awaitedHandovers = new HashSet<>(tenants);
      handedOver = done;
      if (awaitedHandovers.isEmpty()) {
        done.tryComplete(System.nanoTime());
      }
    });
    return done.future();
  }

  private void receive(Message<JsonObject> message) {
    long at = System.nanoTime();
    message.reply(ACK);
    take(Command.fromJson(message.body()), at);
  }

  private void take(Command command, long at) {
    String tenant = command.tenant();
    Command known = latest.get(tenant);
    if (known != null && !command.fence().isAbove(known.fence())) {
      return;
    }
    latest.put(tenant, command);
    if (expected.contains(tenant)) {
      if (command.running()) {
        closed.remove(tenant);
      } else {
        closed.add(tenant);
      }
      if (closed.isEmpty()) {
        allOpen.tryComplete();
      }
    }
    if (handedOver != null && HANDOVER.equals(command.reason()) && awaitedHandovers.contains(tenant)
        && command.epoch() > epochsBefore.getOrDefault(tenant, 0L)) {
      awaitedHandovers.remove(tenant);
      if (awaitedHandovers.isEmpty()) {
        handedOver.tryComplete(at);
      }
    }
  }
}
