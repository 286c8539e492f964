package io.tenantwatch.poll;

import static io.tenantwatch.poll.PollerHarness.deploy;
import static io.tenantwatch.poll.PollerHarness.options;
import static io.tenantwatch.poll.PollerHarness.pollAndAwait;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.FailureKind;
import io.tenantwatch.machine.PollReason;
import io.tenantwatch.support.ErrorLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class StatePollerTest {

  /** Starts a stub state API answering with {@code answer} and a poller in front of it. */
  private static Future<StateApiStub> serve(Vertx vertx, Handler<RoutingContext> answer) {
    return StateApiStub.start(vertx, answer)
        .compose(stub -> deploy(vertx, options(stub, 2000, 4, 1000)).map(stub));
  }

  @Test
  @DisplayName("a good answer is parsed and delivered to the tenant's address")
  void deliversSuccess(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> rc.json(StateApiStub.running(rc.pathParam("ctx"))))
        .compose(stub -> pollAndAwait(vertx, "Cust12345", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.ok()).isTrue();
          assertThat(result.tenant()).isEqualTo("Cust12345");
          assertThat(result.status().state()).isEqualTo(TenantState.RUNNING);
          assertThat(result.status().api()).isEqualTo("https://sod2.superoffice.com/Cust12345/api");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a server that accepts the request and never answers is a timeout")
  void classifiesTimeout(Vertx vertx, VertxTestContext testContext) {
    StateApiStub.start(vertx, rc -> { })
        .compose(stub -> deploy(vertx, options(stub, 200, 4, 1000)))
        .compose(id -> pollAndAwait(vertx, "Cust1", PollReason.ADMIN))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.TIMEOUT);
          assertThat(result.failure().detail()).isEqualTo("no answer within 200 ms");
          testContext.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  @DisplayName("an answer trickled a byte every 100 ms times out at the 300 ms deadline, once, and frees its connection")
  void deadlineBoundsATricklingAnswer(Vertx vertx, VertxTestContext testContext) {
    AtomicInteger served = new AtomicInteger();
    Promise<Void> abandoned = Promise.promise();
    DeliveredResults results = new DeliveredResults();
    StateApiStub.start(vertx, rc -> {
      if (served.incrementAndGet() > 1) {
        rc.json(StateApiStub.running(rc.pathParam("ctx")));
        return;
      }
      // Never idle for long enough to trip an idle timeout, and never done: only a deadline ends it.
      HttpServerResponse response = rc.response().setChunked(true).putHeader("Content-Type", "application/json");
      response.write("{");
      vertx.setPeriodic(100, id -> {
        if (response.closed()) {
          vertx.cancelTimer(id);
          abandoned.tryComplete();
        } else {
          response.write(" ");
        }
      });
    })
        // One connection in the pool: the second poll gets through only if the first one gave it back.
        .compose(stub -> deploy(vertx, options(stub, 300, 1, 1000)))
        .compose(id -> results.watch(vertx, List.of("Cust1")))
        .compose(v -> PollerHarness.request(vertx, "Cust1", PollReason.NOTIFICATION))
        .compose(ack -> results.reach("Cust1", 1))
        .compose(v -> abandoned.future())
        .compose(v -> PollerHarness.request(vertx, "Cust1", PollReason.TIMER))
        .compose(ack -> results.reach("Cust1", 2))
        .compose(v -> PollerHarness.stats(vertx))
        .onComplete(testContext.succeeding(stats -> testContext.verify(() -> {
          List<PollResult> delivered = results.of("Cust1");
          assertThat(delivered).hasSize(2);
          assertThat(delivered.get(0).failure().kind()).isEqualTo(FailureKind.TIMEOUT);
          assertThat(delivered.get(0).failure().detail()).isEqualTo("no answer within 300 ms");
          assertThat(delivered.get(1).ok()).isTrue();
          assertThat(stats).isEqualTo(new PollStats(0, 0, 2, 1, 1));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a port where nothing listens is a connection failure")
  void classifiesConnectionRefused(Vertx vertx, VertxTestContext testContext) {
    vertx.createHttpServer().requestHandler(request -> { }).listen(0, "127.0.0.1")
        .compose(server -> server.close().map(server.actualPort()))
        .compose(port -> deploy(vertx, new PollerOptions("http://127.0.0.1:" + port + "/api/state", 2000, 4, 1000)))
        .compose(id -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.CONNECTION);
          assertThat(result.failure().detail()).isEqualTo("the connection was refused");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a 503 with Retry-After in seconds is an HTTP failure carrying the wait")
  void classifiesStatusWithRetryAfterSeconds(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> rc.response().setStatusCode(503).putHeader("Retry-After", "120").end())
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.HTTP_STATUS);
          assertThat(result.failure().httpStatus()).isEqualTo(503);
          assertThat(result.failure().retryAfter()).isEqualTo(Duration.ofSeconds(120));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a 503 with Retry-After as an HTTP-date carries the wait until that date")
  void classifiesStatusWithRetryAfterDate(Vertx vertx, VertxTestContext testContext) {
    Clock clock = Clock.fixed(Instant.parse("2026-10-21T07:26:30Z"), ZoneOffset.UTC);
    StateApiStub.start(vertx,
            rc -> rc.response().setStatusCode(503).putHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT").end())
        .compose(stub -> deploy(vertx, options(stub, 2000, 4, 1000), clock))
        .compose(id -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.HTTP_STATUS);
          assertThat(result.failure().retryAfter()).isEqualTo(Duration.ofSeconds(90));
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a 404 without Retry-After carries its status and no wait")
  void classifiesNotFound(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> rc.response().setStatusCode(404).end())
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().httpStatus()).isEqualTo(404);
          assertThat(result.failure().retryAfter()).isNull();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a 200 with a body that is not JSON is unparseable, and the body is not quoted")
  void classifiesGarbage(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> rc.response().end("<html>secret-ish garbage</html>"))
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.UNPARSEABLE);
          assertThat(result.failure().detail()).isEqualTo("the body is not JSON").doesNotContain("garbage");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a 200 whose JSON holds a NUL the store could not keep is unparseable, like a body that is not JSON")
  void classifiesNul(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> rc.response().putHeader("content-type", "application/json")
        .end("{\"State\":\"Running\\u0000\",\"IsRunning\":true}"))
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.UNPARSEABLE);
          assertThat(result.failure().detail()).contains("control character");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("an answer that breaks HTTP itself (a chunk size that is no number) fails the poll and logs no ERROR")
  void brokenHttpIsAFailureNotAnError(Vertx vertx, VertxTestContext testContext) {
    ErrorLog errors = ErrorLog.capture();
    vertx.createNetServer()
        .connectHandler(socket -> socket.handler(request -> socket
            .write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            .onComplete(written -> socket.close())))
        .listen(0, "127.0.0.1")
        .compose(server -> deploy(vertx, new PollerOptions("http://127.0.0.1:" + server.actualPort() + "/api/state/",
            2_000, 4, 100)))
        .compose(id -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          errors.close();
          assertThat(result.failure()).isNotNull();
          assertThat(errors.events()).isEmpty();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a body without ValidUntil is unparseable and the detail names the field")
  void namesMissingField(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> {
      JsonObject body = StateApiStub.running(rc.pathParam("ctx"));
      body.remove("ValidUntil");
      rc.json(body);
    })
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.failure().kind()).isEqualTo(FailureKind.UNPARSEABLE);
          assertThat(result.failure().detail()).isEqualTo("ValidUntil: missing");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a well-formed body for another tenant is refused as the wrong tenant")
  void classifiesWrongTenant(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> rc.json(StateApiStub.running("Cust999")))
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .onComplete(testContext.succeeding(result -> testContext.verify(() -> {
          assertThat(result.ok()).isFalse();
          assertThat(result.failure().kind()).isEqualTo(FailureKind.WRONG_TENANT);
          assertThat(result.failure().detail()).isEqualTo("the body is for Cust999");
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("a body over 64 KiB is refused as unparseable, and the poller carries on")
  void refusesHugeBody(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> {
      if (rc.pathParam("ctx").equals("Cust1")) {
        rc.response().setChunked(true);
        Buffer chunk = Buffer.buffer(new byte[8192]);
        for (int i = 0; i < 10; i++) {
          rc.response().write(chunk);
        }
        rc.response().end();
      } else {
        rc.json(StateApiStub.running(rc.pathParam("ctx")));
      }
    })
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER)
            .compose(huge -> pollAndAwait(vertx, "Cust2", PollReason.TIMER).map(next -> List.of(huge, next))))
        .onComplete(testContext.succeeding(results -> testContext.verify(() -> {
          assertThat(results.get(0).failure().kind()).isEqualTo(FailureKind.UNPARSEABLE);
          assertThat(results.get(0).failure().detail()).isEqualTo("the body is larger than 65536 bytes");
          assertThat(results.get(1).ok()).isTrue();
          testContext.completeNow();
        })));
  }

  @Test
  @DisplayName("requests with a bad tenant, a bad reason or no object are refused with 400 and reach no URL")
  void refusesBadRequests(Vertx vertx, VertxTestContext testContext) {
    List<Object> bad = List.of(
        new JsonObject().put("tenant", "Cust1/../admin").put("reason", "timer"),
        new JsonObject().put("tenant", "cust1").put("reason", "timer"),
        new JsonObject().put("tenant", 12345).put("reason", "timer"),
        new JsonObject().put("reason", "admin"),
        new JsonObject().put("tenant", "Cust1").put("reason", "urgent"),
        new JsonObject().put("tenant", "Cust1"),
        new JsonArray().add("Cust1"),
        "Cust1");
    serve(vertx, rc -> rc.json(StateApiStub.running(rc.pathParam("ctx"))))
        .compose(stub -> Future.all(bad.stream()
                .map(body -> vertx.eventBus().request(Addresses.POLL, body)
                    .<Object>transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : ar.result())))
                .toList())
            .compose(refusals -> pollAndAwait(vertx, "Cust2", PollReason.TIMER)
                .map(good -> {
                  testContext.verify(() -> {
                    assertThat(refusals.<Object>list()).hasSize(bad.size()).allSatisfy(refusal -> {
                      assertThat(refusal).isInstanceOf(ReplyException.class);
                      assertThat(((ReplyException) refusal).failureCode()).isEqualTo(400);
                    });
                    assertThat(((ReplyException) refusals.resultAt(0)).getMessage()).contains("'Cust' followed by");
                    assertThat(((ReplyException) refusals.resultAt(4)).getMessage()).contains("reason must be one of");
                    assertThat(good.ok()).isTrue();
                    assertThat(stub.tenants()).containsExactly("Cust2");
                  });
                  return good;
                })))
        .onComplete(testContext.succeedingThenComplete());
  }

  @Test
  @DisplayName("a valid request is acknowledged with queued, and the counters show what happened")
  void acknowledgesAndCounts(Vertx vertx, VertxTestContext testContext) {
    serve(vertx, rc -> {
      if (rc.pathParam("ctx").equals("Cust1")) {
        rc.json(StateApiStub.running("Cust1"));
      } else {
        rc.response().setStatusCode(500).end();
      }
    })
        .compose(stub -> pollAndAwait(vertx, "Cust1", PollReason.TIMER))
        .compose(one -> pollAndAwait(vertx, "Cust2", PollReason.TIMER))
        .compose(two -> PollerHarness.stats(vertx))
        .compose(stats -> PollerHarness.request(vertx, "Cust1", PollReason.START).map(ack -> {
          testContext.verify(() -> {
            assertThat(stats).isEqualTo(new PollStats(0, 0, 2, 1, 1));
            assertThat(ack).isEqualTo(new JsonObject().put("queued", true));
          });
          return ack;
        }))
        .onComplete(testContext.succeedingThenComplete());
  }
}
