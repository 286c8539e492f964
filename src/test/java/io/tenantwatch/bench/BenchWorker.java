package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.ObjLongConsumer;

/**
 * A worker on the raw event-bus contract: acknowledges every command at once, keeps the tenants whose gate
 * is open in a queue a sender can take them from, and tells a listener when a pause arrives, with the
 * {@link System#nanoTime()} its consumer received it (taken before anything else is done).
 */
final class BenchWorker extends VerticleBase {
  private static final JsonObject ACK = new JsonObject().put("ok", true);

  private final String address = "bench.worker." + UUID.randomUUID();
  private final ConcurrentLinkedQueue<String> open = new ConcurrentLinkedQueue<>();
  private final Set<String> opened = new HashSet<>();
  private final int expectedTenants;
  private final Promise<Void> allOpened = Promise.promise();
  private volatile ObjLongConsumer<String> onPause = (tenant, at) -> { };

  /** @param expectedTenants {@link #allOpened()} completes once this many tenants have been opened */
  BenchWorker(int expectedTenants) {
    this.expectedTenants = expectedTenants;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(address, this::receive).completion()
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.WORKERS_REGISTER,
            new JsonObject().put("address", address).put("name", "bench-worker").putNull("tenants")))
        .onSuccess(reply -> {
          // Tenants opened before this worker registered arrive as the snapshot.
          JsonArray snapshot = reply.body().getJsonArray("tenants");
          snapshot.forEach(command -> take(Command.fromJson((JsonObject) command), System.nanoTime()));
        });
  }

  /** Completes once every expected tenant has been opened (its first successful poll said Running). */
  Future<Void> allOpened() {
    return allOpened.future();
  }

  /** Takes a tenant whose gate is open, null when none is; it is given back when it is resumed again. */
  String takeOpenTenant() {
    return open.poll();
  }

  /** Gives back a tenant taken but not used: it is still open. */
  void giveBack(String tenant) {
    open.add(tenant);
  }

  /** Called on the worker's event loop for each pause, with the tenant and when the consumer received it. */
  void onPause(ObjLongConsumer<String> listener) {
    onPause = listener;
  }

  private void receive(Message<JsonObject> message) {
    long receivedAt = System.nanoTime();
    take(Command.fromJson(message.body()), receivedAt);
    message.reply(ACK);
  }

  private void take(Command command, long receivedAt) {
    if (command.type() == CommandType.RESUME) {
      open.add(command.tenant());
      if (opened.add(command.tenant()) && opened.size() == expectedTenants) {
        allOpened.tryComplete();
      }
    } else if (command.type() == CommandType.PAUSE) {
      onPause.accept(command.tenant(), receivedAt);
    }
  }
}
