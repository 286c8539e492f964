package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvironmentTest {

  @Test
  @DisplayName("sod presets the sod state API, its certificate and both issuers")
  void sodPresets() {
    assertThat(Environment.SOD.stateApiBaseUrl()).contains("https://sod.superoffice.com/api/state/");
    assertThat(Environment.SOD.certificates()).containsExactly("classpath:io/tenantwatch/certs/sod-federated-login.crt");
    assertThat(Environment.SOD.issuers()).containsExactly("https://sod.superoffice.com", "SuperOffice AS");
  }

  @Test
  @DisplayName("stage presets the qaonline state API, its certificate and both issuers")
  void stagePresets() {
    assertThat(Environment.STAGE.stateApiBaseUrl()).contains("https://qaonline.superoffice.com/api/state/");
    assertThat(Environment.STAGE.certificates()).containsExactly("classpath:io/tenantwatch/certs/stage-federated-login.crt");
    assertThat(Environment.STAGE.issuers()).containsExactly("https://qaonline.superoffice.com", "SuperOffice AS");
  }

  @Test
  @DisplayName("online presets the production state API, its certificate and both issuers")
  void onlinePresets() {
    assertThat(Environment.ONLINE.stateApiBaseUrl()).contains("https://online.superoffice.com/api/state/");
    assertThat(Environment.ONLINE.certificates()).containsExactly("classpath:io/tenantwatch/certs/online-federated-login.crt");
    assertThat(Environment.ONLINE.issuers()).containsExactly("https://online.superoffice.com", "SuperOffice AS");
  }

  @Test
  @DisplayName("custom presets nothing")
  void customPresetsNothing() {
    assertThat(Environment.CUSTOM.stateApiBaseUrl()).isEmpty();
    assertThat(Environment.CUSTOM.authHost()).isEmpty();
    assertThat(Environment.CUSTOM.certificates()).isEmpty();
    assertThat(Environment.CUSTOM.issuers()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Environment.class, names = {"SOD", "STAGE", "ONLINE"})
  @DisplayName("every preset certificate is a resource in the jar, not a file of the working directory")
  void presetCertificatesAreResources(Environment environment) {
    assertThat(environment.certificates()).singleElement().satisfies(entry -> {
      assertThat(CertificateLocation.isResource(entry)).isTrue();
      assertThat(getClass().getClassLoader().getResource(CertificateLocation.resourceName(entry))).isNotNull();
      assertThat(Files.exists(Path.of(CertificateLocation.resourceName(entry)))).isFalse();
    });
  }

  @ParameterizedTest
  @EnumSource(Environment.class)
  @DisplayName("every environment is found by its lower-case JSON name and only by it")
  void jsonNames(Environment environment) {
    assertThat(Environment.byJsonName(environment.jsonName())).contains(environment);
    assertThat(Environment.byJsonName(environment.name())).isEmpty();
  }

  @Test
  @DisplayName("the JSON names are sod, stage, online and custom, and sod is the default")
  void namesAndDefault() {
    assertThat(Environment.values()).extracting(Environment::jsonName)
        .containsExactly("sod", "stage", "online", "custom");
    assertThat(Environment.DEFAULT).isEqualTo(Environment.SOD);
    assertThat(Environment.byJsonName(null)).isEmpty();
  }
}
