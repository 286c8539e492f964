package io.tenantwatch.http;

/**
 * A refusal with its HTTP status, error code and a human sentence; routes {@code ctx.fail} it and
 * {@link ErrorResponses} writes it as {@code {"error","message"}}, with {@code Retry-After} when it
 * asks the client to try again later.
 */
public final class HttpError extends RuntimeException {
  private final int status;
  private final String code;
  /** Seconds for {@code Retry-After}, 0 for none. */
  private final long retryAfterSeconds;

  public HttpError(int status, String code, String message) {
    this(status, code, message, 0);
  }

  private HttpError(int status, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 503: what was asked for is there but cannot answer now; try again in {@code retryAfterSeconds} (at least 1). */
  public static HttpError unavailable(String code, String message, long retryAfterSeconds) {
    return new HttpError(503, code, message, Math.max(1, retryAfterSeconds));
  }

  /** The seconds a client is asked to wait ({@code Retry-After}), 0 when it is not asked to. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static HttpError badRequest(String code, String message) {
    return new HttpError(400, code, message);
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, "not-found", message);
  }
}
