package io.tenantwatch.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.support.ErrorLog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BoundedExchangeTest {

  @Test
  @DisplayName("A request its caller no longer wants once the connection is there is not sent, and fails with NotSent "
      + "without an error logged; a wanted one is sent")
  void unwantedRequestIsNotSent(Vertx vertx, VertxTestContext test) {
    ErrorLog errors = ErrorLog.capture();
    AtomicInteger received = new AtomicInteger();
    HttpClient client = vertx.createHttpClient();
    vertx.createHttpServer()
        .requestHandler(request -> {
          received.incrementAndGet();
          request.response().end("ok");
        })
        .listen(0, "127.0.0.1")
        .compose(server -> BoundedExchange.send(vertx, client, get(server), 5_000, 1_024, () -> false)
            .transform(unwanted -> {
              test.verify(() -> assertThat(unwanted.cause()).isInstanceOf(BoundedExchange.NotSent.class));
              return BoundedExchange.send(vertx, client, get(server), 5_000, 1_024, () -> true);
            }))
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertThat(answer.body().toString()).isEqualTo("ok");
          assertThat(received).as("requests the server saw: the wanted one only").hasValue(1);
          // The unsent request's cancel is ours: Vert.x logs "Stream reset: 8" at ERROR when nobody handles it.
          assertThat(errors.events()).isEmpty();
          errors.close();
          test.completeNow();
        })));
  }

  private static RequestOptions get(HttpServer server) {
    return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort())
        .setURI("/");
  }
}
