package io.tenantwatch.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

  @Test
  @DisplayName("the retry delay doubles after each failed attempt")
  void retryDelayDoubles() {
    DeliveryPolicy policy = new DeliveryPolicy(200, 5, 500);
    assertThat(policy.retryDelayAfter(1)).isEqualTo(500);
    assertThat(policy.retryDelayAfter(2)).isEqualTo(1000);
    assertThat(policy.retryDelayAfter(4)).isEqualTo(4000);
  }

  @Test
  @DisplayName("absent keys take the defaults and present ones are read")
  void fromJson() {
    assertThat(DeliveryPolicy.fromJson(new JsonObject())).isEqualTo(DeliveryPolicy.DEFAULT);
    assertThat(DeliveryPolicy.fromJson(new JsonObject().put("maxAttempts", 2)))
        .isEqualTo(new DeliveryPolicy(DeliveryPolicy.DEFAULT_ACK_TIMEOUT_MS, 2, DeliveryPolicy.DEFAULT_RETRY_DELAY_MS));
    assertThat(DeliveryPolicy.fromJson(DeliveryPolicy.DEFAULT.toJson())).isEqualTo(DeliveryPolicy.DEFAULT);
  }

  @Test
  @DisplayName("bad values and unknown keys are refused with the key named")
  void badValues() {
    assertThatThrownBy(() -> DeliveryPolicy.fromJson(new JsonObject().put("ackTimeoutMs", 0)))
        .hasMessageContaining("ackTimeoutMs");
    assertThatThrownBy(() -> DeliveryPolicy.fromJson(new JsonObject().put("maxAttempts", "3")))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> DeliveryPolicy.fromJson(new JsonObject().put("retryDelay", 5)))
        .hasMessageContaining("retryDelay");
  }
}
