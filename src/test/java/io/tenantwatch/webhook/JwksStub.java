package io.tenantwatch.webhook;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on 127.0.0.1 whose answer the test changes, counting the requests it gets. */
final class JwksStub {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
  private volatile Handler<HttpServerRequest> answer = request -> request.response().setStatusCode(404).end();
  private volatile Promise<Void> nextRequest = Promise.promise();

  private JwksStub(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  static Future<JwksStub> start(Vertx vertx) {
    JwksStub stub = new JwksStub(vertx);
    return stub.server.listen(0, "127.0.0.1").map(stub);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/login/.well-known/jwks";
  }

  int requests() {
    return requests.get();
  }

  /** Completes when the next request arrives. */
  Future<Void> nextRequest() {
    return nextRequest.future();
  }

  JwksStub serve(JsonObject jwks) {
    return answer(request -> request.response().putHeader("Content-Type", "application/json").end(jwks.encode()));
  }

  JwksStub serve(int status, String body) {
    return answer(request -> request.response().setStatusCode(status).end(body));
  }

  /** Accepts requests and never answers them. */
  JwksStub hang() {
    return answer(request -> { });
  }

  /** Keeps requests waiting until {@link #release} answers them. */
  JwksStub hold() {
    return answer(held::add);
  }

  /** Answers every held request with {@code jwks}, and later ones too. */
  void release(JsonObject jwks) {
    serve(jwks);
    HttpServerRequest request;
    while ((request = held.poll()) != null) {
      request.response().putHeader("Content-Type", "application/json").end(jwks.encode());
    }
  }

  JwksStub answer(Handler<HttpServerRequest> answer) {
    this.answer = answer;
    return this;
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    Promise<Void> arrived = nextRequest;
    nextRequest = Promise.promise();
    answer.handle(request);
    arrived.tryComplete();
  }

  static JsonObject jwks(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(Arrays.asList((Object[]) keys)));
  }

  /** The signer's key as n/e. */
  static JsonObject modulusKey(TestTokens signer) {
    RSAPublicKey key = (RSAPublicKey) signer.keyPair().getPublic();
    return new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256")
        .put("n", base64url(key.getModulus())).put("e", base64url(key.getPublicExponent()));
  }

  /** The signer's certificate as x5c (and no n/e). */
  static JsonObject certificateKey(TestTokens signer) {
    try {
      return new JsonObject().put("kty", "RSA").put("use", "sig")
          .put("x5c", new JsonArray().add(Base64.getEncoder().encodeToString(signer.certificate().getEncoded())));
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
