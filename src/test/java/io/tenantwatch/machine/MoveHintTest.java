package io.tenantwatch.machine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host names from a Move's PublicEndpoint and from the state API's URLs. */
class MoveHintTest {

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(nullValues = "NULL", value = {
      "sod3.superoffice.com, sod3.superoffice.com",
      "SOD3.SuperOffice.com, sod3.superoffice.com",
      "'  sod3.superoffice.com  ', sod3.superoffice.com",
      "https://sod3.superoffice.com:443/Cust12345/api, sod3.superoffice.com",
      "https://user@sod3.superoffice.com/Cust12345, sod3.superoffice.com",
      "sod3.superoffice.com/Cust12345?x=1, sod3.superoffice.com",
      "sod3.superoffice.com:8443, sod3.superoffice.com",
      "'   ', NULL",
      "https://, NULL",
      "NULL, NULL"})
  @DisplayName("The host is the bare, lower-case host name without scheme, user, port or path")
  void hostOf(String text, String host) {
    assertThat(MoveHint.hostOf(text)).isEqualTo(host);
  }

  @ParameterizedTest(name = "hint {0} vs {1} / {2}: {3}")
  @CsvSource(nullValues = "NULL", value = {
      "sod3.superoffice.com, https://sod3.superoffice.com:443/Cust1, NULL, true",
      "sod3.superoffice.com, https://sod2.superoffice.com/Cust1, https://SOD3.superoffice.com/Cust1/api, true",
      "sod3.superoffice.com, https://sod2.superoffice.com/Cust1, https://sod2.superoffice.com/Cust1/api, false",
      "sod3.superoffice.com, https://sod3.superoffice.com.evil.example/Cust1, NULL, false",
      "NULL, https://sod3.superoffice.com/Cust1, NULL, false"})
  @DisplayName("A hint is confirmed only when a polled URL's host is exactly the hinted host")
  void confirmedBy(String hint, String endpoint, String api, boolean confirmed) {
    assertThat(MoveHint.confirmedBy(hint, endpoint, api)).isEqualTo(confirmed);
  }
}
