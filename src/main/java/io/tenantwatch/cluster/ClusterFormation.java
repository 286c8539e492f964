package io.tenantwatch.cluster;

import java.util.Collection;
import java.util.HashSet;

/**
 * Whether the cluster has formed, in the sense of {@code cluster.minMembers} (Pekko's
 * {@code min-nr-of-members}): at a cold start no shard is owned until that many members are up, so the
 * first node to start does not take every tenant only to hand most of them over seconds later. Once
 * formed, a formation stays formed: later losses do not stop the survivors, even below
 * {@code minMembers}.
 *
 * <p>Immutable: {@link #observe} returns the next state. A node that restarts into a cluster that formed
 * without it starts cold again unless told otherwise ({@link #alreadyFormed}), for example because the
 * store shows shards already owned.
 *
 * @param minMembers how many distinct members a cold cluster waits for, at least 1
 * @param formed whether that many were ever seen together (or the cluster was known to be formed)
 */
public record ClusterFormation(int minMembers, boolean formed) {

  public ClusterFormation {
    if (minMembers < 1) {
      throw new IllegalArgumentException("minMembers must be at least 1, was " + minMembers);
    }
  }

  /** A cold start: nothing is owned until {@code minMembers} members have been seen together. */
  public static ClusterFormation coldStart(int minMembers) {
    return new ClusterFormation(minMembers, false);
  }

  /** A node joining a cluster already known to be formed: it owns what the placement gives it at once. */
  public static ClusterFormation alreadyFormed(int minMembers) {
    return new ClusterFormation(minMembers, true);
  }

  /**
   * The formation after seeing {@code members} (node ids; duplicates count once): formed if it already was
   * or if there are at least {@code minMembers} of them.
   */
  public ClusterFormation observe(Collection<String> members) {
    if (formed || new HashSet<>(members).size() < minMembers) {
      return this;
    }
    return new ClusterFormation(minMembers, true);
  }

  /**
   * The placement for {@code members} if this formation is formed, or one that owns nothing if not. Call
   * {@link #observe} with the same members first.
   */
  public Placement placement(Collection<String> members, int shards) {
    return formed ? Placement.of(members, shards) : Placement.none(shards);
  }
}
