package io.tenantwatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TenantGateOptionsTest {

  @Test
  @DisplayName("a gate without a fixed address gets a unique one made from its name")
  void defaultAddressIsUnique() {
    TenantGateOptions options = new TenantGateOptions("billing");
    assertThat(options.resolveAddress()).startsWith("tenantwatch.worker.billing.")
        .isNotEqualTo(options.resolveAddress());
    assertThat(options.withAddress("platform.billing").resolveAddress()).isEqualTo("platform.billing");
  }

  @Test
  @DisplayName("a blank name, a blank address or a tenant that is not a context identifier is refused")
  void badOptionsRefused() {
    assertThatThrownBy(() -> new TenantGateOptions(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> new TenantGateOptions("billing").withAddress("")).hasMessageContaining("address");
    assertThatThrownBy(() -> new TenantGateOptions("billing").withTenants(Set.of("Cust1", "Acme")))
        .hasMessageContaining("Cust");
    assertThatThrownBy(() -> TenantGateOptions.fromJson(new JsonObject().put("name", "billing").put("tenants", "Cust1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TenantGateOptions("billing").withDrainTimeoutMs(-1))
        .hasMessageContaining("drainTimeoutMs").hasMessageContaining("-1");
    assertThatThrownBy(() -> new TenantGateOptions("billing")
        .withDrainTimeoutMs(WorkerRegistration.MAX_DRAIN_TIMEOUT_MS + 1)).hasMessageContaining("drainTimeoutMs");
    assertThatThrownBy(() -> TenantGateOptions.fromJson(new JsonObject().put("name", "billing")
        .put("drainTimeoutMs", "10s"))).hasMessageContaining("drainTimeoutMs");
  }

  @Test
  @DisplayName("options survive a round trip through JSON")
  void jsonRoundTrip() {
    TenantGateOptions options = new TenantGateOptions("billing").withTenants(Set.of("Cust2", "Cust1"))
        .withDrainTimeoutMs(2500);
    assertThat(options.toJson().getJsonArray("tenants")).isEqualTo(new JsonArray().add("Cust1").add("Cust2"));
    assertThat(TenantGateOptions.fromJson(options.toJson())).isEqualTo(options);
    assertThat(TenantGateOptions.fromJson(new JsonObject().put("name", "billing")))
        .isEqualTo(new TenantGateOptions("billing"));
    assertThat(new TenantGateOptions("billing").drainTimeoutMs()).isEqualTo(TenantGateOptions.DEFAULT_DRAIN_TIMEOUT_MS);
  }
}
