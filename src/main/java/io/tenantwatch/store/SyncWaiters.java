package io.tenantwatch.store;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The store verticle's answers to {@code sync}: each is given once every change pending at its request is
 * written. A write takes everything pending while a {@code sync} waits ({@link #isEmpty}), so that is the write in flight when nothing is pending, and
 * the next one to start otherwise; a write that fails puts its changes back, and the one that writes them
 * starts later still. Lives on the store verticle's event loop.
 */
final class SyncWaiters {
  private record Waiting(long write, Message<JsonObject> message) {
  }

  private final List<Waiting> waiting = new ArrayList<>();
  private long started;
  private long lastWritten;

  /**
   * @param nothingPending whether no change waits to be written
   * @param writing whether a write is in flight
   */
  void await(Message<JsonObject> sync, boolean nothingPending, boolean writing) {
    if (nothingPending && !writing) {
      sync.reply(new JsonObject().put("written", lastWritten));
      return;
    }
    waiting.add(new Waiting(nothingPending ? started : started + 1, sync));
  }

  /** Whether no {@code sync} waits: a write may then take only some of what is pending. */
  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** A write starts; its number. */
  long started() {
    return ++started;
  }

  /** The write {@code number} succeeded: those waiting for it, or for an earlier one, are answered. */
  void written(long number) {
    lastWritten = Math.max(lastWritten, number);
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting next = it.next();
      if (next.write() <= number) {
        next.message().reply(new JsonObject().put("written", number));
        it.remove();
      }
    }
  }
}
