package io.tenantwatch.support;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A worker as a platform would register one, on the raw event-bus contract of docs/contracts.md ("For workers") (no TenantGate):
 * it acknowledges every command and records it, so tests can await and inspect what workers are told.
 */
public final class RecordingWorker {
  private final Vertx vertx;
  private final String address = "test.worker." + UUID.randomUUID();
  private final List<Command> commands = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private MessageConsumer<JsonObject> consumer;
  private JsonObject snapshot;

  private record Waiter(Predicate<Command> match, Promise<Command> promise) {
  }

  public RecordingWorker(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Registers with the engine; completes with the snapshot reply. */
  public Future<JsonObject> register() {
    return listen()
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.WORKERS_REGISTER,
            new JsonObject().put("address", address).put("name", "recording-worker").putNull("tenants")))
        .map(reply -> snapshot = reply.body());
  }

  /** Takes commands at its address without registering, as a worker registered on another member does here. */
  public Future<Void> listen() {
    consumer = vertx.eventBus().consumer(address, message -> {
      Command command = Command.fromJson(message.body());
      message.reply(new JsonObject().put("ok", true));
      List<Waiter> matched = new ArrayList<>();
      synchronized (this) {
        commands.add(command);
        waiters.removeIf(w -> w.match.test(command) && matched.add(w));
      }
      // Completed outside the loop: a waiter's callbacks may await the next command and add a waiter.
      matched.forEach(w -> w.promise.tryComplete(command));
    });
    return consumer.completion();
  }

  public String address() {
    return address;
  }

  /** The first command (already received or still to come) that matches. */
  public synchronized Future<Command> await(Predicate<Command> match) {
    for (Command command : commands) {
      if (match.test(command)) {
        return Future.succeededFuture(command);
      }
    }
    Promise<Command> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  /** Every command received so far for one tenant, in arrival order. */
  public synchronized List<Command> commandsFor(String tenant) {
    return commands.stream().filter(c -> c.tenant().equals(tenant)).toList();
  }

  public synchronized List<Command> commands() {
    return List.copyOf(commands);
  }

  public JsonObject snapshot() {
    return snapshot;
  }
}
