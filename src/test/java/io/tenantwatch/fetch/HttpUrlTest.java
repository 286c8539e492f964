package io.tenantwatch.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpUrlTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://sod.superoffice.com/api/state/", "http://127.0.0.1:8090/", "HTTPS://Example.com"})
  void acceptsAbsoluteWebUrls(String text) {
    assertThat(HttpUrl.isValid(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sod.superoffice.com/api", "ftp://example.com/", "file:///etc/passwd", "https://",
      "https:///path", "javascript:alert(1)", "http://exa mple.com/", "mailto:a@b.c"})
  void refusesEverythingElse(String text) {
    assertThat(HttpUrl.isValid(text)).isFalse();
  }

  @Test
  void nullIsNoUrl() {
    assertThat(HttpUrl.parse(null)).isEmpty();
  }
}
