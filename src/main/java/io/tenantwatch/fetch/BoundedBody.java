package io.tenantwatch.fetch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads an answer's body keeping at most {@code maxBytes}: past that it drops what it has and fails
 * with {@link TooLarge}, so a runaway server (the state API, a JWKS endpoint) cannot fill the engine's
 * memory. The caller resets the request to stop the rest from arriving; {@link BoundedExchange} does.
 */
public final class BoundedBody {

  /** The answer was larger than the limit; nothing of it was kept. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(int maxBytes) {
      super("the body is larger than " + maxBytes + " bytes", null, false, false);
    }
  }

  private final int maxBytes;
  private final Promise<Buffer> result = Promise.promise();
  private Buffer body = Buffer.buffer();

  private BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Completes with the whole body, or fails with {@link TooLarge} or the response's own failure. */
  public static Future<Buffer> read(HttpClientResponse response, int maxBytes) {
    BoundedBody reader = new BoundedBody(maxBytes);
    response.handler(reader::append);
    response.exceptionHandler(reader::fail);
    response.endHandler(v -> reader.end());
    return reader.result.future();
  }

  private void append(Buffer chunk) {
    if (body == null) {
      return;
    }
    if (body.length() + chunk.length() > maxBytes) {
      fail(new TooLarge(maxBytes));
      return;
    }
    body.appendBuffer(chunk);
  }

  private void fail(Throwable failure) {
    body = null;
    result.tryFail(failure);
  }

  private void end() {
    if (body != null) {
      result.tryComplete(body);
    }
  }
}
