package io.tenantwatch.store;

/**
 * A tenant's change as it waits for the store verticle's next write: a {@link TenantChange} made already, or
 * one whose sender named only what it is made from (the directory's feed: the tenant's immutable snapshot and
 * the history the store was sent last), made when a write takes it. A tenant's changes fold while they wait,
 * so each is turned into JSON once, when written, and what waits while PostgreSQL is slow to answer is the
 * sender's own small objects rather than every snapshot's JSON, which the collector carried from survivor
 * space to survivor space.
 */
public interface PendingChange {
  /** The tenant it changes. */
  String tenant();

  /** Whether the change it makes carries a snapshot. */
  boolean hasSnapshot();

  /**
   * Whether the change it makes leaves the stored history as its sender has it ({@link TenantChange}'s own
   * answer once made; one not made yet may say false where the made change says true, never the reverse).
   */
  boolean historyInStep();

  /** The change itself, made now if it was not. */
  TenantChange make();

  /** This change followed by a later one of the same tenant, as one; by default both made and folded. */
  default PendingChange then(PendingChange later) {
    return make().then(later.make());
  }
}
