package io.tenantwatch.poll;

import static io.tenantwatch.poll.PollerHarness.deploy;
import static io.tenantwatch.poll.PollerHarness.options;
import static io.tenantwatch.poll.PollerHarness.request;
import static io.tenantwatch.poll.PollerHarness.stats;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.machine.PollReason;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** R9 against a real HTTP server: one poll per tenant, the concurrency cap, the rate cap and priorities. */
@ExtendWith(VertxExtension.class)
class StatePollerLimitsTest {

  /** Parks requests while closed; once opened, answers the parked ones and every later one at once. */
  private static final class Valve implements Handler<RoutingContext> {
    private final List<RoutingContext> parked = new ArrayList<>();
    private final List<Context> contexts = new ArrayList<>();
    private boolean open;

    @Override
    public void handle(RoutingContext rc) {
      synchronized (this) {
        if (!open) {
          parked.add(rc);
          contexts.add(Vertx.currentContext());
          return;
        }
      }
      answer(rc);
    }

    void open() {
      List<RoutingContext> waiting;
      List<Context> where;
      synchronized (this) {
        open = true;
        waiting = List.copyOf(parked);
        where = List.copyOf(contexts);
        parked.clear();
        contexts.clear();
      }
      for (int i = 0; i < waiting.size(); i++) {
        RoutingContext rc = waiting.get(i);
        where.get(i).runOnContext(v -> answer(rc));
      }
    }

    private static void answer(RoutingContext rc) {
      rc.json(StateApiStub.running(rc.pathParam("ctx")));
    }
  }

  private static List<String> tenants(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "Cust" + i).toList();
  }

  /** Sends the requests one after another so they reach the poller in this order. */
  private static Future<Void> requestInOrder(Vertx vertx, List<String> tenants, PollReason reason) {
    Future<?> chain = Future.succeededFuture();
    for (String ctx : tenants) {
      chain = chain.compose(previous -> request(vertx, ctx, reason));
    }
    return chain.mapEmpty();
  }

  @Test
  @DisplayName("admin, start and timer requests for a tenant being polled make one HTTP request and one delivered result")
  void onePollPerTenant(Vertx vertx, VertxTestContext testContext) {
    Valve valve = new Valve();
    DeliveredResults results = new DeliveredResults();
    StateApiStub.start(vertx, valve).compose(stub -> deploy(vertx, options(stub, 5000, 4, 20))
        .compose(id -> results.watch(vertx, List.of("Cust1")))
        .compose(v -> request(vertx, "Cust1", PollReason.TIMER))
        .compose(ack -> stub.arrivalsReach(1))
        .compose(v -> Future.all(List.of(
            request(vertx, "Cust1", PollReason.ADMIN),
            request(vertx, "Cust1", PollReason.START),
            request(vertx, "Cust1", PollReason.TIMER),
            request(vertx, "Cust1", PollReason.ADMIN))))
        .compose(acks -> stats(vertx))
        .compose(whileHeld -> {
          valve.open();
          return results.allArrived().compose(v -> stats(vertx)).map(after -> {
            testContext.verify(() -> {
              assertThat(whileHeld).isEqualTo(new PollStats(0, 1, 1, 0, 0));
              assertThat(after).isEqualTo(new PollStats(0, 0, 1, 1, 0));
              assertThat(stub.tenants()).containsExactly("Cust1");
              assertThat(results.count("Cust1")).isEqualTo(1);
            });
            return after;
          });
        }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("notifications for a tenant being polled bring exactly one follow-up request once the first is answered")
  void notificationInFlightFollowsUp(Vertx vertx, VertxTestContext testContext) {
    Valve valve = new Valve();
    DeliveredResults results = new DeliveredResults();
    StateApiStub.start(vertx, valve).compose(stub -> deploy(vertx, options(stub, 5000, 4, 1000))
        .compose(id -> results.watch(vertx, List.of("Cust1")))
        .compose(v -> request(vertx, "Cust1", PollReason.TIMER))
        .compose(ack -> stub.arrivalsReach(1))
        .compose(v -> request(vertx, "Cust1", PollReason.NOTIFICATION))
        .compose(ack -> request(vertx, "Cust1", PollReason.NOTIFICATION))
        .compose(ack -> stats(vertx))
        .compose(whileHeld -> {
          valve.open();
          return results.reach("Cust1", 2).compose(v -> stats(vertx)).map(after -> {
            testContext.verify(() -> {
              assertThat(whileHeld).isEqualTo(new PollStats(0, 1, 1, 0, 0));
              assertThat(after).isEqualTo(new PollStats(0, 0, 2, 2, 0));
              assertThat(stub.tenants()).containsExactly("Cust1", "Cust1");
              assertThat(results.of("Cust1")).hasSize(2).allMatch(PollResult::ok);
            });
            return after;
          });
        }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("with two polls allowed in flight the server never holds more than two")
  void capsConcurrency(Vertx vertx, VertxTestContext testContext) {
    Valve valve = new Valve();
    DeliveredResults results = new DeliveredResults();
    List<String> tenants = tenants(6);
    StateApiStub.start(vertx, valve).compose(stub -> deploy(vertx, options(stub, 5000, 2, 1000))
        .compose(id -> results.watch(vertx, tenants))
        .compose(v -> requestInOrder(vertx, tenants, PollReason.TIMER))
        .compose(v -> stub.arrivalsReach(2))
        .compose(v -> stats(vertx))
        .compose(whileHeld -> {
          int seenWhileHeld = stub.tenants().size();
          valve.open();
          return results.allArrived().map(v -> {
            testContext.verify(() -> {
              assertThat(whileHeld.inFlight()).isEqualTo(2);
              assertThat(whileHeld.queued()).isEqualTo(4);
              assertThat(seenWhileHeld).isEqualTo(2);
              assertThat(stub.maxOpen()).isEqualTo(2);
              // Two connections carry the polls, so two started together may reach the server in either
              // order; the limiter's own first-come-first-served order is PollLimiterTest's.
              assertThat(stub.tenants()).containsExactlyInAnyOrderElementsOf(tenants);
              assertThat(stub.tenants().subList(0, 2)).containsExactlyInAnyOrderElementsOf(tenants.subList(0, 2));
            });
            return v;
          });
        }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("sixty start polls at 20 a second reach the server spread out, never 20 plus a burst in a second")
  void capsRate(Vertx vertx, VertxTestContext testContext) {
    DeliveredResults results = new DeliveredResults();
    List<String> tenants = tenants(60);
    StateApiStub.start(vertx, rc -> rc.json(StateApiStub.running(rc.pathParam("ctx"))))
        .compose(stub -> deploy(vertx, options(stub, 5000, 16, 20))
            .compose(id -> results.watch(vertx, tenants))
            .compose(v -> Future.all(tenants.stream().map(ctx -> request(vertx, ctx, PollReason.START)).toList()))
            .compose(acks -> results.allArrived())
            .map(v -> {
              List<Long> arrivalMillis = stub.arrivals().stream()
                  .map(arrival -> arrival.nanos() / 1_000_000).sorted().toList();
              testContext.verify(() -> {
                assertThat(arrivalMillis).hasSize(60);
                // Exactly 20 fit by design; the tolerance absorbs scheduling jitter between client and server.
                assertThat(PollLimiterTest.maxInAnyWindow(arrivalMillis, 1000)).isLessThanOrEqualTo(23);
              });
              return v;
            }))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("admin and notification polls queued behind timer polls reach the server before them")
  void urgentPollsGoFirst(Vertx vertx, VertxTestContext testContext) {
    Valve valve = new Valve();
    DeliveredResults results = new DeliveredResults();
    StateApiStub.start(vertx, valve).compose(stub -> deploy(vertx, options(stub, 5000, 1, 1000))
        .compose(id -> results.watch(vertx, List.of("Cust1", "Cust2", "Cust3", "Cust4", "Cust5", "Cust8", "Cust9")))
        .compose(v -> requestInOrder(vertx, tenants(5), PollReason.TIMER))
        .compose(v -> request(vertx, "Cust9", PollReason.ADMIN))
        .compose(v -> request(vertx, "Cust8", PollReason.NOTIFICATION))
        .compose(v -> request(vertx, "Cust4", PollReason.NOTIFICATION))
        .compose(v -> {
          valve.open();
          return results.allArrived();
        })
        .map(v -> {
          testContext.verify(() -> assertThat(stub.tenants())
              .containsExactly("Cust1", "Cust9", "Cust8", "Cust4", "Cust2", "Cust3", "Cust5"));
          return v;
        }))
        .onComplete(testContext.succeedingThenComplete());
  }
}
