package io.tenantwatch.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StateApiTargetTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://sod.superoffice.com/api/state/", "https://online.superoffice.com/api/state",
      "http://127.0.0.1:8090/api/state/", "http://localhost:80/", "https://example.test:8443/a%20b/state/",
      "http://[::1]:8090/api/state/", "http://example.test"})
  @DisplayName("the request for a tenant is the one the whole URL would give, without parsing it per poll")
  void sameAsAbsoluteUri(String baseUrl) {
    PollerOptions options = PollerOptions.of(baseUrl);
    RequestOptions parsed = new RequestOptions().setAbsoluteURI(options.urlFor("Cust12345"));

    RequestOptions built = StateApiTarget.of(options).get("Cust12345");

    assertThat(built.getMethod()).isEqualTo(HttpMethod.GET);
    assertThat(built.getHost()).isEqualTo(parsed.getHost());
    assertThat(built.getPort()).isEqualTo(parsed.getPort());
    assertThat(built.isSsl()).isEqualTo(parsed.isSsl());
    assertThat(built.getURI()).isEqualTo(parsed.getURI());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Cust1/../admin", "cust1", ""})
  @DisplayName("no request is built for something that is not a context identifier")
  void refusesBadTenant(String ctx) {
    StateApiTarget target = StateApiTarget.of(PollerOptions.of("http://127.0.0.1:8090/api/state/"));

    assertThatThrownBy(() -> target.get(ctx)).isInstanceOf(IllegalArgumentException.class);
  }
}
