package io.tenantwatch.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP client that drives both the engine's webhook and the bare route: {@code connections}
 * keep-alive HTTP/1.1 connections to 127.0.0.1 on {@code eventLoops} event loops of their own, no
 * pipelining, each connection carrying one request at a time.
 */
final class WebhookClient {
  private final HttpClient client;
  private final int connections;

  /**
   * @param eventLoops how many event loops the connections are spread over; one loop would make the
   *     client a single saturated thread that holds back whichever server shares its loop
   */
  WebhookClient(Vertx vertx, int connections, int eventLoops) {
    this.connections = connections;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections).setEventLoopSize(eventLoops));
  }

  /**
   * POSTs {@code count} bodies (taken in turn from {@code bodies}, round and round) with one request in
   * flight per connection; completes with the nanoseconds from the first send to the last answer, fails
   * at the first answer that is not {@code expectedStatus}.
   */
  Future<Long> closedLoop(int port, String path, List<Buffer> bodies, int count, int expectedStatus) {
    Promise<Long> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    long start = System.nanoTime();
    Runnable[] lane = new Runnable[1];
    lane[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count || done.future().isComplete()) {
        return;
      }
      post(port, path, bodies.get(i % bodies.size()), null).onComplete(status -> {
        if (status.failed() || status.result() != expectedStatus) {
          done.tryFail(status.failed() ? status.cause()
              : new IllegalStateException("request " + i + " to " + path + " on port " + port + " answered "
                  + status.result() + ", not " + expectedStatus));
        } else if (answered.incrementAndGet() == count) {
          done.tryComplete(System.nanoTime() - start);
        } else {
          lane[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(connections, count); i++) {
      lane[0].run();
    }
    return done.future();
  }

  /** One POST; {@code index}, when not null, goes in {@link ArrivalClock#HEADER}. Completes with the status. */
  Future<Integer> post(int port, String path, Buffer body, Integer index) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path).putHeader("Content-Type", "application/json");
    if (index != null) {
      request.putHeader(ArrivalClock.HEADER, index.toString());
    }
    return client.request(request)
        .compose(req -> req.send(body))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }

  Future<Void> close() {
    return client.close();
  }
}
