package io.tenantwatch.http;

/**
 * A refusal with its HTTP status, error code and a human sentence; routes {@code ctx.fail} it and
 * {@link ErrorResponses} writes it as {@code {"error","message"}}.
 */
public final class HttpError extends RuntimeException {
  private final int status;
  private final String code;

  public HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
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
