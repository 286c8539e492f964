package io.tenantwatch.bus;

import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests that wait for something to happen (a drain to finish, a poll to be applied) and are all
 * answered, or all failed, when it does. Each is answered once: answering empties the list first, so a
 * reply that leads to another wait starts a fresh one.
 *
 * @param <T> the requests' body type
 */
public final class Waiters<T> {
  /** Made at the first request: a node holds one per tenant, and most tenants never have one waiting. */
  private List<Message<T>> waiting;

  public void add(Message<T> request) {
    if (waiting == null) {
      waiting = new ArrayList<>(1);
    }
    waiting.add(request);
  }

  public boolean isEmpty() {
    return waiting == null || waiting.isEmpty();
  }

  /** Replies to every waiting request with the same body. */
  public void answer(Object body) {
    for (Message<T> request : takeAll()) {
      request.reply(body);
    }
  }

  /** Fails every waiting request with the same code and message. */
  public void fail(int code, String why) {
    for (Message<T> request : takeAll()) {
      request.fail(code, why);
    }
  }

  private List<Message<T>> takeAll() {
    if (isEmpty()) {
      return List.of();
    }
    List<Message<T>> taken = List.copyOf(waiting);
    waiting.clear();
    return taken;
  }
}
