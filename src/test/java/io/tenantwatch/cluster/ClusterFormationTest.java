package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterFormationTest {
  private static final String A = "127.0.0.1:5701";
  private static final String B = "127.0.0.1:5702";
  private static final String C = "127.0.0.1:5703";

  @Test
  @DisplayName("A cold cluster owns nothing until minMembers members are up, then everything")
  void coldStartWaitsForMinMembers() {
    ClusterFormation formation = ClusterFormation.coldStart(3);
    for (List<String> members : List.of(List.<String>of(), List.of(A), List.of(A, B))) {
      formation = formation.observe(members);
      assertThat(formation.formed()).as(members.toString()).isFalse();
      assertThat(formation.placement(members, 128).ownsNothing()).isTrue();
    }
    formation = formation.observe(List.of(A, B, C));
    assertThat(formation.formed()).isTrue();
    assertThat(formation.placement(List.of(A, B, C), 128)).isEqualTo(Placement.of(List.of(A, B, C), 128));
  }

  @Test
  @DisplayName("Once formed, losses below minMembers do not stop the survivors")
  void lossesAfterFormingDoNotStopTheSurvivors() {
    ClusterFormation formation = ClusterFormation.coldStart(3).observe(List.of(A, B, C));
    formation = formation.observe(List.of(A, B)).observe(List.of(A));
    assertThat(formation.formed()).isTrue();
    assertThat(formation.placement(List.of(A), 128).shardsOf(A)).hasSize(128);
  }

  @Test
  @DisplayName("A member counts once however often it is listed")
  void duplicatesCountOnce() {
    assertThat(ClusterFormation.coldStart(2).observe(List.of(A, A, A)).formed()).isFalse();
    assertThat(ClusterFormation.coldStart(2).observe(List.of(A, B, A)).formed()).isTrue();
  }

  @Test
  @DisplayName("minMembers 1: a single node owns everything at once")
  void oneMemberIsEnoughByDefault() {
    ClusterFormation formation = ClusterFormation.coldStart(1);
    assertThat(formation.formed()).isFalse();
    assertThat(formation.observe(List.of(A)).placement(List.of(A), 8).shardsOf(A)).hasSize(8);
  }

  @Test
  @DisplayName("A node that joins a formed cluster may own at once, below minMembers")
  void alreadyFormedOwnsAtOnce() {
    ClusterFormation formation = ClusterFormation.alreadyFormed(3).observe(List.of(A, B));
    assertThat(formation.formed()).isTrue();
    assertThat(formation.placement(List.of(A, B), 8).ownsNothing()).isFalse();
  }

  @Test
  void refusesMinMembersBelowOne() {
    assertThatThrownBy(() -> ClusterFormation.coldStart(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minMembers must be at least 1, was 0");
  }
}
