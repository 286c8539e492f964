package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the snapshot keeps of each poll: a parsed body's fresh strings are not kept where equal ones are held. */
class LastPollTest {

  /** The status a parsed body gives: equal text, each string a new object. */
  private static TenantStatus parsed(TenantState state, String endpoint, String api) {
    return new TenantStatus(fresh(MachineFixtures.TENANT), fresh(endpoint), state, fresh(state.displayName()),
        state.running(), NOW.plus(Duration.ofMinutes(10)), fresh(api), fresh("Release_11.10"));
  }

  private static String fresh(String text) {
    return new String(text.toCharArray());
  }

  @Test
  @DisplayName("a steady poll keeps the strings the last poll left, and the raw state as the table's own name")
  void steadyPollsKeepTheirStrings() {
    TenantMachine machine = MachineFixtures.machine();
    TenantSnapshot first = machine.apply(MachineFixtures.fresh(),
        success(parsed(TenantState.RUNNING, MachineFixtures.ENDPOINT_1, MachineFixtures.API_1)), NOW).snapshot();
    TenantSnapshot second = machine.apply(first,
        success(parsed(TenantState.RUNNING, MachineFixtures.ENDPOINT_1, MachineFixtures.API_1)), NOW.plusSeconds(60))
        .snapshot();

    assertThat(second.endpoint()).isSameAs(first.endpoint());
    assertThat(second.api()).isSameAs(first.api());
    assertThat(second.version()).isSameAs(first.version());
    assertThat(second.rawState()).isSameAs(TenantState.RUNNING.displayName());
  }

  @Test
  @DisplayName("a poll that brings another endpoint keeps the new one")
  void changedTextIsTaken() {
    LastPoll before = LastPoll.after(LastPoll.NONE,
        parsed(TenantState.RUNNING, MachineFixtures.ENDPOINT_1, MachineFixtures.API_1), NOW);
    LastPoll moved = LastPoll.after(before,
        parsed(TenantState.RUNNING, MachineFixtures.ENDPOINT_2, MachineFixtures.API_2), NOW);

    assertThat(moved.endpoint()).isEqualTo(MachineFixtures.ENDPOINT_2);
    assertThat(moved.api()).isEqualTo(MachineFixtures.API_2);
    assertThat(moved.version()).isSameAs(before.version());
  }
}
