package io.tenantwatch.poll;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A body codec that keeps at most {@code maxBytes} of an answer: past that it drops what it has and
 * fails with {@link TooLarge}, so a runaway state API cannot fill the engine's memory.
 */
final class BoundedBody implements BodyCodec<Buffer> {

  /** The answer was larger than the limit; nothing of it was kept. */
  static final class TooLarge extends RuntimeException {
    TooLarge(int maxBytes) {
      super("the body is larger than " + maxBytes + " bytes", null, false, false);
    }
  }

  private final int maxBytes;

  BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public BodyStream<Buffer> stream() {
    return new Stream();
  }

  private final class Stream implements BodyStream<Buffer> {
    private final Promise<Buffer> result = Promise.promise();
    private Buffer body = Buffer.buffer();

    @Override
    public Future<Buffer> result() {
      return result.future();
    }

    @Override
    public void handle(Throwable failure) {
      body = null;
      result.tryFail(failure);
    }

    @Override
    public Future<Void> write(Buffer chunk) {
      if (body == null) {
        return result.future().mapEmpty();
      }
      if (body.length() + chunk.length() > maxBytes) {
        handle(new TooLarge(maxBytes));
        return result.future().mapEmpty();
      }
      body.appendBuffer(chunk);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      if (body != null) {
        result.tryComplete(body);
      }
      return result.future().mapEmpty();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
