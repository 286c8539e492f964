package io.tenantwatch.simulator;

import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import java.time.Instant;
import java.util.Random;

/**
 * One fake tenant: what it answers now and, while scripted, where it stands in its scenario. Confined
 * to the simulator's event loop, so it needs no locking.
 *
 * <p>Its served {@code Api} is also where its own API answers ({@link SimulatedTenantApi}): a phase on
 * host {@code sod3.superoffice.com} serves {@code http://127.0.0.1:<port>/hosts/sod3.superoffice.com/<ctx>/api}
 * and answers there, and nowhere else, until the next phase. Its {@code Endpoint} stays SuperOffice's
 * {@code https://<host>/<ctx>}: nothing calls it, and the engine confirms a Move by the host of the
 * endpoint (contracts.md, R5), which a loopback api could not show.
 */
final class SimulatedTenant {
  private final String ctx;
  /** {@code http://127.0.0.1:<port>}, where the simulator serves the tenants' own APIs. */
  private final String apiOrigin;
  private final Scenario scenario;
  private final Random random;
  private boolean scripted;
  private int step;
  /** The next phase, drawn ahead so that its notification can go out before it starts. */
  private Phase upcoming;
  /** The step whose lead notification has gone out, so it goes out once whoever takes the step. */
  private int leadSentFor = -1;

  private TenantState state;
  private String rawState;
  private Boolean isRunning;
  private String endpoint;
  private String api;
  private String version;
  private Fault fault;
  private boolean transitional;

  private SimulatedTenant(String ctx, Scenario scenario, Random random, String apiOrigin) {
    this.ctx = ctx;
    this.apiOrigin = apiOrigin;
    this.scenario = scenario;
    this.random = random;
    this.scripted = scenario != null;
  }

  /** A tenant that plays its scenario; its first {@link #advance()} enters step 0. */
  static SimulatedTenant scripted(String ctx, Scenario scenario, Random random, String apiOrigin) {
    SimulatedTenant tenant = new SimulatedTenant(ctx, scenario, random, apiOrigin);
    tenant.step = -1;
    return tenant;
  }

  /** A tenant that stays Running on the home host until told otherwise. */
  static SimulatedTenant running(String ctx, String apiOrigin) {
    SimulatedTenant tenant = new SimulatedTenant(ctx, null, null, apiOrigin);
    tenant.apply(Phase.of(TenantState.RUNNING, null));
    return tenant;
  }

  /** Moves one step on in the scenario and returns the phase now in force. */
  Phase advance() {
    Phase phase = upcoming();
    upcoming = null;
    step++;
    apply(phase);
    return phase;
  }

  /**
   * The phase the next {@link #advance()} enters. Drawing it early keeps the draws in step order, so the
   * tenant's phases stay those its scenario core yields.
   */
  Phase upcoming() {
    if (upcoming == null) {
      upcoming = scenario.phase(step + 1, random);
    }
    return upcoming;
  }

  /** True the first time it is asked for this step: its lead notification is the caller's to send. */
  boolean claimLead(int leadStep) {
    if (leadSentFor >= leadStep) {
      return false;
    }
    leadSentFor = leadStep;
    return true;
  }

  /** A caller has taken control: the scenario no longer moves this tenant. */
  void leaveScript() {
    scripted = false;
    transitional = false;
  }

  void setState(TenantState newState) {
    setRawState(newState.displayName(), newState.running());
  }

  void setRawState(String name, Boolean running) {
    state = TenantState.byName(name).orElse(TenantState.UNKNOWN);
    rawState = name;
    isRunning = running;
  }

  void setAddress(String newEndpoint, String newApi) {
    endpoint = newEndpoint;
    api = newApi;
  }

  void setVersion(String newVersion) {
    version = newVersion;
  }

  void setFault(Fault newFault) {
    fault = newFault;
  }

  /** The status this tenant serves, naming {@code servedCtx} and valid until the given instant. */
  TenantStatus status(String servedCtx, Instant validUntil) {
    return new TenantStatus(servedCtx, endpoint, state, rawState, isRunning, validUntil, api, version);
  }

  /** R1, as the engine reads the served status: {@code IsRunning}, or where it is null, the state's. */
  boolean running() {
    return status(ctx, null).running();
  }

  /** What the tenant answers, in a few words for the story log. */
  String describe() {
    return fault != null ? fault.describe() : rawState;
  }

  String ctx() {
    return ctx;
  }

  Scenario scenario() {
    return scenario;
  }

  boolean scripted() {
    return scripted;
  }

  int step() {
    return step;
  }

  String endpoint() {
    return endpoint;
  }

  /** The served {@code Api}: where the tenant lives now, may be null or off the simulator after a control call. */
  String api() {
    return api;
  }

  String rawState() {
    return rawState;
  }

  String version() {
    return version;
  }

  Fault fault() {
    return fault;
  }

  boolean transitional() {
    return transitional;
  }

  private void apply(Phase phase) {
    state = phase.state();
    rawState = phase.rawState();
    isRunning = phase.isRunning();
    endpoint = endpointOn(phase.host(), ctx);
    api = apiOn(apiOrigin, phase.host(), ctx);
    version = phase.version();
    fault = phase.fault();
    transitional = phase.transitional();
  }

  static String endpointOn(String host, String ctx) {
    return "https://" + host + "/" + ctx;
  }

  /**
   * The tenant's api base on this host: {@code <origin>/hosts/<host>/<ctx>/api}, without a trailing
   * slash, as SuperOffice's.
   */
  static String apiOn(String origin, String host, String ctx) {
    return origin + SimulatedTenantApi.HOSTS_PATH + host + "/" + ctx + "/api";
  }
}
