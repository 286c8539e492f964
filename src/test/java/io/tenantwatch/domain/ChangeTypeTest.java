package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeTypeTest {

  @Test
  @DisplayName("the table holds the six documented change types with their names and whether they close the gate")
  void table() {
    assertThat(ChangeType.Known.values())
        .extracting(ChangeType.Known::code, ChangeType.Known::displayName, k -> k.type().closesGate())
        .containsExactly(
            tuple(0, "Upgrade", true),
            tuple(1, "BackupRestored", false),
            tuple(2, "Suspend", true),
            tuple(3, "Resume", false),
            tuple(4, "Delete", true),
            tuple(5, "Move", false));
  }

  @Test
  @DisplayName("each constant is its documented code, and of(code) finds its meaning")
  void constants() {
    assertThat(ChangeType.UPGRADE.code()).isZero();
    assertThat(ChangeType.BACKUP_RESTORED.code()).isEqualTo(1);
    assertThat(ChangeType.SUSPEND.code()).isEqualTo(2);
    assertThat(ChangeType.RESUME.code()).isEqualTo(3);
    assertThat(ChangeType.DELETE.code()).isEqualTo(4);
    assertThat(ChangeType.MOVE.code()).isEqualTo(5);
    for (ChangeType.Known known : ChangeType.Known.values()) {
      ChangeType type = ChangeType.of(known.code());
      assertThat(type).isEqualTo(known.type());
      assertThat(type.known()).contains(known);
      assertThat(type.is(known)).isTrue();
      assertThat(type.label()).isEqualTo(known.displayName());
      assertThat(type).hasToString(known.displayName());
    }
  }

  @Test
  @DisplayName("Move is a known type that asks for a poll rather than closing the gate")
  void move() {
    assertThat(ChangeType.of(5).known()).contains(ChangeType.Known.MOVE);
    assertThat(ChangeType.of(5).label()).isEqualTo("Move");
    assertThat(ChangeType.of(5).closesGate()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 7, 99, -1, Integer.MAX_VALUE})
  @DisplayName("an unknown change type is kept, labelled by its number and does not close the gate")
  void unknown(int code) {
    ChangeType type = ChangeType.of(code);

    assertThat(type.code()).isEqualTo(code);
    assertThat(type.known()).isEmpty();
    assertThat(type.label()).isEqualTo(Integer.toString(code));
    assertThat(type).hasToString(Integer.toString(code));
    assertThat(type.closesGate()).isFalse();
    assertThat(type.is(ChangeType.Known.UPGRADE)).isFalse();
  }
}
