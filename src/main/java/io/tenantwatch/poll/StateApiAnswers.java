package io.tenantwatch.poll;

import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.machine.FailureKind;
import io.tenantwatch.machine.PollFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Instant;
import io.tenantwatch.fetch.BoundedBody;
import io.tenantwatch.fetch.BoundedExchange;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what the state API did into a {@link PollResult}: the parsed status, or a failure classified as
 * R7 lists them. Details are short sentences of our own; a body is never quoted.
 */
final class StateApiAnswers {

  private StateApiAnswers() {
  }

  /** An answer that arrived: judged by status, then by body. */
  static PollResult fromAnswer(String ctx, int httpStatus, String retryAfter, Buffer body, Instant now) {
    if (httpStatus < 200 || httpStatus > 299) {
      return PollResult.failure(ctx, new PollFailure(FailureKind.HTTP_STATUS, "HTTP " + httpStatus, httpStatus,
          RetryAfter.parse(retryAfter, now)));
    }
    TenantStatus status;
    try {
      status = TenantStatus.parse(body);
    } catch (StatusParseException e) {
      // The parser's messages name the field and the fault and never carry the value.
      return PollResult.failure(ctx, PollFailure.of(FailureKind.UNPARSEABLE, e.getMessage()));
    }
    if (!status.contextIdentifier().equalsIgnoreCase(ctx)) {
      return PollResult.failure(ctx, PollFailure.of(FailureKind.WRONG_TENANT,
          "the body is for " + status.contextIdentifier()));
    }
    return PollResult.success(ctx, status);
  }

  /** A poll that got no usable answer. */
  static PollResult fromError(String ctx, Throwable error, long timeoutMs) {
    return PollResult.failure(ctx, classify(error, timeoutMs));
  }

  private static PollFailure classify(Throwable error, long timeoutMs) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof BoundedExchange.NotSent) {
        return PollFailure.of(FailureKind.CONNECTION, "not sent: this node no longer runs the tenant");
      }
      if (cause instanceof BoundedBody.TooLarge) {
        return PollFailure.of(FailureKind.UNPARSEABLE, cause.getMessage());
      }
      if (cause instanceof BoundedExchange.DeadlinePassed || cause instanceof TimeoutException
          || cause instanceof io.netty.channel.ConnectTimeoutException) {
        return timeout(timeoutMs);
      }
      if (cause instanceof UnknownHostException) {
        return PollFailure.of(FailureKind.CONNECTION, "the state API's host name does not resolve");
      }
      if (cause instanceof ConnectException) {
        return PollFailure.of(FailureKind.CONNECTION, "the connection was refused");
      }
      if (cause instanceof HttpClosedException) {
        return PollFailure.of(FailureKind.CONNECTION, "the connection closed before the answer was complete");
      }
      if (cause instanceof SSLException) {
        return PollFailure.of(FailureKind.CONNECTION, "the TLS handshake failed");
      }
    }
    return PollFailure.of(FailureKind.CONNECTION, "the request failed (" + error.getClass().getSimpleName() + ")");
  }

  private static PollFailure timeout(long timeoutMs) {
    return PollFailure.of(FailureKind.TIMEOUT, "no answer within " + timeoutMs + " ms");
  }
}
