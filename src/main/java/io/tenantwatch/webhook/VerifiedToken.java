package io.tenantwatch.webhook;

import java.time.Instant;

/**
 * A notification token whose signature, times, issuer, audience and tenant all checked out.
 *
 * @param id a stable id for recognising a replay: the {@code jti} claim when the token has a usable one,
 *     else the SHA-256 of the whole token in lower-case hex. A replay cache keeps it until
 *     {@code expiresAt} plus the clock skew: after that the token is refused as expired anyway.
 * @param expiresAt the token's {@code exp}
 * @param issuer the token's {@code iss}, one of the accepted issuers
 * @param tenantClaim the token's {@code ctx} claim, null when it has none
 */
public record VerifiedToken(String id, Instant expiresAt, String issuer, String tenantClaim) {
}
