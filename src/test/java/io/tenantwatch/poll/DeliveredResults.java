package io.tenantwatch.poll;

import io.tenantwatch.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records every result the poller delivers to each watched tenant's address, in arrival order. */
final class DeliveredResults {

  private final Map<String, List<PollResult>> results = new HashMap<>();
  private final Map<String, Map<Integer, Promise<Void>>> waiters = new HashMap<>();

  /** Starts listening on each tenant's address; completes once every consumer is registered. */
  Future<Void> watch(Vertx vertx, List<String> tenants) {
    synchronized (this) {
      tenants.forEach(ctx -> {
        results.put(ctx, new ArrayList<>());
        waiters.put(ctx, new HashMap<>());
      });
    }
    return Future.all(tenants.stream()
        .map(ctx -> vertx.eventBus().<JsonObject>consumer(Addresses.tenant(ctx),
            message -> delivered(ctx, PollResult.fromJson(message.body()))).completion())
        .toList()).mapEmpty();
  }

  /** Completes once {@code ctx} has had {@code count} results. */
  synchronized Future<Void> reach(String ctx, int count) {
    if (results.get(ctx).size() >= count) {
      return Future.succeededFuture();
    }
    return waiters.get(ctx).computeIfAbsent(count, n -> Promise.promise()).future();
  }

  /** Completes once every watched tenant has had at least one result. */
  Future<Void> allArrived() {
    List<String> tenants;
    synchronized (this) {
      tenants = List.copyOf(results.keySet());
    }
    return Future.all(tenants.stream().map(ctx -> reach(ctx, 1)).toList()).mapEmpty();
  }

  synchronized List<PollResult> of(String ctx) {
    return List.copyOf(results.get(ctx));
  }

  int count(String ctx) {
    return of(ctx).size();
  }

  private void delivered(String ctx, PollResult result) {
    Promise<Void> waiter;
    synchronized (this) {
      List<PollResult> list = results.get(ctx);
      list.add(result);
      waiter = waiters.get(ctx).remove(list.size());
    }
    if (waiter != null) {
      waiter.complete();
    }
  }
}
