package io.tenantwatch.webhook;

import io.tenantwatch.config.ConfigException;
import io.tenantwatch.config.WebhookOptions;
import io.tenantwatch.fetch.HttpUrl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the {@code Token} of SuperOffice's state-change notifications: RS256 only, signed by a pinned
 * key (certificates or public keys given at start) or one published at the optional JWKS URL, within its
 * {@code nbf}/{@code exp} (with the configured clock skew), from an accepted issuer, for the configured
 * audience if any, and for the tenant the notification names.
 *
 * <p>The signature itself is checked by vertx-auth-jwt (see {@link TrustedKey}); this class chooses the
 * keys by the header's {@code kid} (a certificate thumbprint in hex, an {@code x5t}, a JWKS {@code kid};
 * without one every key is tried) and judges the claims against the injected {@link Clock}. A valid token
 * costs one RSA verification and no I/O. Thread-safe: the route may call {@link #verify} from any event loop.
 */
public final class TokenVerifier {
  /** The claim naming the tenant a token was issued for. */
  public static final String TENANT_CLAIM = "http://schemes.superoffice.net/identity/ctx";
  /** A longer {@code jti} is not used as the replay id (the token's hash is), to keep ids small. */
  static final int MAX_JTI_LENGTH = 200;

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

  private final TokenVerifierOptions options;
  private final Clock clock;
  private final KeySet pinned;
  private final JwksSource jwks;

  private TokenVerifier(Vertx vertx, TokenVerifierOptions options, KeySet pinned, Duration jwksTimeout) {
    this.options = options;
    this.clock = options.clock();
    this.pinned = pinned;
    this.jwks = options.jwksUrl() == null ? null
        : new JwksSource(vertx, options.jwksUrl(), jwksTimeout, clock, pinned);
  }

  /**
   * Builds a verifier: reads and parses the pinned keys now, fetches nothing yet. A certificate entry
   * that cannot be read or used (not PEM, not RSA, too small a key) or a JWKS URL that is not http(s)
   * fails the future with a {@link ConfigException} naming the key ({@code webhook.certificates},
   * {@code webhook.jwksUrl}) and the value; an extra key that cannot be used (not configuration, the
   * simulator's) fails it with an {@link IllegalArgumentException} naming that key.
   */
  public static Future<TokenVerifier> create(Vertx vertx, TokenVerifierOptions options) {
    return create(vertx, options, JwksSource.DEFAULT_TIMEOUT);
  }

  /** As {@link #create(Vertx, TokenVerifierOptions)}, with another JWKS timeout (tests). */
  static Future<TokenVerifier> create(Vertx vertx, TokenVerifierOptions options, Duration jwksTimeout) {
    if (options.jwksUrl() != null && !HttpUrl.isValid(options.jwksUrl())) {
      return Future.failedFuture(ConfigException.invalid(WebhookOptions.JWKS_URL_KEY,
          "an absolute http or https URL", options.jwksUrl()));
    }
    List<Future<List<TrustedKey>>> loads = new ArrayList<>();
    for (String entry : options.certificatePaths()) {
      loads.add(CertificateText.read(vertx, entry).map(pem -> {
        try {
          return PemBlocks.trustedKeys(pem, entry);
        } catch (IllegalArgumentException e) {
          throw ConfigException.of(WebhookOptions.CERTIFICATES_KEY,
              CertificateText.described(entry) + " cannot be used: " + e.getMessage(), e);
        }
      }));
    }
    for (int i = 0; i < options.extraPublicKeysPem().size(); i++) {
      String origin = "extra public key " + (i + 1);
      String pem = options.extraPublicKeysPem().get(i);
      loads.add(Future.succeededFuture(pem == null ? "" : pem)
          .map(text -> parse(text, "the webhook's " + origin, origin)));
    }
    return Future.all(loads).map(all -> {
      List<TrustedKey> keys = new ArrayList<>();
      for (Future<List<TrustedKey>> load : loads) {
        keys.addAll(load.result());
      }
      TokenVerifier verifier = new TokenVerifier(vertx, options, new KeySet(keys), jwksTimeout);
      LOG.info("webhook tokens: pinned keys {}, JWKS {}, issuers {}", keys,
          options.jwksUrl() == null ? "none" : options.jwksUrl(), options.issuers());
      return verifier;
    });
  }

  /**
   * Verifies a notification token for the tenant the notification names. Succeeds with what the token
   * says; fails with a {@link TokenRejected} whose message never quotes the token. Never throws. Only a
   * token whose key is not known yet waits, for one (rate-limited) JWKS fetch.
   */
  public Future<VerifiedToken> verify(String token, String contextIdentifier) {
    try {
      UnverifiedToken unverified = UnverifiedToken.parse(token);
      if (jwks != null) {
        jwks.refreshIfStale();
      }
      return findSigner(unverified).map(signer -> checkClaims(unverified, contextIdentifier));
    } catch (TokenRejected rejected) {
      return Future.failedFuture(rejected);
    } catch (RuntimeException unexpected) {
      // The route's contract is "fails with TokenRejected"; a bug here must not become a thrown 500.
      LOG.error("a notification token could not be verified", unexpected);
      return Future.failedFuture(new TokenRejected(TokenRejected.BAD_SIGNATURE, "the token could not be verified"));
    }
  }

  /** Stops fetching the JWKS; tokens keep verifying against the keys already known. */
  public void close() {
    if (jwks != null) {
      jwks.close();
    }
  }

  /** The keys given at start (tests look at their names). */
  KeySet pinnedKeys() {
    return pinned;
  }

  private KeySet known() {
    return jwks == null ? pinned : jwks.keys();
  }

  private Future<TrustedKey> findSigner(UnverifiedToken token) {
    List<TrustedKey> first = known().candidates(token.kid());
    TrustedKey signer = signer(first, token);
    // The JWKS can only help with a key we have not got: a kid we do not know, or no kid at all.
    if (signer != null || jwks == null || (!first.isEmpty() && token.kid() != null)) {
      return signer != null ? Future.succeededFuture(signer) : Future.failedFuture(notSigned(first, token));
    }
    return onCallerContext(jwks.refresh()).compose(refreshed -> {
      List<TrustedKey> more = new ArrayList<>(known().candidates(token.kid()));
      more.removeAll(first);
      TrustedKey late = signer(more, token);
      return late != null ? Future.succeededFuture(late)
          : Future.failedFuture(notSigned(more.isEmpty() ? first : more, token));
    });
  }

  /** The first of {@code candidates} whose signature the token carries; null when none. */
  private static TrustedKey signer(List<TrustedKey> candidates, UnverifiedToken token) {
    for (TrustedKey key : candidates) {
      if (key.signed(token)) {
        return key;
      }
    }
    return null;
  }

  /** Why a token signed by none of {@code candidates} is refused. */
  private static TokenRejected notSigned(List<TrustedKey> candidates, UnverifiedToken token) {
    if (candidates.isEmpty()) {
      return new TokenRejected(TokenRejected.UNKNOWN_KEY, token.kid() == null
          ? "no key is trusted to sign notification tokens"
          : "the token names a signing key (kid) that is not trusted");
    }
    return new TokenRejected(TokenRejected.BAD_SIGNATURE, token.kid() == null
        ? "the token's signature matches none of the trusted keys"
        : "the token's signature does not match the key its kid names");
  }

  /** Judges the claims of a token whose signature is good. */
  private VerifiedToken checkClaims(UnverifiedToken token, String contextIdentifier) {
    Instant now = clock.instant();
    long skew = options.clockSkewSeconds();
    Instant expiresAt = token.date("exp");
    if (expiresAt == null) {
      throw new TokenRejected(TokenRejected.EXPIRED, "the token has no expiry");
    }
    if (!now.isBefore(expiresAt.plusSeconds(skew))) {
      throw new TokenRejected(TokenRejected.EXPIRED, "the token expired at " + expiresAt);
    }
    Instant notBefore = token.date("nbf");
    if (notBefore != null && now.isBefore(notBefore.minusSeconds(skew))) {
      throw new TokenRejected(TokenRejected.NOT_YET_VALID, "the token is not valid before " + notBefore);
    }
    Instant issuedAt = token.date("iat");
    if (issuedAt != null && now.isBefore(issuedAt.minusSeconds(skew))) {
      throw new TokenRejected(TokenRejected.NOT_YET_VALID, "the token says it was issued in the future, at " + issuedAt);
    }
    JsonObject claims = token.payload();
    if (!(claims.getValue("iss") instanceof String issuer) || !options.issuers().contains(issuer)) {
      throw new TokenRejected(TokenRejected.BAD_ISSUER, "the token's issuer is not one this engine accepts");
    }
    if (options.audience() != null && !isForAudience(claims.getValue("aud"), options.audience())) {
      throw new TokenRejected(TokenRejected.BAD_AUDIENCE, "the token is not meant for this engine's audience");
    }
    Object tenant = claims.getValue(TENANT_CLAIM);
    if (tenant == null && options.requireTenantClaim()) {
      throw new TokenRejected(TokenRejected.MISSING_TENANT_CLAIM, "the token does not name the tenant it is for");
    }
    if (tenant != null && !tenant.equals(contextIdentifier)) {
      throw new TokenRejected(TokenRejected.TENANT_MISMATCH, "the token was issued for another tenant");
    }
    return new VerifiedToken(replayId(token), expiresAt, issuer, (String) tenant);
  }

  private static boolean isForAudience(Object aud, String audience) {
    return audience.equals(aud) || (aud instanceof JsonArray list && list.contains(audience));
  }

  private static String replayId(UnverifiedToken token) {
    if (token.payload().getValue("jti") instanceof String jti && !jti.isEmpty() && jti.length() <= MAX_JTI_LENGTH) {
      return jti;
    }
    return HexFormat.of().formatHex(TrustedKey.digest("SHA-256", token.text().getBytes(StandardCharsets.US_ASCII)));
  }

  /** Parses PEM text into keys, refusing it with a sentence that names where it came from. */
  private static List<TrustedKey> parse(String pem, String described, String origin) {
    try {
      return PemBlocks.trustedKeys(pem, origin);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(described + " cannot be used: " + e.getMessage(), e);
    }
  }

  /**
   * A JWKS fetch completes on the event loop that started it; the route's continuation must run on its
   * own, so the result is handed back there.
   */
  private static <T> Future<T> onCallerContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null || future.isComplete()) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> caller.runOnContext(ignored -> promise.handle(result)));
    return promise.future();
  }
}
