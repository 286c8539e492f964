package io.tenantwatch.worker;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.Symptom;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.function.Function;

/**
 * The worker's side of tenantwatch: tells a platform's worker verticle, without a message round trip,
 * whether it may call a SuperOffice tenant now and where that tenant's API lives, and calls the worker's
 * handlers when the engine pauses, resumes, moves, resyncs or retires a tenant.
 *
 * <p>A worker verticle creates one gate, sets its handlers, starts it, and calls its tenants through it, most simply
 * with a {@link TenantClient}:
 *
 * <pre>{@code
 * gate = TenantGate.create(vertx, new TenantGateOptions("invoice-sync"))
 *     .onPause(cmd -> queue.stop(cmd.tenant()))
 *     .onResume(cmd -> queue.restart(cmd.tenant()));
 * client = TenantClient.create(vertx, gate).headers(ctx -> tokens.headersFor(ctx));
 * return gate.start();
 * ...
 * client.get(ctx, "/v1/Contact/1").onComplete(
 *     response -> ...,   // a 421 or 5xx is also reported to the engine, which polls the tenant at once
 *     failure -> ...);   // TenantClosed: the tenant is closed or draining, and no request was made
 * // with a client of its own: gate.call(ctx, api -> webClient.getAbs(api + "v1/Contact/1").send())
 * }</pre>
 *
 * <p><b>Calls and drain.</b> {@link #call} lets a call through only while the tenant is open, with its current
 * api, and counts it in flight until its future ends. A {@code pause}, {@code retire} or {@code endpoint} refuses
 * the tenant's calls as soon as it arrives, and waits for those in flight to end (at most
 * {@link TenantGateOptions#drainTimeoutMs()}) before its handler runs and it is acknowledged: an acknowledged
 * pause means no call to the tenant is in flight, or says how many still are ({@code "inFlight"}). After an
 * {@code endpoint}'s drain, calls go to the new api.
 *
 * <p><b>Closed until told otherwise.</b> Every tenant is closed ({@link #isRunning} false) until the engine
 * has said it is open. {@link #start()} registers with the engine's {@code WorkerRegistry} and applies its
 * snapshot of what the gate is still owed for each tenant, so a gate started late is up to date once
 * {@code start()} resolves.
 *
 * <p><b>Engine redeployed.</b> While started, the gate listens for the registry's hello
 * ({@code tenantwatch.workers.hello}): when the engine is deployed again in the same Vert.x, the gate
 * registers again and applies the new snapshot, so it goes on receiving commands without a restart of its
 * own. It keeps what it knew meanwhile; the restarted engine's first commands bring it up to date.
 *
 * <p><b>Ordering and acknowledgement.</b> Each command carries a {@code seq} that rises per tenant and the
 * {@code epoch} of the owner that sent it (the owner's lease epoch for the tenant's shard in a cluster, 0 on a
 * single node); commands are ordered by {@code (epoch, seq)} ({@link Command#fence()}). The gate
 * updates its state as soon as a command arrives (a pause closes the gate at once, even while an earlier
 * handler still runs), then calls the matching handler, a {@code pause}, {@code retire} or {@code endpoint} once the
 * tenant's calls in flight have been drained. Handlers for one tenant run one at a time, in the
 * order the commands arrived; handlers for different tenants may run at the same time. The gate
 * acknowledges a command only after its handler's future has succeeded. A failed future (or a handler that
 * throws) is reported back, and the engine delivers the command again, so the handler is called again: handlers
 * must be idempotent. A command whose {@code (epoch, seq)} is not above the last pair handled for its tenant
 * is acknowledged without calling any handler: it is a duplicate or is stale, and never overrides newer state.
 * So after a failover the new owner's commands are applied though their seq may be lower, and a stale owner's
 * (a node that woke from a pause to find its lease gone) are not, though their seq may be higher.
 *
 * <p><b>Threads.</b> The gate does its work on the Vert.x context that was current when it was created (a
 * new event-loop context when created outside Vert.x); handler futures may complete on any thread. Set the
 * handlers before {@link #start()}. The state queries ({@link #isRunning}, {@link #api}, {@link #endpoint},
 * {@link #lastSeq}, {@link #tenants}), {@link #call}, {@link #report} and {@link #calls()} may be called from any
 * thread, worker threads included.
 */
public interface TenantGate {

  /**
   * Creates a gate on the current Vert.x context (or a new one when called outside Vert.x). It does
   * nothing on the event bus until {@link #start()}.
   */
  static TenantGate create(Vertx vertx, TenantGateOptions options) {
    return new EventBusTenantGate(vertx, options);
  }

  /** The event-bus address the gate listens on for commands. */
  String address();

  /**
   * Called when the tenant's gate closes, once its calls through {@link #call} have ended (or the drain timed
   * out); stop calling the tenant. No handler: nothing to do.
   */
  TenantGate onPause(Function<Command, Future<Void>> handler);

  /**
   * Called when the tenant's gate opens, with its endpoint and api; also for each open tenant in the
   * snapshot at start. No handler: nothing to do.
   */
  TenantGate onResume(Function<Command, Future<Void>> handler);

  /**
   * Called when an open tenant moved to a new endpoint or api, once its calls to the old one have ended (or the
   * drain timed out). No handler: nothing to do.
   */
  TenantGate onEndpoint(Function<Command, Future<Void>> handler);

  /**
   * Called when the tenant was restored from a backup: data synced since that backup may be gone. Also
   * at registration for a tenant whose latest resync this gate has not handled (it was not running when
   * the resync went out), after that tenant's resume or pause. No handler: nothing to do.
   */
  TenantGate onResync(Function<Command, Future<Void>> handler);

  /**
   * Called when the tenant is deleted or no longer watched, also at registration for a tenant this gate
   * knew that was retired meanwhile, once the tenant's calls in flight have ended (or the drain timed out). Once
   * the handler's future succeeds the gate forgets the tenant's endpoint and api. A tenant retired before this gate heard of it is only recorded as retired, without a
   * call. No handler: nothing to do.
   */
  TenantGate onRetire(Function<Command, Future<Void>> handler);

  /**
   * Starts listening at {@link #address()}, registers with the engine and applies its snapshot: each open
   * tenant's {@code onResume} handler is called, each closed tenant is recorded as closed ({@code onPause}
   * only when this gate had it open), a resync still owed calls {@code onResync}, and each retired tenant
   * is closed for good ({@code onRetire} when this gate knew it). A failure in a handler there is logged;
   * the engine's next command for that tenant calls the handlers again, and a resync whose handler failed
   * is owed again at the next registration. Entries at or below the {@code (epoch, seq)} this gate already
   * handled for their tenant change nothing.
   *
   * @return a future that succeeds once the snapshot is applied, and fails (leaving nothing registered)
   *     when the engine's registry is not reachable or refuses the registration
   */
  Future<Void> start();

  /**
   * Unregisters from the engine and stops listening. The gate keeps answering state queries with what
   * it last knew.
   *
   * @return a future that succeeds once the gate no longer listens, even if the engine could not be told
   */
  Future<Void> stop();

  /**
   * Whether workers may call the tenant now: true only after the engine said it is open and until it
   * says otherwise. False for a tenant the engine has not told about, for a retired tenant and for
   * anything that is not a context identifier.
   */
  boolean isRunning(String ctx);

  /** The tenant's REST base URL as last told by the engine; null when unknown or retired. */
  String api(String ctx);

  /** The tenant's root URL as last told by the engine; null when unknown or retired. */
  String endpoint(String ctx);

  /**
   * The seq of the newest command whose state the gate holds for this tenant; 0 when none. Its epoch is that
   * command's, in {@link #tenants()}.
   */
  long lastSeq(String ctx);

  /**
   * Every tenant this gate knows, in context-identifier order, each with the command whose state the gate
   * holds for it: the one {@link #isRunning}, {@link #api}, {@link #endpoint} and {@link #lastSeq} answer
   * from. A worker lists its tenants here, since a tenant that is closed at registration never reaches
   * a handler.
   *
   * <p>A tenant first appears when the gate applies the registration snapshot of {@link #start()} (an open
   * tenant with its {@code resume}, a closed one with its {@code pause}, a retired one with its
   * {@code retire}, each with reason {@code snapshot}), or when a live command for a tenant it did not
   * know arrives, before that command's handler runs. Only tenants the gate follows
   * ({@link TenantGateOptions#tenants()}) appear. Later commands replace the entry as they arrive, a
   * {@code resync} included when it is the newest; the snapshot's owed {@code resync}, at a lower
   * {@code (epoch, seq)}, does not.
   *
   * <p>A retired tenant stays, with its {@code retire}: {@code running} false, and once its
   * {@code onRetire} handler has succeeded (or at once, when it was only recorded) {@code endpoint} and
   * {@code api} null, as {@link #api} and {@link #endpoint} answer. A tenant is never dropped, even after
   * {@link #stop()}; one watched again comes back with its new command.
   *
   * @return an immutable copy, which later commands do not change; each entry is one whole command, but
   *     a map taken while commands arrive may hold some of them and not others
   */
  Map<String, Command> tenants();

  /**
   * Calls a tenant through the gate: runs {@code call} with the tenant's current api base only while the engine
   * says the tenant may be called, and counts the call in flight until the future it returns completes, so that a
   * {@code pause}, {@code retire} or {@code endpoint} is acknowledged only once the tenant's calls have ended (or
   * after {@link TenantGateOptions#drainTimeoutMs()}). {@link TenantClient} calls through here.
   *
   * <p>When the call's future fails with a failed connection or a {@link TenantCallFailed}, or succeeds with a
   * response ({@code io.vertx.ext.web.client.HttpResponse} or {@code io.vertx.core.http.HttpClientResponse}) whose
   * status is 421 or 5xx, the gate counts the failure ({@link #calls()}) and, for a 421, a 502 to 504 or a failed
   * connection, reports it ({@link #report}) before the returned future completes. May be called from any thread.
   *
   * @param ctx the tenant's context identifier
   * @param call the call, given the tenant's api base; a call that throws or returns null has failed
   * @return the call's own future; failed with {@link TenantClosed}, without running {@code call}, when the tenant
   *     is unknown, closed or retired, or while its calls are being drained; failed with an
   *     {@link IllegalArgumentException} when {@code ctx} is not a context identifier
   */
  <T> Future<T> call(String ctx, Function<String, Future<T>> call);

  /**
   * Reports what calling a tenant showed, as {@link #call} does by itself: sends a {@code SymptomReport} with the
   * tenant's current api and this gate's name to the engine ({@code tenantwatch.report}), which polls the tenant at
   * once. The same tenant's same symptom is reported at most once a second; what the engine answers is not
   * awaited, and a report it did not take is logged at DEBUG. A report never opens or closes the gate by itself.
   * May be called from any thread.
   *
   * @param status the HTTP status that showed the symptom; 0 for none (a failed connection)
   * @throws IllegalArgumentException when {@code ctx} is not a context identifier or the status is neither 0 nor
   *     an HTTP status
   */
  void report(String ctx, Symptom symptom, int status);

  /**
   * What the calls through {@link #call} came to: made, refused and failed at the tenant, in total and per tenant,
   * and those in flight. {@link TenantCallMeters} shows the totals in a Micrometer registry.
   *
   * @return an immutable snapshot
   */
  CallCounts calls();
}
