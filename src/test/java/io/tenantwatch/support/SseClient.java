package io.tenantwatch.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A reader of {@code text/event-stream} as a browser's EventSource reads it: events are blocks ended by a
 * blank line, each with its {@code event:} name, its {@code data:} and any {@code :} comment. Tests await
 * the list of events received so far meeting a condition.
 */
public final class SseClient {
  /** One block of the stream: an event with its name and data, or a comment (name and data null). */
  public record Event(String name, String data, String comment) {
  }

  private final HttpClient client;
  private final HttpClientResponse response;
  private final List<Event> events = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private final Promise<Void> ended = Promise.promise();

  private record Waiter(Predicate<List<Event>> done, Promise<List<Event>> promise) {
  }

  private SseClient(HttpClient client, HttpClientResponse response) {
    this.client = client;
    this.response = response;
  }

  /** Opens {@code uri} on 127.0.0.1:{@code port}, with this {@code Authorization} header unless null. */
  public static Future<SseClient> open(Vertx vertx, int port, String uri, String authorization) {
    HttpClient client = vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(uri).putHeader("Accept", "text/event-stream");
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    // A response drops each chunk that arrives before its handler is set. Set from a listener added on another
    // thread (a test's), the handler can come too late, when the response is already in and its listeners
    // are run later on its event loop: the stream then lacks its ": connected". So the request is made on one
    // context, and the handler is set as the response arrives, on that context's event loop.
    Promise<SseClient> opened = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.request(options)
        .compose(request -> request.send().map(response -> {
          SseClient sse = new SseClient(client, response);
          response.handler(chunk -> sse.received(chunk.toString()));
          response.endHandler(end -> sse.ended.tryComplete());
          response.exceptionHandler(e -> sse.ended.tryComplete());
          return sse;
        }))
        .onComplete(opened));
    return opened.future();
  }

  public HttpClientResponse response() {
    return response;
  }

  /** The events received so far. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Completes with the events received so far once they meet {@code done}. */
  public synchronized Future<List<Event>> until(Predicate<List<Event>> done) {
    Promise<List<Event>> promise = Promise.promise();
    if (done.test(events)) {
      promise.complete(List.copyOf(events));
    } else {
      waiters.add(new Waiter(done, promise));
    }
    return promise.future();
  }

  /** Completes when the server ends the stream or the connection closes. */
  public Future<Void> ended() {
    return ended.future();
  }

  /** Closes the connection. */
  public Future<Void> close() {
    return client.close();
  }

  private void received(String text) {
    List<Waiter> met = new ArrayList<>();
    List<Event> now;
    synchronized (this) {
      pending.append(text);
      for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
        events.add(parse(pending.substring(0, end)));
        pending.delete(0, end + 2);
      }
      now = List.copyOf(events);
      waiters.removeIf(w -> w.done.test(now) && met.add(w));
    }
    met.forEach(w -> w.promise.tryComplete(now));
  }

  private static Event parse(String block) {
    String name = null;
    StringBuilder data = null;
    String comment = null;
    for (String line : block.split("\n", -1)) {
      if (line.startsWith(":")) {
        comment = line.substring(1).trim();
      } else if (line.startsWith("event: ")) {
        name = line.substring("event: ".length());
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring("data: ".length()));
      }
    }
    return new Event(name, data == null ? null : data.toString(), comment);
  }
}
