package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RendezvousWeightTest {

  @Test
  @DisplayName("Pinned weights: a change of the weight function fails here")
  void pinnedWeights() {
    assertThat(RendezvousWeight.weight(0, "127.0.0.1:5701")).isEqualTo(0x1eac7179cccd7d1dL);
    assertThat(RendezvousWeight.weight(1, "127.0.0.1:5701")).isEqualTo(0x1b301e4e22945631L);
    assertThat(RendezvousWeight.weight(127, "127.0.0.1:5703")).isEqualTo(0x76c8c3976aeb0147L);
  }

  @Test
  @DisplayName("Step 1 is FNV-1a 64: the published test vectors")
  void fnv1a64TestVectors() {
    assertThat(RendezvousWeight.fnv1a64(bytes(""))).isEqualTo(0xcbf29ce484222325L);
    assertThat(RendezvousWeight.fnv1a64(bytes("a"))).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(RendezvousWeight.fnv1a64(bytes("foobar"))).isEqualTo(0x85944171f73967e8L);
  }

  @Test
  @DisplayName("Bytes above 0x7f are taken unsigned, and the id is hashed as UTF-8")
  void utf8AndUnsignedBytes() {
    // FNV-1a 64 of the single byte 0xff, worked by hand: (basis ^ 0xff) * prime.
    long expected = (0xcbf29ce484222325L ^ 0xffL) * 0x100000001b3L;
    assertThat(RendezvousWeight.fnv1a64(new byte[] {(byte) 0xff})).isEqualTo(expected);
    assertThat(RendezvousWeight.nodeHash("n\u00f6de")).isEqualTo(RendezvousWeight.fnv1a64(
        new byte[] {'n', (byte) 0xc3, (byte) 0xb6, 'd', 'e'}));
  }

  @Test
  @DisplayName("Steps 2 and 3 are the (shard + 1)-th output of SplitMix64 seeded with the node hash")
  void isSplitMix64SeededWithTheNodeHash() {
    for (String node : new String[] {"127.0.0.1:5701", "10.0.0.7:15701", "node-a", ""}) {
      SplittableRandom splitMix = new SplittableRandom(RendezvousWeight.fnv1a64(bytes(node)));
      for (int shard = 0; shard < 300; shard++) {
        assertThat(RendezvousWeight.weight(shard, node)).as(node + " shard " + shard)
            .isEqualTo(splitMix.nextLong());
      }
    }
  }

  @Test
  void refusesANegativeShard() {
    assertThatThrownBy(() -> RendezvousWeight.weight(-1, "127.0.0.1:5701"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 0");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
