package io.tenantwatch.cluster;

import java.nio.charset.StandardCharsets;

/**
 * The rendezvous weight of a member for a shard: a stable 64-bit number, compared unsigned; the member
 * with the highest weight is the shard's preferred owner ({@link Placement}).
 *
 * <p><b>Exactly</b> (all arithmetic on unsigned 64-bit integers, wrapping modulo 2<sup>64</sup>):
 * <ol>
 *   <li>{@code h = FNV-1a-64(UTF-8 bytes of nodeId)}: start from {@code 0xcbf29ce484222325}; for each byte
 *       {@code b}, {@code h = (h XOR b) * 0x100000001b3}.</li>
 *   <li>{@code x = h + (shard + 1) * 0x9e3779b97f4a7c15}.</li>
 *   <li>the SplitMix64 finalizer: {@code z = (x XOR (x >>> 30)) * 0xbf58476d1ce4e5b9};
 *       {@code z = (z XOR (z >>> 27)) * 0x94d049bb133111eb}; {@code weight = z XOR (z >>> 31)}.</li>
 * </ol>
 * Steps 2 and 3 are the {@code (shard + 1)}-th output of SplitMix64 (Steele, Lea and Flood; Vigna's
 * {@code splitmix64.c}) seeded with {@code h}, the same generator as {@link java.util.SplittableRandom}. FNV-1a
 * alone mixes the last bytes of similar node ids ({@code 127.0.0.1:5701}, {@code 127.0.0.1:5702}) poorly;
 * the finalizer makes every bit of the weight depend on every bit of {@code h} and of the shard. See
 * docs/cluster-shards.md.
 */
public final class RendezvousWeight {
  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private RendezvousWeight() {
  }

  /**
   * The weight of {@code nodeId} for {@code shard}, to be compared with {@link Long#compareUnsigned}.
   *
   * @param shard a shard number, at least 0
   * @param nodeId the member's node id, for example {@code 127.0.0.1:5701}
   */
  public static long weight(int shard, String nodeId) {
    return weightOfHash(shard, nodeHash(nodeId));
  }

  /** Step 1: FNV-1a 64 of the node id's UTF-8 bytes, computed once per member by {@link Placement}. */
  static long nodeHash(String nodeId) {
    return fnv1a64(nodeId.getBytes(StandardCharsets.UTF_8));
  }

  /** Steps 2 and 3 for a member whose {@link #nodeHash} is {@code nodeHash}. */
  static long weightOfHash(int shard, long nodeHash) {
    if (shard < 0) {
      throw new IllegalArgumentException("a shard number is at least 0, was " + shard);
    }
    return splitMix64Finalizer(nodeHash + (shard + 1L) * GOLDEN_GAMMA);
  }

  /** FNV-1a, 64-bit, of {@code bytes}. */
  static long fnv1a64(byte[] bytes) {
    long hash = FNV_OFFSET_BASIS;
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** SplitMix64's output function (the "mix64" of {@link java.util.SplittableRandom}). */
  static long splitMix64Finalizer(long x) {
    long z = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
