package io.tenantwatch.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A worker's report of what it saw calling a tenant, as sent to {@code tenantwatch.report}
 * (contracts.md, "Symptom reports"): {@code {"tenant","symptom","status"?,"api"?,"worker"?}}.
 *
 * @param tenant the tenant's context identifier
 * @param symptom what was seen
 * @param status the HTTP status that showed it; 0 for a connection failure
 * @param api the api base the worker called; null when not given
 * @param worker the reporting worker's name; null when not given
 */
public record SymptomReport(String tenant, Symptom symptom, int status, String api, String worker) {

  public SymptomReport {
    ContextId.require(tenant);
    Objects.requireNonNull(symptom, "symptom");
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("a report's status must be an HTTP status, was " + status);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("tenant", tenant).put("symptom", symptom.wireName());
    if (status != 0) {
      json.put("status", status);
    }
    if (api != null) {
      json.put("api", api);
    }
    if (worker != null) {
      json.put("worker", worker);
    }
    return json;
  }

  /**
   * Reads a report's body.
   *
   * @throws IllegalArgumentException naming what is wrong, when the body is not a report
   */
  public static SymptomReport fromBody(Object body) {
    if (!(body instanceof JsonObject json)) {
      throw new IllegalArgumentException("a report is a JSON object");
    }
    if (!(json.getValue("tenant") instanceof String tenant) || !ContextId.isValid(tenant)) {
      throw new IllegalArgumentException("a report's tenant must be a context identifier such as Cust12345");
    }
    if (!(json.getValue("symptom") instanceof String name)) {
      throw new IllegalArgumentException("a report's symptom must be one of wrong-host, unavailable, unreachable");
    }
    Symptom symptom = Symptom.byWireName(name).orElseThrow(() -> new IllegalArgumentException(
        "a report's symptom must be one of wrong-host, unavailable, unreachable, was " + name));
    Object status = json.getValue("status");
    if (status != null && !(status instanceof Integer)) {
      throw new IllegalArgumentException("a report's status must be an integer HTTP status");
    }
    Object api = json.getValue("api");
    Object worker = json.getValue("worker");
    if ((api != null && !(api instanceof String)) || (worker != null && !(worker instanceof String))) {
      throw new IllegalArgumentException("a report's api and worker must be strings");
    }
    return new SymptomReport(tenant, symptom, status == null ? 0 : (Integer) status, (String) api, (String) worker);
  }
}
