package io.tenantwatch.machine;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.TenantStatus;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * One move of a generated history, as the world makes it: time passes, a poll answers, SuperOffice
 * notifies, an operator acts, a timer fires. Moves are data relative to the moment they run (a
 * {@code ValidUntil} "ten minutes ahead", "the armed poll timer, three seconds late"), so a history keeps
 * its meaning when the shrinker drops some of its moves. {@link HistoryRunner} turns them into machine
 * events.
 */
sealed interface HistoryMove {

  /** The tenant's verticle (re)started. */
  record Start() implements HistoryMove {
    @Override
    public String toString() {
      return "start";
    }
  }

  /** The clock jumps forward; no event. */
  record Advance(long millis) implements HistoryMove {
    @Override
    public String toString() {
      return "clock +" + HistoryTrace.duration(millis);
    }
  }

  /**
   * The state API answered with a usable body.
   *
   * @param state the {@code State} value as sent: a name (known, unknown, odd case) or an integer
   * @param isRunning the {@code IsRunning} field, null when the body has none
   * @param endpointHost the host of {@code Endpoint}, null for a null endpoint
   * @param apiHost the host of {@code Api}, null for a null api
   * @param validInMillis {@code ValidUntil} relative to the moment of the answer (may be in the past)
   * @param draw the machine's random draw for the jitter, in [0, 1)
   */
  record PollOk(Object state, Boolean isRunning, String endpointHost, String apiHost, long validInMillis,
      double draw) implements HistoryMove {

    /** The body as the state API would send it, read by the engine's own parser. */
    TenantStatus status(Instant now) {
      JsonObject body = new JsonObject()
          .put("ContextIdentifier", MachineFixtures.TENANT)
          .put("Endpoint", url(endpointHost, ""))
          .put("State", state)
          .put("ValidUntil", TenantStatus.formatValidUntil(now.plusMillis(validInMillis)))
          .put("Api", url(apiHost, "/api"))
          .put("Version", "Release_11.10");
      if (isRunning != null) {
        body.put("IsRunning", isRunning);
      }
      try {
        return TenantStatus.fromJson(body);
      } catch (StatusParseException e) {
        throw new IllegalStateException("the generator made a body the parser refuses: " + body, e);
      }
    }

    private static String url(String host, String suffix) {
      return host == null ? null : "https://" + host + ":443/" + MachineFixtures.TENANT + suffix;
    }

    @Override
    public String toString() {
      String stateText = state instanceof String ? "\"" + state + "\"" : String.valueOf(state);
      return "poll ok State=" + stateText + " IsRunning=" + (isRunning == null ? "absent" : isRunning)
          + " at " + endpointHost + (apiHost == null || !apiHost.equals(endpointHost) ? " api " + apiHost : "")
          + " ValidUntil " + (validInMillis < 0 ? "-" + HistoryTrace.duration(-validInMillis)
              : "+" + HistoryTrace.duration(validInMillis))
          + " draw " + draw;
    }
  }

  /**
   * A poll failed.
   *
   * @param retryAfterMillis the server's {@code Retry-After}, null when it sent none
   */
  record PollError(FailureKind kind, int httpStatus, Long retryAfterMillis, double draw) implements HistoryMove {

    PollFailure failure() {
      Duration retryAfter = retryAfterMillis == null ? null : Duration.ofMillis(retryAfterMillis);
      return new PollFailure(kind, "generated", httpStatus, retryAfter);
    }

    @Override
    public String toString() {
      return "poll failed " + kind.wireName() + (httpStatus == 0 ? "" : " " + httpStatus)
          + (retryAfterMillis == null ? "" : " Retry-After " + HistoryTrace.duration(retryAfterMillis))
          + " draw " + draw;
    }
  }

  /** A verified notification; {@code publicEndpoint} may be null. */
  record Notify(int changeType, String publicEndpoint) implements HistoryMove {

    ChangeType type() {
      return ChangeType.of(changeType);
    }

    @Override
    public String toString() {
      return "notification " + type().label()
          + (publicEndpoint == null ? "" : " PublicEndpoint \"" + publicEndpoint + "\"");
    }
  }

  /**
   * A worker reported a symptom, naming the api it called: the tenant's current one (as the last poll said, none
   * before the first), one the tenant has left, or none.
   */
  record Report(Symptom symptom, ReportedApi api) implements HistoryMove {
    /** Which api the report names, relative to the tenant's. */
    enum ReportedApi { CURRENT, OLD, NONE }

    /** A host no generated poll answers with: an api the tenant is not at (any more). */
    static final String OLD_API = "https://old.superoffice.com:443/" + MachineFixtures.TENANT + "/api";

    /** The api the report names, for a tenant whose last poll said {@code currentApi}. */
    String apiFor(String currentApi) {
      return switch (api) {
        case CURRENT -> currentApi;
        case OLD -> OLD_API;
        case NONE -> null;
      };
    }

    @Override
    public String toString() {
      return "worker reports " + symptom.wireName() + " about " + api.name().toLowerCase(java.util.Locale.ROOT)
          + " api";
    }
  }

  /** An operator forced a poll: of this tenant ({@code single}) or of every tenant. */
  record Force(boolean single) implements HistoryMove {
    @Override
    public String toString() {
      return single ? "admin poll (single)" : "admin re-poll of all";
    }
  }

  /**
   * The poll timer fires {@code lateMillis} after the instant it was armed for (the clock moves there if
   * it is not past it yet); with no timer armed, a stale or repeated firing happens now.
   */
  record FirePollTimer(long lateMillis) implements HistoryMove {
    @Override
    public String toString() {
      return "poll timer fires" + (lateMillis == 0 ? "" : " " + HistoryTrace.duration(lateMillis) + " late");
    }
  }

  /**
   * The hold timer fires {@code offsetMillis} after the instant it was armed for (negative: early, as far
   * as the clock allows); with no timer armed, a stale or repeated firing happens now.
   */
  record FireHoldTimer(long offsetMillis) implements HistoryMove {
    @Override
    public String toString() {
      String offset = offsetMillis == 0 ? "" : offsetMillis < 0
          ? " " + HistoryTrace.duration(-offsetMillis) + " early" : " " + HistoryTrace.duration(offsetMillis) + " late";
      return "hold timer fires" + offset;
    }
  }

  /** An operator stopped watching the tenant. */
  record Unwatch() implements HistoryMove {
    @Override
    public String toString() {
      return "unwatch";
    }
  }
}
