package io.tenantwatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The epoch a tenant change carries for the store's fence: kept through folding and across the bus. */
class TenantChangeEpochTest {

  @Test
  @DisplayName("a change is made outside any cluster (epoch 0) unless it says otherwise, and its JSON then has no epoch")
  void unclusteredByDefault() {
    TenantChange change = TenantChange.watched("Cust1", "admin");
    assertThat(change.epoch()).isZero();
    assertThat(change.toJson().containsKey("epoch")).isFalse();
    assertThat(TenantChange.fromJson(change.toJson())).isEqualTo(change);
  }

  @Test
  @DisplayName("an epoch survives the bus, and folding keeps the higher of two epochs")
  void epochTravelsAndFolds() {
    TenantChange watched = TenantChange.watched("Cust1", "admin").withEpoch(3);
    assertThat(TenantChange.fromJson(watched.toJson())).isEqualTo(watched);
    assertThat(watched.then(TenantChange.seen("Cust1", new SeenNotification("j", TenantStoreContract.NOW)).withEpoch(4))
        .epoch()).isEqualTo(4);
    assertThat(watched.then(TenantChange.unwatched("Cust1").withEpoch(2)).epoch()).isEqualTo(3);
    assertThat(watched.then(TenantChange.unwatched("Cust1").withEpoch(5)).epoch()).isEqualTo(5);
  }

  @Test
  @DisplayName("a negative or non-whole epoch is refused")
  void badEpoch() {
    assertThatThrownBy(() -> TenantChange.watched("Cust1", "admin").withEpoch(-1))
        .isInstanceOf(IllegalArgumentException.class);
    JsonObject json = TenantChange.watched("Cust1", "admin").toJson().put("epoch", "3");
    assertThatThrownBy(() -> TenantChange.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epoch");
  }
}
