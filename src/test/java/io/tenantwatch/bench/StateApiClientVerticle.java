package io.tenantwatch.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * What the poll benchmark's baselines share: a plain {@link WebClient} on the verticle's event loop,
 * {@code concurrency} kept-alive connections to the state API, and a GET of one tenant's state.
 */
abstract class StateApiClientVerticle extends VerticleBase {
  private final String baseUrl;
  private final int concurrency;
  private WebClient client;

  StateApiClientVerticle(String baseUrl, int concurrency) {
    this.baseUrl = baseUrl;
    this.concurrency = concurrency;
  }

  @Override
  public final Future<?> start() {
    client = WebClient.create(vertx, new WebClientOptions(new HttpClientOptions().setKeepAlive(true)),
        new PoolOptions().setHttp1MaxSize(concurrency));
    return ready();
  }

  /** What the baseline sets up once its client is there; nothing by default. */
  Future<?> ready() {
    return Future.succeededFuture();
  }

  @Override
  public final Future<?> stop() {
    client.close();
    return Future.succeededFuture();
  }

  int concurrency() {
    return concurrency;
  }

  /** The state API's answer for {@code tenant}. */
  Future<HttpResponse<Buffer>> get(String tenant) {
    return client.getAbs(baseUrl + tenant).send();
  }
}
