package io.tenantwatch.bus;

/**
 * The failure codes of the engine's event-bus replies ({@code message.fail(code, why)}), in one place.
 * They borrow HTTP's numbers, so a route can answer with the same meaning.
 */
public final class Failures {
  /** The request cannot be read: not the body the address takes (a bug in the sender, or outside input). */
  public static final int MALFORMED = 400;
  /** The request names a tenant the engine does not watch. */
  public static final int NOT_WATCHED = 404;
  /**
   * The request names a tenant of a shard this cluster node does not hold (HTTP's 421 Misdirected
   * Request): its owner is another node, or none while the shard moves.
   */
  public static final int NOT_OWNER = 421;
  /** The receiver read the request but could not carry it out (a worker's handler failed, a watch could not start). */
  public static final int FAILED = 500;
  /**
   * The receiver cannot answer now; the same request may succeed later: a tenant's verticle failed and
   * is being restarted, the engine is stopping, the poller is being replaced, the store cannot be read.
   */
  public static final int UNAVAILABLE = 503;

  private Failures() {
  }
}
