package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FenceTest {

  @Test
  @DisplayName("Within one epoch a higher seq is above")
  void higherSeqIsAbove() {
    assertThat(new Fence(3, 8).isAbove(new Fence(3, 7))).isTrue();
    assertThat(new Fence(3, 7).isAbove(new Fence(3, 8))).isFalse();
  }

  @Test
  @DisplayName("An equal pair is not above: a repeated command is acknowledged and ignored")
  void equalIsNotAbove() {
    assertThat(new Fence(3, 7).isAbove(new Fence(3, 7))).isFalse();
    assertThat(Fence.NONE.isAbove(Fence.NONE)).isFalse();
  }

  @Test
  @DisplayName("A higher epoch is above whatever the seqs: a new owner's first command beats a stale owner's last")
  void higherEpochWinsOverHigherSeq() {
    assertThat(new Fence(4, 1).isAbove(new Fence(3, 1_000_000))).isTrue();
    assertThat(new Fence(3, 1_000_000).isAbove(new Fence(4, 1))).isFalse();
  }

  @Test
  @DisplayName("Every command is above NONE, including an unclustered one (epoch 0)")
  void everythingIsAboveNone() {
    assertThat(new Fence(0, 1).isAbove(Fence.NONE)).isTrue();
    assertThat(new Fence(1, 0).isAbove(Fence.NONE)).isTrue();
  }

  @Test
  @DisplayName("Sorting orders by epoch, then seq; isAbove agrees with compareTo")
  void orderIsLexicographic() {
    List<Fence> sorted = List.of(Fence.NONE, new Fence(0, 5), new Fence(1, 1), new Fence(1, 9),
        new Fence(2, 0), new Fence(2, 3), new Fence(Long.MAX_VALUE, 0));
    List<Fence> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, new Random(16));
    Collections.sort(shuffled);
    assertThat(shuffled).containsExactlyElementsOf(sorted);
    for (Fence a : sorted) {
      for (Fence b : sorted) {
        assertThat(a.isAbove(b)).as(a + " above " + b).isEqualTo(a.compareTo(b) > 0);
      }
    }
  }

  @Test
  @DisplayName("A worker applying only pairs above the last one applies a stale owner's commands never")
  void aGateOfFencesIgnoresTheStaleOwner() {
    // Owner A (epoch 1) sends seq 1..5; it pauses, B takes over at epoch 2 from seq 4 (restored), and A's
    // late commands arrive interleaved with B's.
    List<Fence> arriving = List.of(new Fence(1, 1), new Fence(1, 2), new Fence(1, 3), new Fence(2, 4),
        new Fence(1, 4), new Fence(1, 5), new Fence(2, 5), new Fence(2, 5), new Fence(2, 6));
    Fence last = Fence.NONE;
    List<Fence> applied = new ArrayList<>();
    for (Fence command : arriving) {
      if (command.isAbove(last)) {
        applied.add(command);
        last = command;
      }
    }
    assertThat(applied).containsExactly(new Fence(1, 1), new Fence(1, 2), new Fence(1, 3), new Fence(2, 4),
        new Fence(2, 5), new Fence(2, 6));
  }

  @Test
  void refusesNegativeParts() {
    assertThatThrownBy(() -> new Fence(-1, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epoch >= 0");
    assertThatThrownBy(() -> new Fence(1, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seq >= 0");
  }
}
