package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a restart shows on the events address ({@code tenantwatch.events}): every stored tenant's
 * announcement of its gate (cause {@code restored}, R11), the first and the last timed by
 * {@link System#nanoTime()} as they arrive; and the first step after it of each tenant stored with its
 * {@code ValidUntil} passed ({@link StoredTenantRows#due}): its first poll applied, which reopens its gate.
 * Any step of another tenant is counted apart: none is due within the hour.
 */
final class RestartEvents {
  private static final String RESTORED = "restored";

  private final long firstTenant;
  private final int tenants;
  private final int dueTenants;
  private final MessageConsumer<JsonObject> consumer;
  private final BitSet polled = new BitSet();
  private final Promise<Void> allRestored = Promise.promise();
  private final Promise<Void> allDuePolled = Promise.promise();
  private int restored;
  private int duePolled;
  private long firstRestoredAt;
  private long lastRestoredAt;
  private long otherSteps;

  private RestartEvents(Vertx vertx, long firstTenant, int tenants) {
    this.firstTenant = firstTenant;
    this.tenants = tenants;
    this.dueTenants = (tenants + 1) / 2;
    this.consumer = vertx.eventBus().consumer(Addresses.EVENTS, message -> take(message.body(), System.nanoTime()));
  }

  /** Listens from now on for the restart of {@code tenants} stored tenants numbered from {@code firstTenant}. */
  static RestartEvents watch(Vertx vertx, long firstTenant, int tenants) throws Exception {
    RestartEvents events = new RestartEvents(vertx, firstTenant, tenants);
    events.consumer.completion().await(1, TimeUnit.MINUTES);
    return events;
  }

  private void take(JsonObject step, long at) {
    String tenant = step.getString("tenant");
    if (RESTORED.equals(step.getString("cause"))) {
      if (restored++ == 0) {
        firstRestoredAt = at;
      }
      if (restored == tenants) {
        lastRestoredAt = at;
        allRestored.tryComplete();
      }
      return;
    }
    int index = (int) (Long.parseLong(tenant.substring(4)) - firstTenant);
    if (!StoredTenantRows.due(index)) {
      otherSteps++;
    } else if (!polled.get(index)) {
      polled.set(index);
      if (++duePolled == dueTenants) {
        allDuePolled.tryComplete();
      }
    }
  }

  /** Whether every stored tenant announced itself within the timeout. */
  boolean awaitRestored(long timeoutSeconds) throws Exception {
    return await(allRestored, timeoutSeconds);
  }

  /** Whether every due tenant was polled within the timeout. */
  boolean awaitDuePolled(long timeoutSeconds) throws Exception {
    return await(allDuePolled, timeoutSeconds);
  }

  private static boolean await(Promise<Void> promise, long timeoutSeconds) throws Exception {
    try {
      promise.future().await(timeoutSeconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  int dueTenants() {
    return dueTenants;
  }

  /** Read once the consumer is closed, or once the awaited promise completed (its event loop wrote them before). */
  int restored() {
    return restored;
  }

  long firstRestoredAt() {
    return firstRestoredAt;
  }

  long lastRestoredAt() {
    return lastRestoredAt;
  }

  int duePolled() {
    return duePolled;
  }

  /** Steps of tenants whose ValidUntil was still ahead, other than their announcement. */
  long otherSteps() {
    return otherSteps;
  }

  void close() throws Exception {
    consumer.unregister().await(1, TimeUnit.MINUTES);
  }
}
