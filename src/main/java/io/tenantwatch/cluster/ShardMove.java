package io.tenantwatch.cluster;

import java.util.Objects;

/**
 * One change of a shard's owner.
 *
 * @param shard the shard number
 * @param from the owner it leaves, or null when it was {@link MoveCause#UNOWNED}
 * @param to the member that takes it, its preferred owner
 * @param cause why it moves
 */
public record ShardMove(int shard, String from, String to, MoveCause cause) {

  public ShardMove {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(cause, "cause");
    if ((from == null) != (cause == MoveCause.UNOWNED)) {
      throw new IllegalArgumentException("only an unowned shard's move has no previous owner");
    }
  }
}
