package io.tenantwatch.soak;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.machine.Cause;
import io.tenantwatch.machine.TenantMachine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the soak knows of every tenant, from the outside only (the admin API, the registered worker, the
 * {@code tenantwatch.events} transitions, and what the soak itself told the simulator), and the checks made
 * against it. Confined to the soak driver's event loop.
 *
 * <p>Besides the rules of {@link CommandStream}, by name:
 * <ul>
 *   <li>{@code gate}: a tenant listed running has no hold and is not Deleted; and once the engine has
 *       polled a tenant after the simulator's last change (the {@code ValidUntil} it shows was served after
 *       that change), its state and endpoint are the simulator's, and it is running exactly when the
 *       simulator says running and no notification hold is on (R1, R3, R5);</li>
 *   <li>{@code resumed}: the worker's command with the listed {@code seq} says the listed gate, and a tenant
 *       listed running was last sent a {@code resume} (R2);</li>
 *   <li>{@code delivery}: every listed {@code seq} reaches the worker, within {@link #DELIVERY_DEADLINE};
 *       no delivery to it fails; a command reaches it twice only when the registry says it retried;</li>
 *   <li>{@code terminal}: a tenant once listed, shown or published Deleted stays Deleted, and its worker was
 *       sent a {@code retire} (R4);</li>
 *   <li>{@code lost}: every tenant watched (and not unwatched) is listed.</li>
 * </ul>
 * Checks compare only facts the engine has had the chance to see: a listing is judged against the watch
 * and truth the soak had before it asked, and a tenant whose watch or truth changed while it asked is
 * left out of that listing.
 */
final class SoakInvariants {
  /** How long a listed command may take to reach the worker; far beyond any delivery on a busy machine. */
  static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(20);

  /** Where the soak stands with a tenant's watch. */
  enum Watch { CHANGING, WATCHED, UNWATCHED }

  /** One tenant as the soak knows it. */
  static final class Tenant {
    final String ctx;
    final boolean controlled;
    final CommandStream worker;
    final CommandStream events;
    Watch watch = Watch.CHANGING;
    int unwatches;
    // The simulator's truth, for tenants the soak controls.
    TenantState truthState = TenantState.RUNNING;
    String truthEndpoint;
    Instant truthAt;
    int changing;
    boolean verified;
    /** The simulator brought it back after the engine listed it Deleted: the engine must not follow. */
    boolean revived;
    // What the views and events have shown.
    int listedDeletedIn = -1;
    boolean publishedDeleted;
    int expectedWatch = -1;
    long expectedSeq = -1;

    Tenant(String ctx, boolean controlled) {
      this.ctx = ctx;
      this.controlled = controlled;
      this.worker = new CommandStream(ctx, "worker");
      this.events = new CommandStream(ctx, "tenantwatch.events");
    }

    boolean truthSettled() {
      return controlled && changing == 0 && truthAt != null && !revived;
    }

    /** Whether the engine has listed this watch of the tenant as Deleted. */
    boolean listedDeleted() {
      return listedDeletedIn == unwatches;
    }
  }

  /** The watch and truth the soak had when it asked for a listing. */
  record Probe(Map<String, Integer> watched, Map<String, Instant> truthAt) {
  }

  private record Expectation(String ctx, int watch, long seq, boolean running, boolean deleted, Instant since) {
  }

  private final Duration validity;
  private final Map<String, Tenant> tenants = new LinkedHashMap<>();
  private final List<Expectation> pending = new ArrayList<>();
  private final List<SoakViolation> violations = new ArrayList<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private long duplicates;
  private Command firstDuplicate;

  /** @param validity how far ahead of its answer the simulator sets {@code ValidUntil} for controlled tenants */
  SoakInvariants(Duration validity) {
    this.validity = validity;
  }

  // ---- what the soak does ----

  Tenant tenant(String ctx) {
    return tenants.get(ctx);
  }

  /** A tenant the engine watches from its start (the simulator's scripted ones). */
  void watchedFromStart(String ctx) {
    tenants.computeIfAbsent(ctx, c -> new Tenant(c, false)).watch = Watch.WATCHED;
  }

  /** The soak starts to watch a tenant whose truth it controls (a new one, or one unwatched before). */
  Tenant watching(String ctx) {
    Tenant tenant = tenants.computeIfAbsent(ctx, c -> new Tenant(c, true));
    tenant.watch = Watch.CHANGING;
    tenant.revived = false;
    return tenant;
  }

  void watchEnded(String ctx, Watch now) {
    Tenant tenant = tenants.get(ctx);
    if (now == Watch.UNWATCHED && tenant.watch == Watch.CHANGING) {
      tenant.unwatches++;
    }
    tenant.watch = now;
  }

  void truthChanging(String ctx) {
    tenants.get(ctx).changing++;
  }

  /** The simulator serves this from {@code at} on (taken once the change was in force). */
  void truthChanged(String ctx, TenantState state, String endpoint, Instant at) {
    Tenant tenant = tenants.get(ctx);
    tenant.changing--;
    tenant.truthState = state;
    tenant.truthEndpoint = endpoint;
    tenant.truthAt = at;
    tenant.verified = false;
  }

  void truthUnchanged(String ctx) {
    tenants.get(ctx).changing--;
  }

  Probe probe() {
    Map<String, Integer> watched = new HashMap<>();
    Map<String, Instant> truthAt = new HashMap<>();
    for (Tenant tenant : tenants.values()) {
      if (tenant.watch == Watch.WATCHED) {
        watched.put(tenant.ctx, tenant.unwatches);
        if (tenant.truthSettled()) {
          truthAt.put(tenant.ctx, tenant.truthAt);
        }
      }
    }
    return new Probe(watched, truthAt);
  }

  // ---- what the soak observes ----

  /**
   * The registry's answer to the worker's registration: the latest command of every tenant known by then,
   * which is where the worker's and the event stream's view of those tenants begins.
   */
  void baseline(JsonObject registration) {
    for (Object entry : registration.getJsonArray("tenants", new JsonArray())) {
      Command latest = Command.fromJson((JsonObject) entry);
      Tenant tenant = tenants.computeIfAbsent(latest.tenant(), c -> new Tenant(c, false));
      tenant.worker.startFrom(latest);
      tenant.events.startFrom(latest);
      count("tenants known at registration");
    }
  }

  void workerCommand(Command command) {
    count("worker commands");
    Tenant tenant = tenants.computeIfAbsent(command.tenant(), c -> new Tenant(c, false));
    guard(() -> {
      if (tenant.worker.accept(command) == CommandStream.Outcome.DUPLICATE && duplicates++ == 0) {
        firstDuplicate = command;
      }
    });
  }

  void event(JsonObject event) {
    count("events");
    String ctx = event.getString("tenant");
    Tenant tenant = tenants.computeIfAbsent(ctx, c -> new Tenant(c, false));
    guard(() -> {
      String to = event.getString("to");
      String cause = event.getString("cause");
      if (tenant.publishedDeleted && !Cause.UNWATCHED.text().equals(cause) && !"Deleted".equals(to)) {
        throw new SoakViolation("terminal", ctx, "tenantwatch.events: published Deleted -> " + to + " (cause "
            + cause + ") after Deleted");
      }
      tenant.publishedDeleted = "Deleted".equals(to) && !Cause.UNWATCHED.text().equals(cause);
      JsonArray commands = event.getJsonArray("commands", new JsonArray());
      for (int i = 0; i < commands.size(); i++) {
        if (tenant.events.accept(Command.fromJson(commands.getJsonObject(i))) == CommandStream.Outcome.DUPLICATE) {
          throw new SoakViolation("seq", ctx, "tenantwatch.events: the same command was published twice: "
              + commands.getJsonObject(i).encode());
        }
      }
    });
  }

  /** A {@code GET /admin/tenants} answer to a request made with this probe. */
  void listed(Probe probe, JsonObject body, Instant now) {
    count("listings");
    Set<String> listed = new HashSet<>();
    for (Object entry : body.getJsonArray("tenants")) {
      JsonObject view = (JsonObject) entry;
      String ctx = view.getString("tenant");
      listed.add(ctx);
      Tenant tenant = tenants.get(ctx);
      Integer watch = probe.watched().get(ctx);
      if (tenant != null && watch != null && tenant.unwatches == watch && tenant.watch == Watch.WATCHED) {
        guard(() -> view(tenant, watch, view, probe.truthAt().get(ctx), now));
      }
    }
    probe.watched().forEach((ctx, watch) -> {
      Tenant tenant = tenants.get(ctx);
      if (!listed.contains(ctx) && tenant.watch == Watch.WATCHED && tenant.unwatches == watch) {
        record(new SoakViolation("lost", ctx, "watched since before the listing, but /admin/tenants does not list it "
            + "(total " + body.getInteger("total") + ")"));
      }
    });
  }

  /** A {@code GET /admin/tenants/{ctx}} answer: the view, and its history, which keeps Deleted terminal. */
  void detailed(Probe probe, JsonObject view, Instant now) {
    count("detail views");
    String ctx = view.getString("tenant");
    Tenant tenant = tenants.get(ctx);
    Integer watch = probe.watched().get(ctx);
    if (tenant == null || watch == null || tenant.unwatches != watch || tenant.watch != Watch.WATCHED) {
      return;
    }
    guard(() -> {
      view(tenant, watch, view, probe.truthAt().get(ctx), now);
      boolean deleted = false;
      for (Object entry : view.getJsonArray("history", new JsonArray())) {
        JsonObject step = (JsonObject) entry;
        if (deleted && !"Deleted".equals(step.getString("to"))) {
          throw new SoakViolation("terminal", ctx, "its history goes from Deleted to " + step.getString("to"));
        }
        deleted |= "Deleted".equals(step.getString("to"));
      }
    });
  }

  /** A {@code GET /admin/workers} answer; {@code address} is the soak's worker. */
  void workers(JsonObject body, String address) {
    count("worker listings");
    JsonObject mine = body.getJsonArray("workers").stream().map(JsonObject.class::cast)
        .filter(worker -> address.equals(worker.getString("address"))).findFirst().orElse(null);
    if (mine == null) {
      record(new SoakViolation("delivery", "the worker", "/admin/workers does not list the registered worker"));
      return;
    }
    if (mine.getLong("failed", 0L) > 0) {
      record(new SoakViolation("delivery", "the worker", mine.getLong("failed") + " deliveries failed to a worker "
          + "that acknowledges every command"));
    }
    if (duplicates > 0 && mine.getLong("retried", 0L) == 0) {
      record(new SoakViolation("delivery", firstDuplicate.tenant(), duplicates + " commands reached the worker twice "
          + "(the first: " + firstDuplicate.type().wireName() + " seq " + firstDuplicate.seq() + "), though the "
          + "registry retried none"));
    }
  }

  /** Judges every listed seq the worker has received by now; late ones past the deadline are violations. */
  void resolve(Instant now) {
    for (Iterator<Expectation> it = pending.iterator(); it.hasNext(); ) {
      Expectation expected = it.next();
      if (judge(expected, now)) {
        it.remove();
      }
    }
  }

  private boolean judge(Expectation expected, Instant now) {
    Tenant tenant = tenants.get(expected.ctx());
    if (expected.seq() == 0) {
      if (expected.running()) {
        record(new SoakViolation("resumed", expected.ctx(), "listed running=true before any command was sent"));
      }
      return true;
    }
    List<Command> sent = tenant.worker.watch(expected.watch());
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).seq() == expected.seq()) {
        guard(() -> matches(expected, sent));
        count("listed gates met by the worker");
        return true;
      }
    }
    if (closedOnItsRetire(expected, tenant.worker)) {
      count("re-watched tenants listed at their retire");
      return true;
    }
    boolean passed = tenant.worker.watchesBegun() > expected.watch() + 1
        || sent.stream().anyMatch(c -> c.seq() > expected.seq());
    if (passed || Duration.between(expected.since(), now).compareTo(DELIVERY_DEADLINE) > 0) {
      record(new SoakViolation("delivery", expected.ctx(), "listed with seq " + expected.seq() + ", but the worker "
          + (passed ? "never got that command (it got " : "has not got it within " + DELIVERY_DEADLINE.toSeconds()
          + " s (it got ") + seqs(sent) + ")"));
      return true;
    }
    return false;
  }

  /**
   * A tenant watched again lists, until its first command of the new watch, the seq of the last one it
   * sent: the unwatch's retire, which ended the watch before. It is closed meanwhile.
   */
  private static boolean closedOnItsRetire(Expectation expected, CommandStream worker) {
    if (expected.watch() == 0 || expected.running() || expected.deleted()) {
      return false;
    }
    List<Command> before = worker.watch(expected.watch() - 1);
    if (before.isEmpty()) {
      return false;
    }
    Command last = before.get(before.size() - 1);
    return last.type() == CommandType.RETIRE && last.seq() == expected.seq()
        && worker.watch(expected.watch()).stream().allMatch(command -> command.seq() > last.seq());
  }

  private static void matches(Expectation expected, List<Command> sent) {
    Command gate = null;
    boolean retired = false;
    Command atSeq = null;
    for (Command command : sent) {
      if (command.seq() > expected.seq()) {
        break;
      }
      if (command.type().opensGate().isPresent() || command.type() == CommandType.RETIRE) {
        gate = command;
      }
      retired |= command.type() == CommandType.RETIRE;
      atSeq = command;
    }
    if (atSeq.running() != expected.running()) {
      throw new SoakViolation("resumed", expected.ctx(), "listed running=" + expected.running() + " at seq "
          + expected.seq() + ", but the worker's command of that seq (" + atSeq.type().wireName() + ") says running="
          + atSeq.running());
    }
    if (expected.running() && (gate == null || gate.type() != CommandType.RESUME)) {
      throw new SoakViolation("resumed", expected.ctx(), "listed running=true at seq " + expected.seq()
          + ", but the last gate command the worker got is " + (gate == null ? "none" : gate.type().wireName()
          + " seq " + gate.seq()));
    }
    if (expected.deleted() && !retired) {
      throw new SoakViolation("terminal", expected.ctx(), "listed Deleted at seq " + expected.seq()
          + ", but the worker was never sent a retire (" + seqs(sent) + ")");
    }
  }

  private void view(Tenant tenant, int watch, JsonObject view, Instant truthAtProbe, Instant now) {
    count("views checked");
    String ctx = tenant.ctx;
    String state = view.getString("state");
    boolean running = view.getBoolean("running");
    String holdUntil = view.getString("holdUntil");
    boolean deleted = "Deleted".equals(state);
    if (running && (holdUntil != null || deleted)) {
      throw new SoakViolation("gate", ctx, "listed running=true " + (deleted ? "while Deleted" : "during a hold until "
          + holdUntil));
    }
    if (tenant.listedDeletedIn == watch && !deleted) {
      throw new SoakViolation("terminal", ctx, "listed as " + state + " after it was listed Deleted");
    }
    if (deleted) {
      tenant.listedDeletedIn = watch;
    }
    long seq = view.getLong("seq");
    if (tenant.expectedWatch != watch || tenant.expectedSeq != seq) {
      tenant.expectedWatch = watch;
      tenant.expectedSeq = seq;
      pending.add(new Expectation(ctx, watch, seq, running, deleted, now));
    }
    String validUntil = view.getString("validUntil");
    if (truthAtProbe == null || !tenant.truthSettled() || !truthAtProbe.equals(tenant.truthAt) || validUntil == null) {
      return;
    }
    Instant served = Instant.parse(validUntil).minus(validity);
    if (!served.isAfter(tenant.truthAt)) {
      return;
    }
    count("views checked against the state API");
    tenant.verified = true;
    String truth = tenant.truthState.displayName();
    boolean open = tenant.truthState.running() && holdUntil == null;
    if (!truth.equals(state) || running != open || !Objects.equals(tenant.truthEndpoint, view.getString("endpoint"))) {
      throw new SoakViolation("gate", ctx, String.format("listed %s running=%s endpoint %s (hold %s), but the state "
          + "API has answered %s (running=%s) endpoint %s since %s, and the engine polled it after that (answer "
          + "served at %s)", state, running, view.getString("endpoint"), holdUntil, truth,
          tenant.truthState.running(), tenant.truthEndpoint, tenant.truthAt, served));
    }
  }

  // ---- outcome ----

  /** Controlled tenants still watched whose engine view has not shown a poll after the simulator's last change. */
  List<String> unverified() {
    return tenants.values().stream()
        .filter(t -> t.controlled && t.watch == Watch.WATCHED && !t.verified && !t.revived)
        .map(t -> t.ctx + " (" + t.truthState.displayName() + " since " + t.truthAt + ")")
        .toList();
  }

  int pendingDeliveries() {
    return pending.size();
  }

  /** Records a violation once, however many checks see it. */
  void record(SoakViolation violation) {
    if (violations.stream().noneMatch(seen -> seen.getMessage().equals(violation.getMessage()))) {
      violations.add(violation);
    }
  }

  List<SoakViolation> violations() {
    return List.copyOf(violations);
  }

  void count(String what) {
    counts.merge(what, 1L, Long::sum);
  }

  void count(String what, long n) {
    counts.merge(what, n, Long::sum);
  }

  Map<String, Long> counts() {
    return new LinkedHashMap<>(counts);
  }

  Collection<Tenant> tenants() {
    return tenants.values();
  }

  /** Controlled tenants the soak has unwatched and not watched again. */
  List<String> unwatchedControlled() {
    return tenants.values().stream().filter(t -> t.controlled && t.watch == Watch.UNWATCHED).map(t -> t.ctx).toList();
  }

  private void guard(Runnable check) {
    try {
      check.run();
    } catch (SoakViolation violation) {
      record(violation);
    }
  }

  private static String seqs(List<Command> sent) {
    return sent.isEmpty() ? "nothing" : "seq " + sent.stream().map(c -> c.type().wireName() + " " + c.seq())
        .reduce((a, b) -> a + ", " + b).orElse("");
  }
}
