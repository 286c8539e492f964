package io.tenantwatch.node;

import static io.tenantwatch.node.NodeProcesses.EXIT;
import static io.tenantwatch.node.NodeProcesses.SHARDS;
import static io.tenantwatch.node.NodeProcesses.START;
import static io.tenantwatch.node.NodeProcesses.nodeIds;
import static io.tenantwatch.node.NodeProcesses.tenants;
import static io.tenantwatch.node.Within.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.cluster.Fence;
import io.tenantwatch.cluster.Placement;
import io.tenantwatch.cluster.TenantShard;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.store.ClusterDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers anywhere on a real cluster (docs/contracts.md, "Workers anywhere" and "Handover"): three nodes in JVMs
 * of their own ({@link NodeProcesses}), each running a recording worker beside its engine (a {@code TenantGate}
 * that writes every command it receives and applies, {@link WorkerRecords}, and serves its gate's view). The
 * tests kill, freeze and stop nodes and check what the workers were told against the lease table, the nodes'
 * admin API and the polls each node made.
 *
 * <p>One cluster serves the whole class, to spare three formations: before each test {@link #settle()} brings
 * it back to three running nodes in the placement, every tenant Running and polled with a validity of ten
 * minutes (so no tenant's {@code ValidUntil} passes during a test unless the test shortens it, and a tenant
 * taken over keeps its gate, R11), and every worker's gate in agreement with the admin API. The figures are
 * logged as {@code workers: ...} lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterWorkersTest {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkersTest.class);
  private static final int NODES = 3;
  private static final List<String> TENANTS = tenants(63_000, 2 * SHARDS);
  private static final Duration LONG_VALIDITY = Duration.ofMinutes(10);
  private static final Duration SHORT_VALIDITY = Duration.ofSeconds(1);
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration TAKEOVER_WAIT = Duration.ofSeconds(30);
  /** How long after the nodes settle every worker's gate must agree with the admin API. */
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  /**
   * A command made (its {@code at}, the sending node's clock) this long or more after a lease read (the database's
   * clock, the same machine's) showed its shard at a higher epoch came from a stale owner. A legitimate one may
   * still reach a worker late, from a node or to a worker that was frozen, so when it arrived does not count.
   */
  private static final long CLOCK_GRACE_MS = 250;
  /** The system properties that rerun a generated history, or run a longer one. */
  private static final String HISTORY_SEED = "clusterHistory.seed";
  private static final String HISTORY_STEPS = "clusterHistory.steps";
  private static final int DEFAULT_HISTORY_STEPS = 8;
  /** The states a history sets, and the notification that may go with each. */
  private static final List<TenantState> HISTORY_STATES = List.of(TenantState.RUNNING, TenantState.SUSPENDED,
      TenantState.OFFLINE_MAINTENANCE, TenantState.ONLINE_MAINTENANCE);
  private static final Map<TenantState, ChangeType> NOTIFIED = Map.of(TenantState.RUNNING, ChangeType.RESUME,
      TenantState.SUSPENDED, ChangeType.SUSPEND, TenantState.OFFLINE_MAINTENANCE, ChangeType.UPGRADE,
      TenantState.ONLINE_MAINTENANCE, ChangeType.UPGRADE);

  @TempDir
  static Path dir;
  private Vertx vertx;
  private WebClient client;
  private ClusterDatabase database;
  private PgConnection db;
  private Simulator simulator;
  private NodeProcesses cluster;
  /** Each tenant's state at the simulator, as this test set it. */
  private final SortedMap<String, TenantState> states = new TreeMap<>();

  @BeforeAll
  void startCluster() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    database = ClusterDatabase.start(vertx, dir.resolve("pg"));
    database.fresh();
    db = database.connect().await(30, TimeUnit.SECONDS);
    simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(0).withScripted(false)
        .withValidityMs(LONG_VALIDITY.toMillis()), Clock.systemUTC());
    vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    for (String tenant : TENANTS) {
      simulator.addTenant(tenant).await(30, TimeUnit.SECONDS);
      states.put(tenant, TenantState.RUNNING);
    }
    Path key = Files.writeString(dir.resolve("simulator.pem"), simulator.signer().publicKeyPem());
    // Every node trusts the simulator's notifications, so any node's webhook may be sent one.
    JsonObject config = new JsonObject().put("webhook", new JsonObject()
        .put("certificates", new JsonArray().add(key.toString()))
        .put("issuers", new JsonArray().add(Simulator.ISSUER)));
    long startedAt = System.nanoTime();
    cluster = NodeProcesses.start(vertx, dir, database.url(), simulator.port(), TENANTS, NODES,
        new NodeProcesses.Setup(true, config));
    LOG.info("workers: {} nodes with recording workers running {} ms after their JVMs were started", NODES,
        millisSince(startedAt));
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (db != null) {
      db.close().await(30, TimeUnit.SECONDS);
    }
    database.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /**
   * Three running nodes holding the placement's leases, every tenant Running at the simulator and polled since
   * with the long validity, and every worker's gate agreeing with the admin API.
   */
  @BeforeEach
  void settle() throws Exception {
    long from = System.nanoTime();
    List<NodeProcess> started = new ArrayList<>();
    for (NodeProcess node : cluster.all()) {
      if (!node.isAlive()) {
        node.start();
        started.add(node);
      }
    }
    for (NodeProcess node : started) {
      node.awaitRunning(START);
    }
    simulator.setValidity(LONG_VALIDITY).await(30, TimeUnit.SECONDS);
    for (String tenant : TENANTS) {
      setState(tenant, TenantState.RUNNING);
    }
    awaitPlacement(cluster.all(), "settle: three nodes hold the placement's leases");
    Instant polledFrom = Instant.now();
    pollAll(cluster.node(0));
    within(SETTLE, "settle: every tenant open and polled since with the long validity", () -> listing(cluster.node(0)),
        views -> views.size() == TENANTS.size() && views.values().stream().allMatch(view -> view.getBoolean("running")
            && polledAfter(view, polledFrom) && Instant.parse(view.getString("validUntil"))
            .isAfter(polledFrom.plus(LONG_VALIDITY).minusSeconds(60))));
    // A node killed next is restored from its rows: they must hold that poll too (the store writes within a
    // second, R11, and later on a loaded machine), or the tenants taken over start closed.
    within(SETTLE, "settle: the store holds every tenant open and polled since with the long validity",
        this::stored, rows -> rows.size() == TENANTS.size() && rows.values().stream().allMatch(row ->
            row.getBoolean("open", false) && polledAfter(row, polledFrom) && Instant.parse(row.getString("validUntil"))
                .isAfter(polledFrom.plus(LONG_VALIDITY).minusSeconds(60))));
    awaitGatesAgree(cluster.all(), "settle");
    LOG.info("workers: settled in {} ms (nodes started again: {})", millisSince(from), started);
  }

  @Test
  @Order(1)
  @DisplayName("A node killed with SIGKILL: every surviving worker applies each moved tenant's handover once, at its new owner's epoch, and its gate agrees with the admin API; the node started again takes its shards back without a worker's gate flapping")
  void killedNodesTenantsAreAnnouncedToEveryWorker() throws Exception {
    NodeProcess victim = cluster.node(1);
    List<NodeProcess> survivors = cluster.allBut(victim);
    LeaseTable atKill = table();
    SortedSet<Integer> lost = atKill.shardsOf(victim.nodeId());
    List<String> moved = tenantsOf(lost);

    long killedAt = System.nanoTime();
    victim.kill(EXIT);
    Within.Seen<LeaseTable> taken = within(TAKEOVER_WAIT, "the survivors hold every shard of the killed node",
        this::table, t -> t.takenFrom(atKill, lost, nodeIds(survivors)));
    Within.Seen<Map<String, String>> agreed = awaitGatesAgree(survivors, "after the kill");
    LeaseTable after = table();
    WorkerRecords records = WorkerRecords.read(cluster.all());

    SoftAssertions softly = new SoftAssertions();
    long lastHandover = killedAt;
    for (String worker : agreed.value().values()) {
      SortedMap<String, List<WorkerRecords.Entry>> applied = records.appliedSince(killedAt)
          .getOrDefault(worker, new TreeMap<>());
      for (String tenant : moved) {
        long epoch = after.epoch(TenantShard.shard(tenant, SHARDS));
        List<WorkerRecords.Entry> handovers = applied.getOrDefault(tenant, List.of()).stream()
            .filter(e -> "handover".equals(e.command().reason())).toList();
        softly.assertThat(handovers).as("%s's handovers applied by %s", tenant, worker)
            .extracting(e -> e.command().type() + " " + e.command().epoch() + " " + e.command().running())
            .containsExactly(CommandType.RESUME + " " + epoch + " true");
        for (WorkerRecords.Entry handover : handovers) {
          lastHandover = Math.max(lastHandover, handover.nanos());
        }
      }
    }
    softly.assertThat(records.notRising()).as("commands a worker applied at or below the pair it applied before")
        .isEmpty();
    LOG.info("workers: SIGKILL of {}: {} tenant(s) of {} shard(s) taken over {} ms after the kill; the last "
            + "handover applied {} ms after the kill; every surviving gate agreed with the admin API {} ms after the "
            + "kill ({} ms after the takeover)", victim, moved.size(), lost.size(), taken.millisSince(killedAt),
        TimeUnit.NANOSECONDS.toMillis(lastHandover - killedAt), agreed.millisSince(killedAt),
        TimeUnit.NANOSECONDS.toMillis(agreed.atNanos() - taken.atNanos()));

    long restartedAt = System.nanoTime();
    victim.start();
    victim.awaitRunning(START);
    Within.Seen<LeaseTable> back = awaitPlacement(cluster.all(), "the restarted node holds its shards again");
    Within.Seen<Map<String, String>> rejoined = awaitGatesAgree(cluster.all(), "after the rejoin");
    List<WorkerRecords.Entry> closed = WorkerRecords.read(cluster.all()).appliedSince(restartedAt).values().stream()
        .flatMap(byTenant -> byTenant.values().stream()).flatMap(List::stream)
        .filter(e -> !e.command().running()).toList();
    softly.assertThat(closed).as("commands closing a gate while every tenant ran, from the restart on").isEmpty();
    LOG.info("workers: restart of {}: the placement held {} ms after the start, every gate agreed {} ms after it",
        victim, back.millisSince(restartedAt), rejoined.millisSince(restartedAt));
    softly.assertAll();
  }

  @Test
  @Order(2)
  @DisplayName("A node frozen past its leases, then woken: it polls none of its former tenants and sends nothing for them, no worker applies a command below a lease's epoch once that lease was taken, and every worker's gate, the woken node's too, agrees with the admin API")
  void frozenNodeSendsNothingOnceWoken() throws Exception {
    // Every tenant falls due every second, so the frozen node's timers are overdue when it wakes.
    simulator.setValidity(SHORT_VALIDITY).await(30, TimeUnit.SECONDS);
    Instant shortFrom = Instant.now();
    pollAll(cluster.node(0));
    within(Duration.ofSeconds(30), "every tenant polled with the short validity", () -> listing(cluster.node(0)),
        views -> views.size() == TENANTS.size() && views.values().stream().allMatch(view -> polledAfter(view, shortFrom)
            && Instant.parse(view.getString("validUntil")).isBefore(shortFrom.plus(LONG_VALIDITY).minusSeconds(60))));

    NodeProcess sleeper = cluster.node(2);
    List<NodeProcess> others = cluster.allBut(sleeper);
    LeaseTable atStop = table();
    SortedSet<Integer> moved = atStop.shardsOf(sleeper.nodeId());
    List<String> movedTenants = tenantsOf(moved);
    List<String> changed = movedTenants.subList(0, 3);
    String elsewhere = TENANTS.stream().filter(t -> !movedTenants.contains(t)).findFirst().orElseThrow();

    LeaseSamples samples = LeaseSamples.start(vertx, db);
    long frozenAt = System.nanoTime();
    long thawedAt;
    Within.Seen<LeaseTable> taken;
    sleeper.freeze();
    // How long the admin API of a node that did not stop takes to list the tenants while a member is frozen.
    long askedAt = System.nanoTime();
    Future<String> listedDuringFreeze = client.get(others.get(0).adminPort(), "127.0.0.1", "/admin/tenants").send()
        .map(answer -> answer.statusCode() + " after " + millisSince(askedAt) + " ms, total "
            + answer.bodyAsJsonObject().getInteger("total") + ", unanswered "
            + answer.bodyAsJsonObject().getJsonArray("unanswered"));
    try {
      // What the woken node would have to say: its tenants changed while it slept.
      for (String tenant : changed) {
        setState(tenant, TenantState.SUSPENDED);
      }
      taken = within(TAKEOVER_WAIT, "the others hold every shard of the frozen node", this::table,
          t -> t.takenFrom(atStop, moved, nodeIds(others)));
      // And a tenant that never moved changes once the frozen node is out of the cluster: its worker is away.
      setState(elsewhere, TenantState.SUSPENDED);
      // Polled now: a new owner may have restored a snapshot stored before the short validity, still valid (R11).
      for (String tenant : changed) {
        pollOne(others.get(0), tenant);
      }
      pollOne(others.get(0), elsewhere);
      within(Duration.ofSeconds(30), "the new owners and the others report the changed tenants closed",
          () -> listing(others.get(0)), views -> changed.stream().allMatch(t -> views.containsKey(t)
              && !views.get(t).getBoolean("running")) && views.containsKey(elsewhere)
              && !views.get(elsewhere).getBoolean("running"));
    } finally {
      thawedAt = System.nanoTime();
      sleeper.thaw();
    }
    Within.Seen<LeaseTable> back = awaitPlacement(cluster.all(), "the woken node back, the placement's leases held");
    Optional<Within.Seen<Map<String, String>>> agreed = gatesAgree(cluster.all(), "after the wake");
    List<LeaseTable> tables = samples.stop();
    WorkerRecords records = WorkerRecords.read(cluster.all());
    LOG.info("workers: SIGSTOP of {}: its {} shard(s) taken {} ms after the stop; SIGCONT {} ms after the stop; the "
            + "placement held again {} ms after the wake; every gate agreed {}; GET /admin/tenants on {} sent at the "
            + "stop answered {}", sleeper, moved.size(),
        taken.millisSince(frozenAt), TimeUnit.NANOSECONDS.toMillis(thawedAt - frozenAt), back.millisSince(thawedAt),
        agreed.map(seen -> seen.millisSince(thawedAt) + " ms after the wake").orElse("never"), others.get(0),
        listedDuringFreeze.transform(done -> Future.succeededFuture(done.succeeded() ? done.result()
            : "not (" + done.cause() + ")")).await(60, TimeUnit.SECONDS));

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(agreed).as("every worker's gate agrees with the admin API after the wake (%s)",
        agreed.isEmpty() ? disagreements(cluster.all()) : "").isPresent();
    List<String> stalePolls = new ArrayList<>();
    for (StateApiProxy.Poll poll : cluster.proxy(sleeper).since(thawedAt)) {
      int shard = TenantShard.shard(poll.tenant(), SHARDS);
      if (moved.contains(shard) && !heldAround(tables, poll.atNanos(), shard, sleeper)) {
        stalePolls.add(poll.tenant() + " +" + TimeUnit.NANOSECONDS.toMillis(poll.atNanos() - thawedAt)
            + " ms after the wake");
      }
    }
    softly.assertThat(stalePolls).as("polls by the woken node of tenants whose shards it did not hold").isEmpty();
    softly.assertThat(records.receivedSince(thawedAt).stream().filter(e -> movedTenants.contains(e.command().tenant())
            && e.command().epoch() <= atStop.epoch(TenantShard.shard(e.command().tenant(), SHARDS))).toList())
        .as("commands that reached a worker after the wake from the woken node's old epochs").isEmpty();
    softly.assertThat(records.notRising()).as("commands a worker applied at or below the pair it applied before")
        .isEmpty();
    softly.assertThat(madeAfterLeaseMoved(records, tables, frozenAt))
        .as("commands that reached a worker, made at an epoch below their shard's lease %s ms or more after a read "
            + "showed that lease (a stale owner's)", CLOCK_GRACE_MS).isEmpty();
    softly.assertAll();
  }

  @Test
  @Order(3)
  @DisplayName("A node leaves with SIGTERM and joins again: no worker's gate flaps, and every handover carries the tenant's true state")
  void leaveAndJoinDoNotFlapTheGates() throws Exception {
    LeaseTable settled = table();
    NodeProcess leaver = cluster.all().stream()
        .max(Comparator.comparingInt(node -> settled.shardsOf(node.nodeId()).size())).orElseThrow();
    List<NodeProcess> survivors = cluster.allBut(leaver);
    SortedSet<Integer> itsShards = settled.shardsOf(leaver.nodeId());
    List<String> itsTenants = tenantsOf(itsShards);
    // Closed tenants too, on the leaver and elsewhere: their handovers must say closed.
    List<String> suspended = new ArrayList<>(itsTenants.subList(0, 2));
    TENANTS.stream().filter(t -> !itsTenants.contains(t)).limit(2).forEach(suspended::add);
    for (String tenant : suspended) {
      setState(tenant, TenantState.SUSPENDED);
      pollOne(cluster.node(0), tenant);
    }
    awaitGatesAgree(cluster.all(), "the suspended tenants closed");

    long from = System.nanoTime();
    int exit = leaver.terminate(EXIT);
    Within.Seen<LeaseTable> taken = within(TAKEOVER_WAIT, "the survivors hold every shard of the node that left",
        this::table, t -> t.takenFrom(settled, itsShards, nodeIds(survivors)));
    Within.Seen<Map<String, String>> left = awaitGatesAgree(survivors, "after the leave");
    long restartedAt = System.nanoTime();
    leaver.start();
    leaver.awaitRunning(START);
    awaitPlacement(cluster.all(), "the node that left holds its shards again");
    Within.Seen<Map<String, String>> joined = awaitGatesAgree(cluster.all(), "after the join");
    WorkerRecords records = WorkerRecords.read(cluster.all());
    LOG.info("workers: SIGTERM of {} (exit {}): its {} shard(s) taken {} ms after the SIGTERM, the surviving gates "
            + "agreed {} ms after it; started again, every gate agreed {} ms after the start", leaver, exit,
        itsShards.size(), taken.millisSince(from), left.millisSince(from), joined.millisSince(restartedAt));

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(exit).as("the exit code of a clean stop").isZero();
    List<String> untrue = new ArrayList<>();
    int handovers = 0;
    for (SortedMap<String, List<WorkerRecords.Entry>> byTenant : records.appliedSince(from).values()) {
      for (Map.Entry<String, List<WorkerRecords.Entry>> tenant : byTenant.entrySet()) {
        TenantState state = states.get(tenant.getKey());
        for (WorkerRecords.Entry entry : tenant.getValue()) {
          handovers += "handover".equals(entry.command().reason()) ? 1 : 0;
          if (entry.command().running() != state.running() || !state.displayName().equals(entry.command().state())) {
            untrue.add(entry + ", but the tenant is " + state.displayName());
          }
        }
      }
    }
    softly.assertThat(untrue).as("commands applied around the leave and the join that do not say the tenant's "
        + "state (a flap of its gate)").isEmpty();
    // Each survivor's worker heard every tenant of the leaver announced by its new owner.
    for (NodeProcess survivor : survivors) {
      String worker = left.value().get(survivor.nodeId());
      SortedMap<String, List<WorkerRecords.Entry>> applied = records.appliedSince(from).getOrDefault(worker,
          new TreeMap<>());
      for (String tenant : itsTenants) {
        softly.assertThat(applied.getOrDefault(tenant, List.of()))
            .as("%s's handover at %s", tenant, worker)
            .anyMatch(e -> "handover".equals(e.command().reason())
                && e.command().epoch() == taken.value().epoch(TenantShard.shard(tenant, SHARDS)));
      }
    }
    softly.assertThat(records.notRising()).as("commands a worker applied at or below the pair it applied before")
        .isEmpty();
    LOG.info("workers: {} handover(s) applied around the leave and the join, {} of them untrue", handovers,
        untrue.size());
    softly.assertAll();
  }

  @Test
  @Order(4)
  @DisplayName("A seeded random history of kills, pauses, leaves and joins, state changes, notifications and forced polls: one owner per tenant at a time, strictly rising (epoch, seq) at every worker, and no tenant lost")
  void generatedHistory() throws Exception {
    long seed = Long.getLong(HISTORY_SEED, System.nanoTime());
    int steps = Integer.getInteger(HISTORY_STEPS, DEFAULT_HISTORY_STEPS);
    String rerun = "-D" + HISTORY_SEED + "=" + seed + " -D" + HISTORY_STEPS + "=" + steps;
    LOG.info("history: seed {}, {} steps (rerun with {})", seed, steps, rerun);
    try {
      runHistory(new Random(seed), steps);
    } catch (AssertionError e) {
      throw new AssertionError("cluster history with seed " + seed + " and " + steps + " steps (rerun with "
          + rerun + "): " + e.getMessage(), e);
    }
  }

  /** The kinds of step a generated history takes, and how often (out of the weights' sum). */
  private enum Step {
    KILL(1), PAUSE(1), LEAVE_AND_JOIN(1), STATE_CHANGE(3), FORCED_POLL(2), POLL_ALL(1);

    private final int weight;

    Step(int weight) {
      this.weight = weight;
    }

    static Step pick(Random random) {
      int at = random.nextInt(Arrays.stream(values()).mapToInt(step -> step.weight).sum());
      for (Step step : values()) {
        at -= step.weight;
        if (at < 0) {
          return step;
        }
      }
      throw new IllegalStateException("weights");
    }

    boolean disrupts() {
      return this == KILL || this == PAUSE || this == LEAVE_AND_JOIN;
    }
  }

  private void runHistory(Random random, int steps) throws Exception {
    // Every tenant due every second: the polls show who runs what all along.
    simulator.setValidity(SHORT_VALIDITY).await(30, TimeUnit.SECONDS);
    pollAll(cluster.node(0));
    long from = System.nanoTime();
    LeaseSamples samples = LeaseSamples.start(vertx, db);
    SortedMap<String, Integer> taken = new TreeMap<>();
    try {
      for (int i = 1; i <= steps; i++) {
        Step step = Step.pick(random);
        taken.merge(step.name(), 1, Integer::sum);
        long stepAt = System.nanoTime();
        String what = take(step, random);
        LOG.info("history: step {}/{} {} ({} ms)", i, steps, what, millisSince(stepAt));
      }
    } finally {
      for (NodeProcess node : cluster.all()) {
        if (!node.isAlive()) {
          node.start();
          node.awaitRunning(START);
        }
      }
    }
    long settleAt = System.nanoTime();
    Within.Seen<LeaseTable> placed = awaitPlacement(cluster.all(), "after the history, the placement's leases held");
    Instant polledFrom = Instant.now();
    pollAll(cluster.node(0));
    Within.Seen<Map<String, JsonObject>> polled = within(SETTLE, "after the history, every tenant polled again",
        () -> listing(cluster.node(0)), views -> views.keySet().containsAll(TENANTS)
            && views.values().stream().allMatch(view -> polledAfter(view, polledFrom)));
    Optional<Within.Seen<Map<String, String>>> agreed = gatesAgree(cluster.all(), "after the history");
    long pollsFrom = System.nanoTime();
    within(Duration.ofSeconds(30), "after the history, every tenant polled by the proxies",
        () -> cluster.polledSince(pollsFrom), counts -> counts.keySet().containsAll(TENANTS));
    List<LeaseTable> tables = samples.stop();
    LeaseTable last = table();
    WorkerRecords records = WorkerRecords.read(cluster.all());
    LOG.info("history: steps taken {}; settled {} ms after the last step (placement {} ms, every tenant polled {} ms, "
            + "every gate agreed {}); {} lease reads, {} worker records", taken, millisSince(settleAt),
        placed.millisSince(settleAt), polled.millisSince(settleAt),
        agreed.map(seen -> seen.millisSince(settleAt) + " ms").orElse("never"), tables.size(), records.all().size());

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(leaseOrderBroken(tables)).as("lease rows whose epoch fell or whose owner changed at the same "
        + "epoch, and tenant rows whose epoch fell, between two reads").isEmpty();
    List<String> strays = new ArrayList<>();
    for (NodeProcess node : cluster.all()) {
      for (StateApiProxy.Poll poll : cluster.proxy(node).since(from)) {
        int shard = TenantShard.shard(poll.tenant(), SHARDS);
        if (poll.atNanos() - tables.get(tables.size() - 1).atNanos() < 0 && !heldAround(tables, poll.atNanos(), shard,
            node)) {
          strays.add(poll.tenant() + " polled by " + node + " +" + TimeUnit.NANOSECONDS.toMillis(poll.atNanos() - from)
              + " ms, its shard " + shard + " not held by it in the lease reads around");
        }
      }
    }
    softly.assertThat(strays).as("polls by a node that did not hold the tenant's shard (two owners at once)")
        .isEmpty();
    softly.assertThat(records.notRising()).as("commands a worker applied at or below the pair it applied before")
        .isEmpty();
    softly.assertThat(madeAfterLeaseMoved(records, tables, from))
        .as("commands that reached a worker, made at an epoch below their shard's lease %s ms or more after a read "
            + "showed that lease (a stale owner's)", CLOCK_GRACE_MS).isEmpty();
    Map<String, JsonObject> views = listing(cluster.node(1));
    for (String tenant : TENANTS) {
      JsonObject view = views.get(tenant);
      softly.assertThat(view).as("%s listed after the history", tenant).isNotNull();
      if (view != null) {
        softly.assertThat(view.getString("owner")).as("%s's owner", tenant)
            .isEqualTo(last.ownerOf(tenant, SHARDS).orElse("nobody"));
        softly.assertThat(view.getBoolean("running")).as("%s open as its state %s says", tenant, states.get(tenant))
            .isEqualTo(states.get(tenant).running());
      }
    }
    softly.assertThat(agreed).as("every worker's gate agrees with the admin API after the history (%s)",
        agreed.isEmpty() ? disagreements(cluster.all()) : "").isPresent();
    softly.assertAll();
  }

  /** Takes one step; a disruption also changes some tenants while a node is down, frozen or gone. */
  private String take(Step step, Random random) throws Exception {
    List<NodeProcess> nodes = cluster.all();
    NodeProcess node = nodes.get(random.nextInt(nodes.size()));
    List<NodeProcess> others = cluster.allBut(node);
    if (!step.disrupts()) {
      return act(step, random, nodes);
    }
    LeaseTable before = table();
    SortedSet<Integer> itsShards = before.shardsOf(node.nodeId());
    String meanwhile;
    switch (step) {
      case KILL -> {
        node.kill(EXIT);
        meanwhile = act(Step.STATE_CHANGE, random, others);
        within(TAKEOVER_WAIT, "the others hold the killed node's shards", this::table,
            t -> t.takenFrom(before, itsShards, nodeIds(others)));
        node.start();
        node.awaitRunning(START);
      }
      case PAUSE -> {
        node.freeze();
        try {
          meanwhile = act(Step.STATE_CHANGE, random, others);
          // Past failure detection, even when it held no shard yet. Read from the others' logs: an admin request
          // sent before they count it out waits for the frozen member's answer until the request's timeout.
          within(TAKEOVER_WAIT, "the others count the frozen node out", () -> others,
              observers -> observers.stream().allMatch(observer -> countedOut(observer, node)));
          within(TAKEOVER_WAIT, "the others hold the frozen node's shards", this::table,
              t -> t.takenFrom(before, itsShards, nodeIds(others)));
        } finally {
          node.thaw();
        }
      }
      case LEAVE_AND_JOIN -> {
        node.terminate(EXIT);
        meanwhile = act(Step.STATE_CHANGE, random, others);
        node.start();
        node.awaitRunning(START);
      }
      default -> throw new IllegalArgumentException(step.name());
    }
    return step + " of " + node.name() + " (" + itsShards.size() + " shards), meanwhile " + meanwhile;
  }

  /** A step that disrupts no node, through one of {@code live}. */
  private String act(Step step, Random random, List<NodeProcess> live) throws Exception {
    NodeProcess via = live.get(random.nextInt(live.size()));
    switch (step) {
      case STATE_CHANGE -> {
        StringBuilder changes = new StringBuilder("state changes");
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
          String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
          TenantState state = HISTORY_STATES.get(random.nextInt(HISTORY_STATES.size()));
          setState(tenant, state);
          changes.append(' ').append(tenant).append('=').append(state.displayName());
          if (random.nextBoolean()) {
            simulator.sendNotificationsTo("http://127.0.0.1:" + via.httpPort() + "/superoffice/state-change");
            long sentAt = System.nanoTime();
            // The simulator waits 5 s for an answer; a webhook whose tenant's owner just went may take longer.
            String answer = simulator.notify(tenant, NOTIFIED.get(state), null)
                .transform(sent -> Future.succeededFuture(sent.succeeded() ? sent.result().toString()
                    : "no answer (" + sent.cause().getMessage() + ")"))
                .await(30, TimeUnit.SECONDS);
            changes.append(" (").append(NOTIFIED.get(state).label()).append(" to ").append(via.name()).append(": ")
                .append(answer).append(" after ").append(millisSince(sentAt)).append(" ms)");
            assertThat(answer).as("the webhook's answer to a valid notification").isNotIn("400", "401", "500");
          }
        }
        return changes.toString();
      }
      case FORCED_POLL -> {
        String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
        int status = pollOne(via, tenant).statusCode();
        assertThat(status).as("a forced poll's answer").isIn(200, 502, 503, 504);
        return "forced poll of " + tenant + " through " + via.name() + ": " + status;
      }
      case POLL_ALL -> {
        pollAll(via);
        return "every tenant re-polled through " + via.name();
      }
      default -> throw new IllegalArgumentException(step.name());
    }
  }

  // ---- what the tests read ----

  private LeaseTable table() throws Exception {
    return LeaseTable.read(db).await(30, TimeUnit.SECONDS);
  }

  private <T> Within.Seen<T> within(Duration limit, String what, Callable<T> probe, Predicate<T> done)
      throws Exception {
    try {
      return Within.until(vertx, limit, what, probe, done);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nthe nodes' last lines:\n" + cluster.tails(), e);
    }
  }

  private Within.Seen<LeaseTable> awaitPlacement(Collection<NodeProcess> live, String what) throws Exception {
    SortedMap<Integer, String> preferred = Placement.of(nodeIds(live), SHARDS).owners();
    return within(SETTLE, what + " (" + preferred + ")", this::table, t -> t.liveOwners().equals(preferred));
  }

  /**
   * Waits until the gate of every worker on {@code live} agrees with the admin API; the value maps each node to
   * its worker's address.
   */
  private Within.Seen<Map<String, String>> awaitGatesAgree(Collection<NodeProcess> live, String context)
      throws Exception {
    return gatesAgree(live, context).orElseThrow(() -> new AssertionError(context + ": the workers' gates do not "
        + "agree with the admin API within " + CONVERGE.toSeconds() + " s: " + disagreements(live)));
  }

  /** As {@link #awaitGatesAgree}, empty when they do not agree in time. */
  private Optional<Within.Seen<Map<String, String>>> gatesAgree(Collection<NodeProcess> live, String context)
      throws Exception {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    while (true) {
      long at = System.nanoTime();
      Map<String, String> workers = new TreeMap<>();
      List<String> disagree = disagreements(live, workers);
      if (disagree.isEmpty()) {
        return Optional.of(new Within.Seen<>(workers, at));
      }
      if (System.nanoTime() - deadline > 0) {
        LOG.warn("workers: {}: the gates still disagree with the admin API: {}", context, disagree);
        return Optional.empty();
      }
      vertx.timer(Within.EVERY_MS).await(30, TimeUnit.SECONDS);
    }
  }

  private List<String> disagreements(Collection<NodeProcess> live) {
    return disagreements(live, new TreeMap<>());
  }

  /**
   * Where a worker's gate on {@code live} differs from the admin API (asked of the first of them): a tenant it
   * does not know, or whose gate or {@code (epoch, seq)} is not the tenant's; fills {@code workers} with each
   * node's worker address.
   */
  private List<String> disagreements(Collection<NodeProcess> live, Map<String, String> workers) {
    List<String> disagree = new ArrayList<>();
    try {
      Map<String, JsonObject> views = listing(live.iterator().next());
      if (!views.keySet().containsAll(TENANTS)) {
        disagree.add("the admin API lists " + views.size() + " of " + TENANTS.size() + " tenants");
      }
      for (NodeProcess node : live) {
        JsonObject gate = gateView(node);
        workers.put(node.nodeId(), gate.getString("worker"));
        JsonObject known = gate.getJsonObject("tenants");
        for (Map.Entry<String, JsonObject> view : views.entrySet()) {
          Object held = known.getValue(view.getKey());
          Fence owed = new Fence(view.getValue().getLong("epoch"), view.getValue().getLong("seq"));
          if (!(held instanceof JsonObject json)) {
            disagree.add(node.name() + " does not know " + view.getKey());
            continue;
          }
          Command command = Command.fromJson(json);
          if (command.running() != view.getValue().getBoolean("running") || !command.fence().equals(owed)) {
            disagree.add(node.name() + " holds " + view.getKey() + " " + command.fence() + " "
                + (command.running() ? "open" : "closed") + ", the admin API " + owed + " "
                + (view.getValue().getBoolean("running") ? "open" : "closed") + " (owner " + view.getValue()
                .getString("owner") + ")");
          }
        }
      }
    } catch (Exception e) {
      disagree.add("not read: " + e);
    }
    return disagree;
  }

  /** Every stored tenant's snapshot (without its history), as the node taking its shard over would read it. */
  private Map<String, JsonObject> stored() throws Exception {
    Map<String, JsonObject> rows = new TreeMap<>();
    db.query("SELECT tenant, snapshot - 'history' AS snapshot FROM tenant WHERE snapshot IS NOT NULL").execute()
        .await(30, TimeUnit.SECONDS).forEach(row -> rows.put(row.getString("tenant"), (JsonObject) row.getValue("snapshot")));
    return rows;
  }

  /** Every tenant's view from {@code node}'s {@code GET /admin/tenants}; fails when a member did not answer. */
  private Map<String, JsonObject> listing(NodeProcess node) throws Exception {
    JsonObject all = client.get(node.adminPort(), "127.0.0.1", "/admin/tenants").send().await(30, TimeUnit.SECONDS)
        .bodyAsJsonObject();
    if (all.containsKey("unanswered")) {
      throw new IllegalStateException("unanswered: " + all.getJsonArray("unanswered"));
    }
    Map<String, JsonObject> views = new TreeMap<>();
    all.getJsonArray("tenants").forEach(view -> views.put(((JsonObject) view).getString("tenant"), (JsonObject) view));
    return views;
  }

  /**
   * Whether the members {@code observer} last logged leave {@code gone} out. A line from before the freeze counts
   * too: an observer split off earlier may have counted it out already, and logs nothing new.
   */
  private static boolean countedOut(NodeProcess observer, NodeProcess gone) {
    return observer.lastMembers().filter(members -> !members.contains(gone.nodeId())).isPresent();
  }

  private JsonObject gateView(NodeProcess node) throws Exception {
    return client.get(node.recording().orElseThrow().gatePort(), "127.0.0.1", "/gate").send()
        .await(30, TimeUnit.SECONDS).bodyAsJsonObject();
  }

  private void pollAll(NodeProcess via) throws Exception {
    HttpResponse<Buffer> answer = client.post(via.adminPort(), "127.0.0.1", "/admin/tenants/poll").send()
        .await(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).as("POST /admin/tenants/poll: %s", answer.bodyAsString()).isEqualTo(202);
  }

  private HttpResponse<Buffer> pollOne(NodeProcess via, String tenant) throws Exception {
    return client.post(via.adminPort(), "127.0.0.1", "/admin/tenants/" + tenant + "/poll").send()
        .await(30, TimeUnit.SECONDS);
  }

  private void setState(String tenant, TenantState state) throws Exception {
    if (states.get(tenant) != state) {
      simulator.set(tenant, state).await(30, TimeUnit.SECONDS);
      states.put(tenant, state);
    }
  }

  /**
   * Between each two lease reads: a shard's epoch that fell, or whose owner changed from one node to another at
   * the same epoch (two owners under one epoch), and a tenant row whose epoch fell (a stale owner's write).
   */
  private static List<String> leaseOrderBroken(List<LeaseTable> tables) {
    List<String> broken = new ArrayList<>();
    for (int i = 1; i < tables.size(); i++) {
      LeaseTable before = tables.get(i - 1);
      LeaseTable after = tables.get(i);
      for (LeaseTable.Lease lease : after.leases().values()) {
        LeaseTable.Lease was = before.leases().get(lease.shard());
        if (was == null) {
          continue;
        }
        if (lease.epoch() < was.epoch()) {
          broken.add("shard " + lease.shard() + "'s epoch fell from " + was.epoch() + " to " + lease.epoch());
        } else if (lease.epoch() == was.epoch() && lease.owner() != null && was.owner() != null
            && !lease.owner().equals(was.owner())) {
          broken.add("shard " + lease.shard() + " went from " + was.owner() + " to " + lease.owner() + " at epoch "
              + lease.epoch());
        }
      }
      after.tenantEpochs().forEach((tenant, epoch) -> {
        Long was = before.tenantEpochs().get(tenant);
        if (was != null && epoch < was) {
          broken.add(tenant + "'s row went from epoch " + was + " to " + epoch);
        }
      });
    }
    return broken;
  }

  /** Whether the view's last successful poll was applied after {@code instant}. */
  private static boolean polledAfter(JsonObject view, Instant instant) {
    String polled = view.getString("lastPolledAt");
    return polled != null && view.getString("validUntil") != null && Instant.parse(polled).isAfter(instant);
  }

  /**
   * Whether {@code node} held {@code shard}'s live lease in the last read sent before {@code nanos} or in the
   * first sent after it: a poll then may be its own.
   */
  private static boolean heldAround(List<LeaseTable> tables, long nanos, int shard, NodeProcess node) {
    LeaseTable before = null;
    LeaseTable after = null;
    for (LeaseTable table : tables) {
      if (table.atNanos() - nanos <= 0) {
        before = table;
      } else if (after == null) {
        after = table;
      }
    }
    return holds(before, shard, node) || holds(after, shard, node) || (before == null && after == null);
  }

  private static boolean holds(LeaseTable table, int shard, NodeProcess node) {
    return table != null && node.nodeId().equals(table.liveOwners().get(shard));
  }

  /**
   * Commands that reached a worker since {@code from} (applied or not) and were made at an epoch below their shard's
   * lease epoch as a read at least {@link #CLOCK_GRACE_MS} earlier showed it: a stale owner spoke after the new
   * owner had taken the lease.
   */
  private static List<String> madeAfterLeaseMoved(WorkerRecords records, List<LeaseTable> tables, long from) {
    List<String> stale = new ArrayList<>();
    for (WorkerRecords.Entry entry : records.receivedSince(from)) {
      Command command = entry.command();
      int shard = TenantShard.shard(command.tenant(), SHARDS);
      Instant shownBy = command.at().minusMillis(CLOCK_GRACE_MS);
      tables.stream().filter(t -> !t.dbNow().isAfter(shownBy) && t.epoch(shard) > command.epoch())
          .findFirst().ifPresent(t -> stale.add(entry + ", made at " + command.at() + ", while the lease read at "
              + t.dbNow() + " showed epoch " + t.epoch(shard)));
    }
    return stale;
  }

  private static List<String> tenantsOf(Collection<Integer> shards) {
    return TENANTS.stream().filter(t -> shards.contains(TenantShard.shard(t, SHARDS))).toList();
  }
}
