package io.tenantwatch.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.HistoryEntry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TenantViewTest {
  private static final Instant AT = Instant.parse("2026-11-26T16:01:32.801123Z");

  @Test
  @DisplayName("a listed view read back from its JSON writes the same JSON again")
  void roundTrip() {
    TenantView full = new TenantView("Cust10002", "Running", 2, true, "https://sod2.superoffice.com/Cust10002",
        "https://sod2.superoffice.com/Cust10002/api", "Release_11", AT.plusSeconds(10), AT,
        AT.plusMillis(10_301), 0, null, false, AT.plusSeconds(120), 7, List.<HistoryEntry>of());
    TenantView bare = new TenantView("Cust1", "Frozen", 0, false, null, null, null, null, null, null, 3,
        "timeout: no answer within 5000 ms", true, null, 0, List.<HistoryEntry>of());

    for (TenantView view : List.of(full, bare)) {
      JsonObject json = view.toJson(false);
      assertThat(TenantView.fromJson(json).toJson(false)).isEqualTo(json);
      assertThat(TenantView.fromJson(json.copy())).isEqualTo(view);
    }
  }

  @Test
  @DisplayName("JSON that is not a view is refused with IllegalArgumentException")
  void refusesMalformed() {
    JsonObject good = new TenantView("Cust1", "Running", 2, true, null, null, null, null, null, null, 0, null,
        false, null, 1, List.of()).toJson(false);

    assertThatThrownBy(() -> TenantView.fromJson(new JsonObject())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantView.fromJson(good.copy().put("stateCode", "two")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantView.fromJson(good.copy().putNull("running")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantView.fromJson(good.copy().put("validUntil", "tomorrow")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
