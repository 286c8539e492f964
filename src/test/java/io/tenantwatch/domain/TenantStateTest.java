package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantStateTest {

  @Test
  @DisplayName("the table holds SuperOffice's codes 0 to 12 without 7 and 9, with their names and availability")
  void table() {
    assertThat(TenantState.values())
        .extracting(TenantState::code, TenantState::displayName, TenantState::running)
        .containsExactly(
            tuple(0, "Unknown", false),
            tuple(1, "Provisioning", false),
            tuple(2, "Running", true),
            tuple(3, "Deleted", false),
            tuple(4, "Suspended", false),
            tuple(5, "OnlineMaintenance", true),
            tuple(6, "OfflineMaintenance", false),
            tuple(8, "ProvisioningFailed", false),
            tuple(10, "Deleting", false),
            tuple(11, "DeleteFailed", false),
            tuple(12, "MigrationPending", false));
  }

  @Test
  @DisplayName("exactly Unknown, Provisioning, OfflineMaintenance and Deleting are transitional")
  void transitional() {
    assertThat(Arrays.stream(TenantState.values()).filter(TenantState::transitional))
        .containsExactly(TenantState.UNKNOWN, TenantState.PROVISIONING, TenantState.OFFLINE_MAINTENANCE,
            TenantState.DELETING);
  }

  @ParameterizedTest
  @EnumSource(TenantState.class)
  @DisplayName("every state is found by its code and by its name, and prints as its name")
  void lookups(TenantState state) {
    assertThat(TenantState.byCode(state.code())).contains(state);
    assertThat(TenantState.byName(state.displayName())).contains(state);
    assertThat(state).hasToString(state.displayName());
  }

  @Test
  @DisplayName("a name is found whatever its case")
  void nameAnyCase() {
    assertThat(TenantState.byName("running")).contains(TenantState.RUNNING);
    assertThat(TenantState.byName("RUNNING")).contains(TenantState.RUNNING);
    assertThat(TenantState.byName("onlineMAINTENANCE")).contains(TenantState.ONLINE_MAINTENANCE);
    assertThat(TenantState.byName("migrationpending")).contains(TenantState.MIGRATION_PENDING);
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 9, 13, 99, -1, Integer.MAX_VALUE})
  @DisplayName("a code SuperOffice does not define is not found")
  void unknownCodes(int code) {
    assertThat(TenantState.byCode(code)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Frozen", "", "Running ", "ONLINE_MAINTENANCE", "2"})
  @DisplayName("a name not in the table is not found")
  void unknownNames(String name) {
    assertThat(TenantState.byName(name)).isEmpty();
  }

  @Test
  @DisplayName("a null name is not found")
  void nullName() {
    assertThat(TenantState.byName(null)).isEmpty();
  }
}
