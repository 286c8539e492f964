package io.tenantwatch.worker;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.function.Function;

/**
 * The shortest correct way to call a SuperOffice tenant from a worker: an HTTP client over Vert.x's
 * {@link WebClient} that calls each tenant through its {@link TenantGate}.
 *
 * <pre>{@code
 * TenantClient client = TenantClient.create(vertx, gate)
 *     .headers(ctx -> tokens.bearer(ctx).map(token -> MultiMap.caseInsensitiveMultiMap()
 *         .set("Authorization", "Bearer " + token)));
 * client.get(ctx, "/v1/Contact/1").onComplete(
 *     response -> ...,   // any status: a 421 or 5xx is also counted and reported to the engine
 *     failure -> ...);   // TenantClosed when the tenant is closed or draining: no request was made
 * }</pre>
 *
 * <p>Each request goes through {@link TenantGate#call}: it is refused with {@link TenantClosed}, without a request
 * being made (nor the headers hook called), when the tenant is closed; it goes to the tenant's current api, the
 * path joined to it with exactly one slash; it counts in flight, so a {@code pause} waits for it; and a 421, a
 * 502 to 504 or a failed connection is counted and reported to the engine, which polls the tenant at once. A
 * response is returned whatever its status: a 421 or 503 is the caller's to handle (usually: try later), and the
 * gate will close or move the tenant if the state API says so. The requests ask for JSON
 * ({@code Accept: application/json}) unless the headers say otherwise. Authentication is the caller's, through
 * {@link #headers}. May be used from any thread.
 */
public interface TenantClient {

  /** A client over a {@link WebClient} of its own with default options, closed by {@link #close()}. */
  static TenantClient create(Vertx vertx, TenantGate gate) {
    return new GatedWebClient(WebClient.create(vertx), true, gate);
  }

  /** A client over the caller's {@link WebClient} (its timeouts, TLS and pool), which {@link #close()} leaves open. */
  static TenantClient create(WebClient client, TenantGate gate) {
    return new GatedWebClient(client, false, gate);
  }

  /**
   * Sets the hook that gives each request its headers (typically {@code Authorization}), given the tenant's context
   * identifier; it runs for every request let through, after the gate's check. Its headers replace the client's
   * own of the same name. A failed hook fails the request, which is then not sent. Set it before use.
   *
   * @return this client
   */
  TenantClient headers(Function<String, Future<MultiMap>> headers);

  /** {@code GET <api>/<path>}; the path is relative to the tenant's api base, such as {@code /v1/Contact/1}. */
  Future<HttpResponse<Buffer>> get(String ctx, String path);

  Future<HttpResponse<Buffer>> post(String ctx, String path, Buffer body);

  /** Sends the JSON body with {@code Content-Type: application/json}. */
  Future<HttpResponse<Buffer>> post(String ctx, String path, JsonObject body);

  Future<HttpResponse<Buffer>> put(String ctx, String path, Buffer body);

  Future<HttpResponse<Buffer>> put(String ctx, String path, JsonObject body);

  Future<HttpResponse<Buffer>> patch(String ctx, String path, Buffer body);

  Future<HttpResponse<Buffer>> patch(String ctx, String path, JsonObject body);

  Future<HttpResponse<Buffer>> delete(String ctx, String path);

  /** Closes the client's own {@link WebClient}; one given to {@link #create(WebClient, TenantGate)} stays open. */
  void close();
}
