package io.tenantwatch.webhook;

/**
 * Why a notification token was refused: a machine {@link #reason() code} for the error body and a human
 * sentence as the message. The message never quotes the token or any of its claims, so it may be logged
 * and sent back as it is.
 *
 * <p>Refusals are expected traffic, not bugs: they carry no stack trace.
 */
public final class TokenRejected extends RuntimeException {
  public static final String MISSING_TOKEN = "missing-token";
  public static final String NOT_A_JWT = "not-a-jwt";
  public static final String BAD_ALG = "bad-alg";
  public static final String UNKNOWN_KEY = "unknown-key";
  public static final String BAD_SIGNATURE = "bad-signature";
  public static final String EXPIRED = "expired";
  public static final String NOT_YET_VALID = "not-yet-valid";
  public static final String BAD_ISSUER = "bad-issuer";
  public static final String BAD_AUDIENCE = "bad-audience";
  public static final String TENANT_MISMATCH = "tenant-mismatch";
  public static final String MISSING_TENANT_CLAIM = "missing-tenant-claim";

  private final String reason;

  /**
   * @param reason one of the codes above
   * @param message a sentence for a human that does not quote the token
   */
  public TokenRejected(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** The machine code: one of the constants of this class. */
  public String reason() {
    return reason;
  }
}
