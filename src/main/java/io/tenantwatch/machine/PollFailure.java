package io.tenantwatch.machine;

import java.time.Duration;

/**
 * A failed poll.
 *
 * @param kind the classification
 * @param detail a short human sentence (never a body or a token)
 * @param httpStatus the status for {@link FailureKind#HTTP_STATUS}, 0 otherwise
 * @param retryAfter the server's {@code Retry-After}, null when it sent none
 */
public record PollFailure(FailureKind kind, String detail, int httpStatus, Duration retryAfter) {

  public static PollFailure of(FailureKind kind, String detail) {
    return new PollFailure(kind, detail, 0, null);
  }

  /** The text shown as a tenant's {@code lastError}. */
  public String describe() {
    return kind.wireName() + ": " + detail;
  }
}
