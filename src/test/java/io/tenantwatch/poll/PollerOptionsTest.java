package io.tenantwatch.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.config.StateApiOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PollerOptionsTest {

  @Test
  @DisplayName("a base URL without its trailing slash gets one, and the tenant is appended")
  void normalisesBaseUrl() {
    PollerOptions options = PollerOptions.of("https://sod.superoffice.com/api/state");

    assertThat(options.baseUrl()).isEqualTo("https://sod.superoffice.com/api/state/");
    assertThat(options.urlFor("Cust12345")).isEqualTo("https://sod.superoffice.com/api/state/Cust12345");
    assertThat(options.requestTimeoutMs()).isEqualTo(StateApiOptions.DEFAULT_REQUEST_TIMEOUT_MS);
    assertThat(options.maxConcurrentPolls()).isEqualTo(16);
    assertThat(options.maxPollsPerSecond()).isEqualTo(20);
  }

  @Test
  @DisplayName("no URL is built from something that is not a context identifier")
  void refusesBadTenant() {
    PollerOptions options = PollerOptions.of("http://127.0.0.1:8090/api/state/");

    assertThatThrownBy(() -> options.urlFor("Cust1/../admin")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options.urlFor(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("bad values are refused with a message naming them")
  void refusesBadValues() {
    assertThatThrownBy(() -> PollerOptions.of("ftp://example.com/state/")).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> PollerOptions.of("/api/state/")).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> PollerOptions.of(null)).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> PollerOptions.of("https://x.test/state/?a=b")).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> new PollerOptions("https://x.test/", 0, 1, 1)).hasMessageContaining("requestTimeoutMs");
    assertThatThrownBy(() -> new PollerOptions("https://x.test/", 1, 0, 1)).hasMessageContaining("maxConcurrentPolls");
    assertThatThrownBy(() -> new PollerOptions("https://x.test/", 1, 1, 0)).hasMessageContaining("maxPollsPerSecond");
  }
}
