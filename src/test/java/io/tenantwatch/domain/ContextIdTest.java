package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"Cust0", "Cust00000", "Cust12345", "Cust37911", "Cust123456789012"})
  @DisplayName("Cust followed by 1 to 12 digits is a context identifier")
  void valid(String candidate) {
    assertThat(ContextId.isValid(candidate)).isTrue();
    assertThat(ContextId.require(candidate)).isEqualTo(candidate);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Cust", "cust12345", "CUST12345", "Cust1234567890123", "Cust12a", " Cust1", "Cust1 ",
      "Cust1/../admin", "Cust1\n", "Cust-1", "Cust１２", "12345", "Cust1.tenantwatch"})
  @DisplayName("anything else is refused, and the refusal does not repeat the input")
  void invalid(String candidate) {
    assertThat(ContextId.isValid(candidate)).isFalse();
    assertThatThrownBy(() -> ContextId.require(candidate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a context identifier is 'Cust' followed by 1 to 12 digits, for example Cust12345");
  }

  @Test
  @DisplayName("null is not a context identifier")
  void nullRefused() {
    assertThat(ContextId.isValid(null)).isFalse();
    assertThatThrownBy(() -> ContextId.require(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
