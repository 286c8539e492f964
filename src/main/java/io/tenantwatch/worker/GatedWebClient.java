package io.tenantwatch.worker;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Objects;
import java.util.function.Function;

/** The {@link TenantClient} over a {@link WebClient}, every request through {@link TenantGate#call}. */
final class GatedWebClient implements TenantClient {
  private static final Function<String, Future<MultiMap>> NO_HEADERS =
      ctx -> Future.succeededFuture(MultiMap.caseInsensitiveMultiMap());

  private final WebClient client;
  private final boolean ownClient;
  private final TenantGate gate;
  private volatile Function<String, Future<MultiMap>> headers = NO_HEADERS;

  GatedWebClient(WebClient client, boolean ownClient, TenantGate gate) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownClient = ownClient;
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  @Override
  public TenantClient headers(Function<String, Future<MultiMap>> headers) {
    this.headers = Objects.requireNonNull(headers, "headers");
    return this;
  }

  @Override
  public Future<HttpResponse<Buffer>> get(String ctx, String path) {
    return request(ctx, HttpMethod.GET, path, HttpRequest::send);
  }

  @Override
  public Future<HttpResponse<Buffer>> post(String ctx, String path, Buffer body) {
    return request(ctx, HttpMethod.POST, path, request -> request.sendBuffer(body));
  }

  @Override
  public Future<HttpResponse<Buffer>> post(String ctx, String path, JsonObject body) {
    return request(ctx, HttpMethod.POST, path, request -> request.sendJsonObject(body));
  }

  @Override
  public Future<HttpResponse<Buffer>> put(String ctx, String path, Buffer body) {
    return request(ctx, HttpMethod.PUT, path, request -> request.sendBuffer(body));
  }

  @Override
  public Future<HttpResponse<Buffer>> put(String ctx, String path, JsonObject body) {
    return request(ctx, HttpMethod.PUT, path, request -> request.sendJsonObject(body));
  }

  @Override
  public Future<HttpResponse<Buffer>> patch(String ctx, String path, Buffer body) {
    return request(ctx, HttpMethod.PATCH, path, request -> request.sendBuffer(body));
  }

  @Override
  public Future<HttpResponse<Buffer>> patch(String ctx, String path, JsonObject body) {
    return request(ctx, HttpMethod.PATCH, path, request -> request.sendJsonObject(body));
  }

  @Override
  public Future<HttpResponse<Buffer>> delete(String ctx, String path) {
    return request(ctx, HttpMethod.DELETE, path, HttpRequest::send);
  }

  @Override
  public void close() {
    if (ownClient) {
      client.close();
    }
  }

  private Future<HttpResponse<Buffer>> request(String ctx, HttpMethod method, String path,
      Function<HttpRequest<Buffer>, Future<HttpResponse<Buffer>>> send) {
    String relative;
    try {
      relative = relative(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Function<String, Future<MultiMap>> hook = headers;
    return gate.call(ctx, api -> {
      if (api == null) {
        return Future.failedFuture(new IllegalStateException("the engine has given no api for " + ctx));
      }
      Future<MultiMap> own = hook.apply(ctx);
      if (own == null) {
        return Future.failedFuture(new IllegalStateException("the headers hook returned null instead of a future"));
      }
      return own.compose(extra -> {
        MultiMap merged = MultiMap.caseInsensitiveMultiMap().set(HttpHeaders.ACCEPT, "application/json");
        if (extra != null) {
          extra.names().forEach(name -> merged.set(name, extra.getAll(name)));
        }
        return send.apply(client.requestAbs(method, join(api, relative)).putHeaders(merged));
      });
    });
  }

  /**
   * A request path without its leading slashes.
   *
   * @throws IllegalArgumentException when it is null or a whole URL: a tenant's calls go where its gate says
   */
  static String relative(String path) {
    if (path == null) {
      throw new IllegalArgumentException("a tenant request needs a path such as /v1/Contact/1");
    }
    if (path.contains("://")) {
      throw new IllegalArgumentException("a tenant request takes a path relative to the tenant's api, such as "
          + "/v1/Contact/1, not a URL: " + path);
    }
    int start = 0;
    while (start < path.length() && path.charAt(start) == '/') {
      start++;
    }
    return path.substring(start);
  }

  /** The api base and a relative path, with exactly one slash between them. */
  static String join(String api, String relative) {
    int end = api.length();
    while (end > 0 && api.charAt(end - 1) == '/') {
      end--;
    }
    return api.substring(0, end) + "/" + relative;
  }
}
