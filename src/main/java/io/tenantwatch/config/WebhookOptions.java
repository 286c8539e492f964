package io.tenantwatch.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code webhook} section: where SuperOffice's state-change notifications arrive and how their
 * tokens are checked. Certificates and issuers the file leaves out come from the {@link Environment}.
 *
 * @param path the route on the public listener, starting with a slash
 * @param certificates PEM files whose keys may sign a token, or class-path resources named
 *     {@code classpath:...} (see {@link CertificateLocation}); whether they exist is checked when the
 *     engine starts, which fails with a {@link ConfigException} naming the key and the entry
 * @param jwksUrl a JWKS URL to fetch further keys from, null for none
 * @param issuers the accepted {@code iss} values; an empty list accepts no token
 * @param audience the required {@code aud}, null to not check it
 * @param requireTenantClaim whether a token without the {@code ctx} claim is refused (when present, the
 *     claim must always match the body)
 * @param clockSkewSeconds how far {@code exp} and {@code nbf} may be off
 * @param maxBodyBytes larger bodies are answered 413
 * @param watchUnknownTenants whether a notification for a tenant not yet watched starts watching it
 */
public record WebhookOptions(
    String path,
    List<String> certificates,
    String jwksUrl,
    List<String> issuers,
    String audience,
    boolean requireTenantClaim,
    int clockSkewSeconds,
    int maxBodyBytes,
    boolean watchUnknownTenants) {

  /** The key of the certificates, as failures name it. */
  public static final String CERTIFICATES_KEY = "webhook.certificates";
  /** The key of the JWKS URL, as failures name it. */
  public static final String JWKS_URL_KEY = "webhook.jwksUrl";

  public static final String DEFAULT_PATH = "/superoffice/state-change";
  public static final String DEFAULT_JWKS_URL = null;
  public static final String DEFAULT_AUDIENCE = null;
  public static final boolean DEFAULT_REQUIRE_TENANT_CLAIM = false;
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 60;
  public static final int MAX_CLOCK_SKEW_SECONDS = 600;
  public static final int DEFAULT_MAX_BODY_BYTES = 16_384;
  public static final int MAX_BODY_BYTES_LIMIT = 1_048_576;
  public static final boolean DEFAULT_WATCH_UNKNOWN_TENANTS = true;

  public WebhookOptions {
    certificates = List.copyOf(certificates);
    issuers = List.copyOf(issuers);
  }

  /** Every key at its default, certificates and issuers from the environment. */
  public static WebhookOptions defaults(Environment environment) {
    return fromJson(new JsonObject(), environment);
  }

  /** Reads and checks the section; certificates and issuers not given come from {@code environment}. */
  public static WebhookOptions fromJson(JsonObject json, Environment environment) {
    return read(ConfigSection.at(json, "webhook"), environment);
  }

  static WebhookOptions read(ConfigSection section, Environment environment) {
    String path = section.text("path", DEFAULT_PATH);
    if (!path.startsWith("/")) {
      throw section.invalid("path", "a path starting with \"/\"", path);
    }
    List<String> certificates = section.textList("certificates", CertificateLocation::isValid,
        "a file path or classpath:<resource>");
    String jwksUrl = section.httpUrl("jwksUrl", DEFAULT_JWKS_URL);
    List<String> issuers = section.textList("issuers", issuer -> true, "a non-empty string");
    String audience = section.text("audience", DEFAULT_AUDIENCE);
    boolean requireTenantClaim = section.bool("requireTenantClaim", DEFAULT_REQUIRE_TENANT_CLAIM);
    int clockSkew = section.integer("clockSkewSeconds", DEFAULT_CLOCK_SKEW_SECONDS, 0, MAX_CLOCK_SKEW_SECONDS);
    int maxBody = section.integer("maxBodyBytes", DEFAULT_MAX_BODY_BYTES, 1, MAX_BODY_BYTES_LIMIT);
    boolean watchUnknown = section.bool("watchUnknownTenants", DEFAULT_WATCH_UNKNOWN_TENANTS);
    section.rejectUnknownKeys();
    return new WebhookOptions(path,
        certificates != null ? certificates : environment.certificates(),
        jwksUrl,
        issuers != null ? issuers : environment.issuers(),
        audience, requireTenantClaim, clockSkew, maxBody, watchUnknown);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("path", path)
        .put("certificates", new JsonArray(new ArrayList<>(certificates)))
        .put("jwksUrl", jwksUrl)
        .put("issuers", new JsonArray(new ArrayList<>(issuers)))
        .put("audience", audience)
        .put("requireTenantClaim", requireTenantClaim)
        .put("clockSkewSeconds", clockSkewSeconds)
        .put("maxBodyBytes", maxBodyBytes)
        .put("watchUnknownTenants", watchUnknownTenants);
  }

  public Duration clockSkew() {
    return Duration.ofSeconds(clockSkewSeconds);
  }
}
