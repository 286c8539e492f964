package io.tenantwatch.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jepsen-style checking of the pure machine: thousands of generated histories (random orders of poll
 * answers, failures, notifications, operator requests, clock jumps and misbehaving timers), every rule of
 * {@link MachineInvariants} checked after every step. The run is reproducible: the seed comes from
 * {@code -Dhistories.seed=} or is drawn at random, is logged, and is printed with the shrunk history when
 * one fails. {@code -Dhistories.count=} changes how many histories are run.
 */
class GeneratedHistoriesTest {
  private static final Logger LOG = LoggerFactory.getLogger(GeneratedHistoriesTest.class);
  private static final int DEFAULT_COUNT = 10_000;

  private final HistoryRunner runner = new HistoryRunner(HistoryRunner.REAL);

  @Test
  @DisplayName("Ten thousand generated histories keep every rule after every step")
  void generatedHistoriesKeepEveryRule() {
    long seed = Long.getLong("histories.seed", ThreadLocalRandom.current().nextLong());
    int count = Integer.getInteger("histories.count", DEFAULT_COUNT);
    LOG.info("generated histories: {} of seed {} (rerun with -Dhistories.seed={})", count, seed, seed);
    Set<String> covered = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      HistoryRunner.History history = HistoryGenerator.generate(sequenceSeed(seed, i));
      HistoryRunner.Outcome outcome = runner.run(history, covered, false);
      if (outcome.failed()) {
        HistoryRunner.Outcome shrunk = new HistoryShrinker(runner).shrink(outcome);
        fail(HistoryTrace.report(seed, i, history.moves().size(), shrunk));
      }
    }
    assertThat(covered).as("what the histories covered").contains(
        "start", "unwatch", "forced:single", "forced:bulk",
        "notification:Upgrade", "notification:BackupRestored", "notification:Suspend", "notification:Resume",
        "notification:Delete", "notification:Move", "notification:unknown",
        "poll-timer:on-time", "poll-timer:late", "poll-timer:overdue", "poll-timer:stale",
        "hold-timer:early", "hold-timer:on-time", "hold-timer:late", "hold-timer:stale",
        "epoch:single-node", "epoch:taken-over",
        "clock:none", "clock:ms", "clock:seconds", "clock:minutes", "clock:hours", "clock:days");
    for (Symptom symptom : Symptom.values()) {
      for (HistoryMove.Report.ReportedApi api : HistoryMove.Report.ReportedApi.values()) {
        assertThat(covered).contains("report:" + symptom.wireName() + ":" + api.name().toLowerCase(Locale.ROOT));
      }
    }
    for (FailureKind kind : FailureKind.values()) {
      assertThat(covered).contains("poll-failed:" + kind.wireName(), "poll-failed:" + kind.wireName() + "+retry-after");
    }
    for (String naming : List.of("code", "unknown-code", "odd-case", "unknown-name", "Deleted", "Running")) {
      for (String isRunning : List.of("true", "false", "null")) {
        assertThat(covered).contains("poll-ok:" + naming + ":IsRunning=" + isRunning);
      }
    }
  }

  @Test
  @DisplayName("The same seed makes the same histories, so a printed seed reproduces a failure")
  void sameSeedSameHistories() {
    long seed = ThreadLocalRandom.current().nextLong();
    for (int i = 0; i < 50; i++) {
      assertThat(HistoryGenerator.generate(sequenceSeed(seed, i)))
          .isEqualTo(HistoryGenerator.generate(sequenceSeed(seed, i)));
    }
  }

  @Test
  @DisplayName("A machine that reopens the gate during a hold is caught and shrunk to the two moves that show it")
  void reopeningDuringAHoldIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::reopensDuringHold);

    assertThat(shrunk.violation().rule()).isEqualTo("gate");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(3);
    assertThat(shrunk.history().moves()).anyMatch(m -> m instanceof HistoryMove.Notify n && n.type().closesGate());
  }

  @Test
  @DisplayName("A machine that sends resume twice is caught and shrunk to a single poll")
  void resumeTwiceIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::resumesTwice);

    assertThat(shrunk.violation().rule()).isEqualTo("alternation");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(3)
        .hasAtLeastOneElementOfType(HistoryMove.PollOk.class);
  }

  @Test
  @DisplayName("A machine whose failed poll closes the gate is caught")
  void failureThatClosesTheGateIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::failureCloses);

    assertThat(shrunk.violation().rule()).isEqualTo("failure");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(3).last().isInstanceOf(HistoryMove.PollError.class);
  }

  @Test
  @DisplayName("A machine that polls a Deleted tenant again is caught")
  void pollingAfterDeletedIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::pollsWhenRetired);

    assertThat(shrunk.violation().rule()).isEqualTo("terminal");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  @DisplayName("A machine that ignores the transitional cap is caught")
  void ignoringTheTransitionalCapIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::alwaysMaximumCap);

    assertThat(shrunk.violation().rule()).isEqualTo("schedule");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  @DisplayName("A machine that sends its commands at epoch 0 whatever the tenant's epoch is caught")
  void forgettingTheEpochIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::forgetsTheEpoch);

    assertThat(shrunk.violation().rule()).isEqualTo("epoch");
    assertThat(shrunk.history().epoch()).isPositive();
  }

  @Test
  @DisplayName("A machine that polls on every symptom report is caught: a storm of failing calls would be a storm of polls")
  void pollingOnEveryReportIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::pollsOnEveryReport);

    assertThat(shrunk.violation().rule()).isEqualTo("report");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(4).last().isInstanceOf(HistoryMove.Report.class);
  }

  @Test
  @DisplayName("A machine whose wrong-host report pauses an open tenant is caught: a report never moves the gate")
  void reportThatClosesIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::wrongHostPauses);

    assertThat(shrunk.violation().rule()).isEqualTo("report");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(3).last().isInstanceOf(HistoryMove.Report.class);
  }

  @Test
  @DisplayName("A machine that forgets a suspect endpoint on a failed poll is caught")
  void forgettingSuspicionIsCaught() {
    HistoryRunner.Outcome shrunk = firstFailureOf(Broken::failureClearsSuspicion);

    assertThat(shrunk.violation().rule()).isIn("report", "failure");
    assertThat(shrunk.history().moves()).hasSizeLessThanOrEqualTo(4).last().isInstanceOf(HistoryMove.PollError.class);
  }

  /** Runs generated histories against a broken machine until one fails; answers it shrunk. */
  private static HistoryRunner.Outcome firstFailureOf(Broken.Breakage breakage) {
    HistoryRunner broken = new HistoryRunner((settings, random) -> {
      TenantMachine real = new TenantMachine(settings, random);
      return (snapshot, event, now) -> breakage.corrupt(real.apply(snapshot, event, now), event, settings);
    });
    long seed = ThreadLocalRandom.current().nextLong();
    for (int i = 0; i < DEFAULT_COUNT; i++) {
      HistoryRunner.Outcome outcome = broken.run(HistoryGenerator.generate(sequenceSeed(seed, i)));
      if (outcome.failed()) {
        HistoryRunner.Outcome shrunk = new HistoryShrinker(broken).shrink(outcome);
        LOG.debug("caught as expected:\n{}", HistoryTrace.report(seed, i, outcome.history().moves().size(), shrunk));
        return shrunk;
      }
    }
    return fail("no history of seed %d caught the broken machine", seed);
  }

  private static long sequenceSeed(long seed, int sequence) {
    return seed + sequence * 0x9E3779B97F4A7C15L;
  }

  /** Deliberate bugs, each a corruption of a real step, to prove that the rules and the shrinker bite. */
  private static final class Broken {

    @FunctionalInterface
    interface Breakage {
      TenantMachine.Step corrupt(TenantMachine.Step step, TenantEvent event, PollSettings settings);
    }

    /** A poll saying running opens the gate even while a hold is on. */
    static TenantMachine.Step reopensDuringHold(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      TenantSnapshot s = step.snapshot();
      if (event instanceof TenantEvent.PollSucceeded ok && ok.status().running() && s.holdUntil() != null && !s.open()
          && !s.retired()) {
        return withCommand(step, CommandType.RESUME, true);
      }
      return step;
    }

    /** Every resume goes out twice. */
    static TenantMachine.Step resumesTwice(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      boolean resumed = step.effects().stream()
          .anyMatch(e -> e instanceof Effect.SendCommand send && send.command().type() == CommandType.RESUME);
      return resumed ? withCommand(step, CommandType.RESUME, true) : step;
    }

    /** A failed poll of an open tenant pauses it. */
    static TenantMachine.Step failureCloses(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      return event instanceof TenantEvent.PollFailed && step.snapshot().open()
          ? withCommand(step, CommandType.PAUSE, false) : step;
    }

    /** A retired tenant still answers a timer with a poll. */
    static TenantMachine.Step pollsWhenRetired(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      return event instanceof TenantEvent.PollDue && step.snapshot().retired()
          ? new TenantMachine.Step(step.snapshot(), List.of(new Effect.PollNow(PollReason.TIMER))) : step;
    }

    /** After a success the next poll may be as late as the maximum interval, whatever the state. */
    static TenantMachine.Step alwaysMaximumCap(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      if (!(event instanceof TenantEvent.PollSucceeded) || step.snapshot().nextPollAt() == null) {
        return step;
      }
      java.time.Instant late = step.snapshot().lastPolledAt().plus(settings.maxPollInterval());
      List<Effect> effects = step.effects().stream()
          .map(e -> e instanceof Effect.SchedulePoll ? (Effect) new Effect.SchedulePoll(late) : e).toList();
      return new TenantMachine.Step(step.snapshot().withNextPollAt(late), effects);
    }

    /** Every report of a live tenant asks for a poll now, whatever was asked for lately. */
    static TenantMachine.Step pollsOnEveryReport(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      if (!(event instanceof TenantEvent.SymptomReported) || step.snapshot().retired()
          || step.effects().stream().anyMatch(Effect.PollNow.class::isInstance)) {
        return step;
      }
      return new TenantMachine.Step(step.snapshot().withNextPollAt(null), List.of(new Effect.PollNow(PollReason.REPORT)));
    }

    /** A wrong-host report of an open tenant pauses it, as if the report were the truth. */
    static TenantMachine.Step wrongHostPauses(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      return event instanceof TenantEvent.SymptomReported reported && reported.symptom() == Symptom.WRONG_HOST
          && step.snapshot().open() && !step.snapshot().retired() ? withCommand(step, CommandType.PAUSE, false) : step;
    }

    /** A failed poll clears the suspect endpoint, as if it had answered. */
    static TenantMachine.Step failureClearsSuspicion(TenantMachine.Step step, TenantEvent event,
        PollSettings settings) {
      TenantSnapshot s = step.snapshot();
      return event instanceof TenantEvent.PollFailed && s.endpointSuspect() && !s.retired()
          ? new TenantMachine.Step(s.withReports(s.reports().withEndpointSuspect(false)), step.effects()) : step;
    }

    /** Every command goes out at epoch 0, as on a single node, whatever epoch the tenant was given. */
    static TenantMachine.Step forgetsTheEpoch(TenantMachine.Step step, TenantEvent event, PollSettings settings) {
      List<Effect> effects = step.effects().stream().map(e -> {
        if (!(e instanceof Effect.SendCommand send)) {
          return e;
        }
        Command c = send.command();
        return (Effect) new Effect.SendCommand(new Command(c.type(), c.tenant(), c.state(), c.running(), c.endpoint(),
            c.api(), c.reason(), c.seq(), 0, c.at()));
      }).toList();
      return new TenantMachine.Step(step.snapshot(), effects);
    }

    /** Adds one more command after the step's own, numbered next, leaving the gate as {@code open}. */
    private static TenantMachine.Step withCommand(TenantMachine.Step step, CommandType type, boolean open) {
      TenantSnapshot s = step.snapshot();
      Command last = new Command(type, s.tenant(), s.stateName(), open, s.endpoint(), s.api(), "poll", s.seq() + 1, s.epoch(),
          s.lastPolledAt() == null ? HistoryRunner.START : s.lastPolledAt());
      List<Effect> effects = new ArrayList<>();
      int commands = (int) step.effects().stream().filter(Effect.SendCommand.class::isInstance).count();
      effects.addAll(step.effects().subList(0, commands));
      effects.add(new Effect.SendCommand(last));
      effects.addAll(step.effects().subList(commands, step.effects().size()));
      return new TenantMachine.Step(s.withOpen(open).withSeq(s.seq() + 1), effects);
    }
  }
}
