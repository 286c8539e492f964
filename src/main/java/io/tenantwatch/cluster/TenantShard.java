package io.tenantwatch.cluster;

/**
 * The shard of a tenant: the decimal number after {@code Cust} in its context identifier, modulo the
 * shard count. {@code shard("Cust12345", 128)} is {@code 12345 mod 128 = 57}.
 *
 * <p><b>Exactly.</b> For an identifier {@code Cust} d<sub>1</sub> d<sub>2</sub> ... d<sub>k</sub> (k &ge; 1
 * ASCII digits, leading zeros allowed) and {@code shards} &ge; 1, start with r = 0 and for each digit in
 * order set r = (r &times; 10 + d<sub>i</sub>) mod {@code shards}; the shard is the final r, in
 * {@code [0, shards)}. This equals the identifier's number modulo {@code shards} for any number of digits
 * (no overflow: r &times; 10 + 9 always fits in 64 bits), so it accepts longer identifiers than
 * {@link io.tenantwatch.domain.ContextId} does today and never changes with the JVM or the Java version: it
 * uses no {@link String#hashCode()} and no hash library. {@code Cust007} and {@code Cust7} share a shard.
 *
 * <p><b>Why this function.</b> SuperOffice hands out context numbers roughly in sequence, and the remainder
 * spreads a sequence perfectly evenly (any {@code n} consecutive ids put {@code floor(n/shards)} or one more
 * in every shard), where a hash only spreads them evenly on average. It is also the function an operator can
 * work out by hand. Its one weakness, ids that share a common stride with {@code shards}, does not arise
 * with ids issued in sequence; the placement of shards on nodes is hashed anyway (see {@link Placement}).
 * See docs/cluster-shards.md.
 */
public final class TenantShard {
  private static final String PREFIX = "Cust";

  private TenantShard() {
  }

  /**
   * The shard of {@code contextId} among {@code shards}.
   *
   * @param contextId {@code Cust} followed by one or more ASCII digits
   * @param shards the cluster's shard count, at least 1
   * @return a shard number in {@code [0, shards)}
   * @throws IllegalArgumentException when {@code shards < 1} or {@code contextId} is not {@code Cust}
   *     followed by digits (the message names which, without repeating the input)
   */
  public static int shard(String contextId, int shards) {
    requireShardCount(shards);
    if (contextId == null || !contextId.startsWith(PREFIX) || contextId.length() == PREFIX.length()) {
      throw notAContextId();
    }
    long remainder = 0;
    for (int i = PREFIX.length(); i < contextId.length(); i++) {
      char c = contextId.charAt(i);
      if (c < '0' || c > '9') {
        throw notAContextId();
      }
      remainder = (remainder * 10 + (c - '0')) % shards;
    }
    return (int) remainder;
  }

  /**
   * Checks a shard count.
   *
   * @return {@code shards}
   * @throws IllegalArgumentException when it is below 1
   */
  public static int requireShardCount(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("the shard count must be at least 1, was " + shards);
    }
    return shards;
  }

  private static IllegalArgumentException notAContextId() {
    return new IllegalArgumentException(
        "not a context identifier: a context identifier is 'Cust' followed by digits, for example Cust12345");
  }
}
