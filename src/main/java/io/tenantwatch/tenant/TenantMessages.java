package io.tenantwatch.tenant;

import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.SymptomReport;
import io.tenantwatch.machine.PollFailure;
import io.tenantwatch.machine.ReportOutcome;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The message types a tenant verticle takes on {@code tenantwatch.tenant.<ctx>}, and their bodies. */
public final class TenantMessages {
  /** A verified notification: {@code {"type":"notification","notification":{...}}}. */
  public static final String NOTIFICATION = "notification";
  /**
   * A worker's symptom report ({@link SymptomReport}): {@code {"type":"report","report":{...}}}; answered
   * {@code {"tenant","poll":"started"|"deduplicated"|"ignored"}} (contracts.md, "Symptom reports").
   */
  public static final String REPORT = "report";
  /** Poll now and answer once the result is applied (R8). */
  public static final String POLL_NOW = "poll-now";
  /** Re-poll through the limiter at ordinary priority; answered at once. */
  public static final String REPOLL = "repoll";
  /** Answer with the view including history. */
  public static final String VIEW = "view";
  /** Send retire and stop; answered with the last view (the directory then undeploys the verticle). */
  public static final String UNWATCH = "unwatch";
  /**
   * The engine is stopping: arm no more timers (so no poll, hold end or watchdog fires any more);
   * answered {@code {"quiesced":true}} once every message sent to the tenant before it has been handled.
   */
  public static final String QUIESCE = "quiesce";

  private TenantMessages() {
  }

  public static JsonObject of(String type) {
    return new JsonObject().put("type", type);
  }

  /** A notification without a replay id (applied every time it arrives). */
  public static JsonObject notification(Notification notification) {
    return of(NOTIFICATION).put("notification", notification.toJson());
  }

  /**
   * A verified notification with the id that recognises a repeat of it until {@code rememberUntil};
   * answered {@code {"applied":bool}} (false for a repeat).
   */
  public static JsonObject notification(Notification notification, String replayId, Instant rememberUntil) {
    // Epoch milliseconds, not ISO text: formatting and parsing an instant cost more than the machine's step.
    return notification(notification).put("replayId", replayId).put("rememberUntilMs", rememberUntil.toEpochMilli());
  }

  /** A worker's symptom report, for the tenant it names. */
  public static JsonObject report(SymptomReport report) {
    return of(REPORT).put("report", report.toJson());
  }

  /** The answer to a report: the tenant and what became of the poll the report asked for. */
  static JsonObject reportAnswer(String tenant, ReportOutcome outcome) {
    return new JsonObject().put("tenant", tenant).put("poll", outcome.wireName());
  }

  /** The answer to poll-now: the view, and the failure when the poll failed. */
  static JsonObject pollAnswer(JsonObject view, PollFailure failure) {
    JsonObject answer = new JsonObject().put("view", view).put("ok", failure == null);
    if (failure != null) {
      answer.put("failure", new JsonObject().put("kind", failure.kind().wireName())
          .put("detail", failure.detail()).put("httpStatus", failure.httpStatus()));
    }
    return answer;
  }
}
