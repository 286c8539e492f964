package io.tenantwatch.bench;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.machine.FailureKind;
import io.tenantwatch.machine.PollFailure;
import io.tenantwatch.poll.PollRequest;
import io.tenantwatch.poll.PollResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * The poll benchmark's second baseline, the contract's floor: what the contracts ask of any poller and nothing
 * more. A request arrives on the event bus ({@link PollRequest}, from the same {@link PollDriver} on its
 * own event loop, as tenants ask the StatePoller), the GET goes out on a plain {@link WebClient} with
 * {@code concurrency} connections, the answer is read strictly ({@link TenantStatus#parse}, R10) and the
 * {@link PollResult} goes to the tenant's address. No limiter, deadline, metrics or books: the engine's
 * ratio to it says what those cost.
 */
final class FloorPoller extends StateApiClientVerticle {
  static final String ADDRESS = "bench.floor.poll";

  FloorPoller(String baseUrl, int concurrency) {
    super(baseUrl, concurrency);
  }

  @Override
  Future<?> ready() {
    return vertx.eventBus().<JsonObject>consumer(ADDRESS, message -> poll(PollRequest.fromJson(message.body())))
        .completion();
  }

  private void poll(PollRequest request) {
    String tenant = request.tenant();
    get(tenant).onComplete(answer -> {
      PollResult result;
      try {
        if (answer.failed() || answer.result().statusCode() != 200) {
          throw new StatusParseException("status", "no answer");
        }
        result = PollResult.success(tenant, TenantStatus.parse(answer.result().bodyAsBuffer()));
      } catch (StatusParseException e) {
        result = PollResult.failure(tenant, PollFailure.of(FailureKind.UNPARSEABLE, e.getMessage()));
      }
      vertx.eventBus().send(Addresses.tenant(tenant), result.toJson());
    });
  }
}
