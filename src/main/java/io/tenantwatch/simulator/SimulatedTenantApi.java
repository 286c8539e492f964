package io.tenantwatch.simulator;

import io.tenantwatch.domain.ContextId;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The simulated tenants' own REST APIs, served on the simulator's port beside the state API. A tenant's
 * api base carries the host it lives on ({@code /hosts/<host>/<ctx>/api}) so hosts can be told apart on
 * loopback; any method on any path under it is a call to the tenant. A call answers, in this order:
 *
 * <ul>
 *   <li>404 JSON for a tenant the simulator does not know, or a path under {@code /hosts/} that is no api;
 *   <li>421 "Wrong subdomain used to access tenant" (SuperOffice's answer since 2023-11-17) when the call's
 *       base is not the tenant's served {@code Api}: an old host after a move, or a host it never lived on;
 *   <li>503 JSON while the tenant is not running (as the engine reads {@code IsRunning}, R1);
 *   <li>200 with a small JSON body naming the tenant, host, method and path.
 * </ul>
 *
 * <p>Every answer is read from the tenant's current phase, the one the state API serves, so a move shows
 * on both at the same moment. The state API's {@link Fault faults} do not apply here: an outage of the
 * state API is not one of the tenant. Runs on the simulator's event loop.
 */
final class SimulatedTenantApi {
  static final String HOSTS_PATH = "/hosts/";
  /** SuperOffice's error description on a 421 (Misdirected Request). */
  static final String WRONG_SUBDOMAIN = "Wrong subdomain used to access tenant";

  private final String origin;
  private final Map<String, SimulatedTenant> tenants;
  private final TenantCallCounts calls;

  /**
   * @param origin {@code http://127.0.0.1:<port>}, the simulator's own
   * @param tenants the simulator's tenants
   */
  SimulatedTenantApi(String origin, Map<String, SimulatedTenant> tenants, TenantCallCounts calls) {
    this.origin = origin;
    this.tenants = tenants;
    this.calls = calls;
  }

  /** Adds the tenant-API routes; the state API's routes stay as they are. */
  void mount(Router router) {
    router.route(HOSTS_PATH + ":host/:ctx/api").handler(this::answer);
    router.route(HOSTS_PATH + ":host/:ctx/api/*").handler(this::answer);
    router.route(HOSTS_PATH + "*").handler(routing -> notFound(routing.response(), null,
        "no tenant api at this path; a tenant's api is " + HOSTS_PATH + "<host>/<ctx>/api"));
  }

  private void answer(RoutingContext routing) {
    String host = routing.pathParam("host");
    String ctx = routing.pathParam("ctx");
    HttpServerResponse response = routing.response();
    if (!ContextId.isValid(ctx)) {
      // R10: the refused identifier is not repeated back.
      notFound(response, null, "a context identifier is 'Cust' followed by 1 to 12 digits");
      return;
    }
    SimulatedTenant tenant = tenants.get(ctx);
    if (tenant == null) {
      notFound(response, ctx, "there is no tenant " + ctx);
      return;
    }
    String base = SimulatedTenant.apiOn(origin, host, ctx);
    if (!base.equals(tenant.api())) {
      calls.record(ctx, TenantCallOutcome.WRONG_HOST);
      Simulator.sendError(response, TenantCallOutcome.WRONG_HOST.httpStatus(), "wrong-subdomain", WRONG_SUBDOMAIN);
      return;
    }
    if (!tenant.running()) {
      calls.record(ctx, TenantCallOutcome.DOWN);
      Simulator.sendError(response, TenantCallOutcome.DOWN.httpStatus(), "tenant-down",
          ctx + " is " + tenant.rawState());
      return;
    }
    calls.record(ctx, TenantCallOutcome.ANSWERED);
    String prefix = base.substring(origin.length());
    String called = routing.normalizedPath();
    String path = called.startsWith(prefix) ? called.substring(prefix.length()) : called;
    response.putHeader("Content-Type", Simulator.JSON).end(new JsonObject()
        .put("tenant", ctx)
        .put("host", host)
        .put("method", routing.request().method().name())
        .put("path", path.isEmpty() ? "/" : path)
        .toBuffer());
  }

  private void notFound(HttpServerResponse response, String ctx, String message) {
    calls.record(ctx, TenantCallOutcome.NOT_FOUND);
    Simulator.sendError(response, TenantCallOutcome.NOT_FOUND.httpStatus(), "unknown-tenant", message);
  }
}
