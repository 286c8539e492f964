package io.tenantwatch.tenant;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What operators see of one tenant ({@code GET /admin/tenants/{ctx}}): the tenant view of docs/contracts.md.
 *
 * @param tenant the context identifier
 * @param state the state name (the raw name for a state the engine does not know)
 * @param stateCode SuperOffice's code for the state (0 for an unknown one)
 * @param running whether the gate is open: workers may call the tenant
 * @param endpoint the last polled endpoint
 * @param api the last polled api
 * @param version the last polled version
 * @param validUntil the last polled ValidUntil
 * @param lastPolledAt when the last successful poll was applied
 * @param nextPollAt when the next poll is due (null while one is in flight, or for a Deleted tenant)
 * @param consecutiveFailures failed polls since the last successful one
 * @param lastError the last failure, null after a success
 * @param stale whether ValidUntil has passed while polls keep failing
 * @param holdUntil the end of a notification hold, null when none is on
 * @param endpointSuspect a worker was answered "wrong host" (421) at the current api since the last successful poll
 * @param seq the seq of the last command sent
 * @param epoch the lease epoch its commands carry (0 on a single node)
 * @param history recorded steps, newest last
 */
public record TenantView(
    String tenant, String state, int stateCode, boolean running, String endpoint, String api,
    String version, Instant validUntil, Instant lastPolledAt, Instant nextPollAt, int consecutiveFailures,
    String lastError, boolean stale, Instant holdUntil, boolean endpointSuspect, long seq, long epoch,
    List<HistoryEntry> history) {

  public TenantView {
    history = List.copyOf(history);
  }

  /**
   * The view of a snapshot as operators see it. A hold is shown until the machine lifts
   * it, even a moment past its end: until then it keeps the gate closed, and the view must say why.
   */
  public static TenantView of(TenantSnapshot s) {
    return new TenantView(s.tenant(), s.stateName(), s.state().code(), s.open(), s.endpoint(), s.api(),
        s.version(), s.validUntil(), s.lastPolledAt(), s.nextPollAt(), s.consecutiveFailures(),
        s.lastError(), s.stale(), s.holdUntil(), s.endpointSuspect(), s.seq(), s.epoch(), s.history());
  }

  /** The JSON view; the list endpoint leaves the history out. */
  public JsonObject toJson(boolean withHistory) {
    JsonObject json = new JsonObject()
        .put("tenant", tenant)
        .put("state", state)
        .put("stateCode", stateCode)
        .put("running", running)
        .put("endpoint", endpoint)
        .put("api", api)
        .put("version", version)
        .put("validUntil", text(validUntil))
        .put("lastPolledAt", text(lastPolledAt))
        .put("nextPollAt", text(nextPollAt))
        .put("consecutiveFailures", consecutiveFailures)
        .put("lastError", lastError)
        .put("stale", stale)
        .put("holdUntil", text(holdUntil))
        .put("endpointSuspect", endpointSuspect)
        .put("seq", seq)
        .put("epoch", epoch);
    if (withHistory) {
      JsonArray list = new JsonArray();
      history.forEach(h -> list.add(historyJson(h)));
      json.put("history", list);
    }
    return json;
  }

  private static JsonObject historyJson(HistoryEntry entry) {
    JsonObject json = entry.toJson();
    json.remove("tenant");
    return json;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
