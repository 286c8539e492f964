package io.tenantwatch.worker;

import io.netty.channel.ConnectTimeoutException;
import io.tenantwatch.domain.Symptom;
import io.vertx.core.AsyncResult;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * How a call through {@link TenantGate#call} failed at the tenant, as the gate counts it ({@link CallCounts}) and
 * names it in {@code tenantwatch_worker_calls_total}'s {@code outcome} ({@code failed-<wireName>}). A call that
 * failed for any other reason (a 404, the worker's own error) did not fail at the tenant and is not counted here.
 */
public enum CallFailure {
  /** 421 "Wrong subdomain used to access tenant": the tenant has moved. */
  STATUS_421("421"),
  STATUS_502("502"),
  STATUS_503("503"),
  STATUS_504("504"),
  /** Any other 5xx: the tenant answered, with a server error that says nothing about where it is. */
  OTHER_5XX("5xx"),
  /** No answer: the connection was refused, not made in time, or closed before the response. */
  CONNECTION("connection");

  /** Whether vertx-web-client is on the classpath (a worker-only node may leave it out). */
  private static final boolean WEB_CLIENT_PRESENT = webClientPresent();

  /** The message Vert.x gives a connection closed under a request. */
  private static final String CONNECTION_CLOSED = "Connection was closed";
  /** How deep a failure's causes are searched for a connection failure. */
  private static final int MAX_CAUSES = 8;

  private final String wireName;

  CallFailure(String wireName) {
    this.wireName = wireName;
  }

  /** {@code 421}, {@code 502}, {@code 503}, {@code 504}, {@code 5xx} or {@code connection}. */
  public String wireName() {
    return wireName;
  }

  /** The failure an HTTP status shows: 421 and 5xx; empty for any other. */
  public static Optional<CallFailure> ofStatus(int status) {
    return switch (status) {
      case 421 -> Optional.of(STATUS_421);
      case 502 -> Optional.of(STATUS_502);
      case 503 -> Optional.of(STATUS_503);
      case 504 -> Optional.of(STATUS_504);
      default -> status >= 500 && status <= 599 ? Optional.of(OTHER_5XX) : Optional.empty();
    };
  }

  /**
   * Whether a call's failure is the connection's, not the tenant's answer: the one list of such failures, searched
   * through the failure's causes.
   */
  public static boolean isConnectionFailure(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
          || cause instanceof ClosedChannelException || cause instanceof HttpClosedException
          || (cause instanceof VertxException && CONNECTION_CLOSED.equals(cause.getMessage()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a finished call shows about its tenant: a failed connection, a {@link TenantCallFailed}, or a response
   * ({@link HttpResponse} or {@link HttpClientResponse}) with a 421 or 5xx status. Empty for anything else.
   */
  static Optional<Seen> seenIn(AsyncResult<?> outcome) {
    if (outcome.failed()) {
      if (outcome.cause() instanceof TenantCallFailed failed) {
        return Seen.ofStatus(failed.status());
      }
      return isConnectionFailure(outcome.cause()) ? Optional.of(new Seen(CONNECTION, 0)) : Optional.empty();
    }
    Object result = outcome.result();
    if (result instanceof HttpClientResponse response) {
      return Seen.ofStatus(response.statusCode());
    }
    if (WEB_CLIENT_PRESENT && WebClientResponse.is(result)) {
      return Seen.ofStatus(WebClientResponse.status(result));
    }
    return Optional.empty();
  }

  private static boolean webClientPresent() {
    try {
      Class.forName("io.vertx.ext.web.client.HttpResponse", false, CallFailure.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Vert.x WebClient's response, looked at only when vertx-web-client is on the classpath: a worker-only node
   * without it calls through {@code gate.call} all the same (this class is loaded only once it is known present).
   */
  private static final class WebClientResponse {
    static boolean is(Object result) {
      return result instanceof HttpResponse<?>;
    }

    static int status(Object result) {
      return ((HttpResponse<?>) result).statusCode();
    }
  }

  /** A failure at the tenant and the status that showed it (0 for a connection failure). */
  record Seen(CallFailure failure, int status) {
    static Optional<Seen> ofStatus(int status) {
      return CallFailure.ofStatus(status).map(failure -> new Seen(failure, status));
    }

    /** The symptom to report, if the failure shows one (not for an {@link #OTHER_5XX}). */
    Optional<Symptom> symptom() {
      return failure == CONNECTION ? Optional.of(Symptom.UNREACHABLE) : Symptom.ofStatus(status);
    }
  }
}
