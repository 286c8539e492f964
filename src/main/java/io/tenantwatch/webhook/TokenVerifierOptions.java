package io.tenantwatch.webhook;

import io.tenantwatch.config.WebhookOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link TokenVerifier} trusts and checks.
 *
 * @param certificatePaths {@code webhook.certificates} entries: PEM files or {@code classpath:} resources
 *     (see {@link io.tenantwatch.config.CertificateLocation}), each holding X.509 certificates ({@code BEGIN CERTIFICATE}) or
 *     public keys ({@code BEGIN PUBLIC KEY}); several files (or blocks) are all trusted at once, which is
 *     how a key rotation is ridden out
 * @param extraPublicKeysPem further keys as PEM text, e.g. the simulator's own key
 * @param jwksUrl a JWKS to fetch more keys from on demand, null for none
 * @param issuers the accepted {@code iss} values; an empty list refuses every token
 * @param audience the {@code aud} a token must carry, null to not check it
 * @param requireTenantClaim whether a token without the {@code ctx} claim is refused (a present claim
 *     must always match the notification's ContextIdentifier)
 * @param clockSkewSeconds how far {@code exp}, {@code nbf} and {@code iat} may be off; not negative
 * @param clock the time tokens are judged at
 */
public record TokenVerifierOptions(
    List<String> certificatePaths,
    List<String> extraPublicKeysPem,
    String jwksUrl,
    List<String> issuers,
    String audience,
    boolean requireTenantClaim,
    int clockSkewSeconds,
    Clock clock) {

  public TokenVerifierOptions {
    certificatePaths = certificatePaths == null ? List.of() : List.copyOf(certificatePaths);
    extraPublicKeysPem = extraPublicKeysPem == null ? List.of() : List.copyOf(extraPublicKeysPem);
    issuers = issuers == null ? List.of() : List.copyOf(issuers);
    if (clockSkewSeconds < 0) {
      throw new IllegalArgumentException("clockSkewSeconds must not be negative, got " + clockSkewSeconds);
    }
    clock = clock == null ? Clock.systemUTC() : clock;
  }

  /**
   * The verifier the {@code webhook} config section describes, trusting {@code extraPublicKeysPem} and
   * {@code extraIssuers} too (the simulator's key and issuer, while it runs).
   */
  public static TokenVerifierOptions from(WebhookOptions webhook, List<String> extraPublicKeysPem,
      List<String> extraIssuers, Clock clock) {
    List<String> issuers = new ArrayList<>(webhook.issuers());
    issuers.addAll(extraIssuers);
    return new TokenVerifierOptions(webhook.certificates(), extraPublicKeysPem, webhook.jwksUrl(), issuers,
        webhook.audience(), webhook.requireTenantClaim(), webhook.clockSkewSeconds(), clock);
  }
}
