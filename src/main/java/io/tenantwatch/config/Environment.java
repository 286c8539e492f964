package io.tenantwatch.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SuperOffice Online environment a deployment talks to. It fills the defaults for
 * {@code stateApi.baseUrl}, {@code webhook.certificates} and {@code webhook.issuers}; {@link #CUSTOM}
 * fills none, so those keys must come from the file (or the simulator).
 */
public enum Environment {
  /** Development: {@code sod.superoffice.com}. */
  SOD("https://sod.superoffice.com", "io/tenantwatch/certs/sod-federated-login.crt"),
  /** Stage: {@code qaonline.superoffice.com} (older documents say {@code stage}; override if it moves). */
  STAGE("https://qaonline.superoffice.com", "io/tenantwatch/certs/stage-federated-login.crt"),
  /** Production: {@code online.superoffice.com}. */
  ONLINE("https://online.superoffice.com", "io/tenantwatch/certs/online-federated-login.crt"),
  /** Anything else: every environment-dependent key comes from the file. */
  CUSTOM(null, null);

  /** The environment when the file names none. */
  public static final Environment DEFAULT = SOD;

  /** The literal issuer SuperOffice puts in its server-to-server tokens, accepted in every environment. */
  public static final String SUPEROFFICE_ISSUER = "SuperOffice AS";

  private final String authHost;
  private final String certificate;

  Environment(String authHost, String certificate) {
    this.authHost = authHost;
    this.certificate = certificate;
  }

  /** The name in the configuration file: {@code sod}, {@code stage}, {@code online}, {@code custom}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The environment with this configuration name (exact, lower case). */
  public static Optional<Environment> byJsonName(String name) {
    return Arrays.stream(values()).filter(e -> e.jsonName().equals(name)).findFirst();
  }

  /** The login and state-API host as a URL without a trailing slash, e.g. {@code https://sod.superoffice.com}. */
  public Optional<String> authHost() {
    return Optional.ofNullable(authHost);
  }

  /** The state API's base URL, ending in a slash so a context identifier can be appended. */
  public Optional<String> stateApiBaseUrl() {
    return authHost().map(host -> host + "/api/state/");
  }

  /**
   * The federated-login certificate that signs this environment's notification tokens, as a
   * {@code webhook.certificates} entry: a resource inside the jar ({@code classpath:io/tenantwatch/certs/...}),
   * so it is found whatever the working directory.
   */
  public List<String> certificates() {
    return certificate == null ? List.of() : List.of(CertificateLocation.resource(certificate));
  }

  /** The issuers a notification token may carry: the auth host and SuperOffice's literal issuer. */
  public List<String> issuers() {
    return authHost == null ? List.of() : List.of(authHost, SUPEROFFICE_ISSUER);
  }
}
