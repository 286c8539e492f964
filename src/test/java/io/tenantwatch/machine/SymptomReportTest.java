package io.tenantwatch.machine;

import static io.tenantwatch.machine.MachineFixtures.API_1;
import static io.tenantwatch.machine.MachineFixtures.API_2;
import static io.tenantwatch.machine.MachineFixtures.ENDPOINT_2;
import static io.tenantwatch.machine.MachineFixtures.NOW;
import static io.tenantwatch.machine.MachineFixtures.VALID_UNTIL;
import static io.tenantwatch.machine.MachineFixtures.at;
import static io.tenantwatch.machine.MachineFixtures.command;
import static io.tenantwatch.machine.MachineFixtures.entry;
import static io.tenantwatch.machine.MachineFixtures.machine;
import static io.tenantwatch.machine.MachineFixtures.publish;
import static io.tenantwatch.machine.MachineFixtures.schedulePoll;
import static io.tenantwatch.machine.MachineFixtures.send;
import static io.tenantwatch.machine.MachineFixtures.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symptom reports (contracts.md, "Symptom reports"): every state and gate position against every symptom, about
 * the tenant's current api, an old one or none; the deduplication window on a fixed clock; the suspect endpoint.
 * A report never moves the gate, sends a command or records a step.
 */
class SymptomReportTest {
  private static final Duration MIN = MachineFixtures.SETTINGS.minPollInterval();
  private static final String OLD_API = "https://sod9.superoffice.com:443/Cust12345/api";

  /** Which api a report names, relative to the tenant's. */
  enum ApiNamed { CURRENT, OLD, NONE }

  record Case(String priorName, TenantSnapshot prior, Symptom symptom, ApiNamed api) {
    String apiText() {
      return switch (api) {
        case CURRENT -> prior.api();
        case OLD -> OLD_API;
        case NONE -> null;
      };
    }

    @Override
    public String toString() {
      return symptom.wireName() + " about " + api.name().toLowerCase(java.util.Locale.ROOT) + " api, on " + priorName;
    }
  }

  private final TenantMachine machine = machine();

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Object[] prior : priors()) {
      for (Symptom symptom : Symptom.values()) {
        for (ApiNamed api : ApiNamed.values()) {
          cases.add(new Case((String) prior[0], (TenantSnapshot) prior[1], symptom, api));
        }
      }
    }
    return cases.stream();
  }

  private static List<Object[]> priors() {
    List<Object[]> priors = new ArrayList<>();
    priors.add(new Object[] {"a never-polled tenant, its first poll asked for", MachineFixtures.fresh()});
    for (TenantState state : TenantState.values()) {
      if (state != TenantState.DELETED) {
        priors.add(new Object[] {"open " + state, MachineFixtures.polled(state, true)});
        priors.add(new Object[] {"closed " + state, MachineFixtures.polled(state, false)});
      }
    }
    priors.add(new Object[] {"a tenant held closed", MachineFixtures.heldRunning()});
    priors.add(new Object[] {"an open tenant with a poll in flight", MachineFixtures.openRunning().withNextPollAt(null)});
    priors.add(new Object[] {"an open tenant whose endpoint is already suspect",
        MachineFixtures.openRunning().withReports(new Reports(true, null))});
    priors.add(new Object[] {"a closed tenant after a Resume notification (a poll asked for)",
        machine().apply(MachineFixtures.closedSuspended(), MachineFixtures.notification(3), NOW).snapshot()});
    priors.add(new Object[] {"a retired Deleted tenant", MachineFixtures.retired()});
    priors.add(new Object[] {"an unwatched tenant", machine().apply(MachineFixtures.openRunning(),
        new TenantEvent.Unwatched(), NOW).snapshot()});
    return priors;
  }

  private TenantMachine.Step report(TenantSnapshot before, Symptom symptom, String api, Instant now) {
    return machine.apply(before, new TenantEvent.SymptomReported(symptom, api), now);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("A report polls now unless a poll is asked for already, marks a wrong host suspect, and moves no gate")
  void reportOutcome(Case c) {
    TenantSnapshot prior = c.prior();

    TenantMachine.Step step = report(prior, c.symptom(), c.apiText(), NOW);

    TenantSnapshot after = step.snapshot();
    if (prior.retired()) {
      assertThat(after).isEqualTo(prior);
      assertThat(step.effects()).isEmpty();
      assertThat(ReportOutcome.of(prior, step)).isEqualTo(ReportOutcome.IGNORED);
      return;
    }
    boolean suspect = prior.endpointSuspect() || (c.symptom() == Symptom.WRONG_HOST && c.api() != ApiNamed.OLD);
    if (prior.nextPollAt() == null) {
      assertThat(step.effects()).isEmpty();
      assertThat(after).isEqualTo(prior.withReports(prior.reports().withEndpointSuspect(suspect)));
      assertThat(ReportOutcome.of(prior, step)).isEqualTo(ReportOutcome.DEDUPLICATED);
      return;
    }
    assertThat(step.effects()).containsExactly(new Effect.PollNow(PollReason.REPORT));
    // Nothing but the schedule and the report bookkeeping: gate, hold, state, seq, cause and history stay.
    assertThat(after).isEqualTo(prior.withNextPollAt(null).withReports(new Reports(suspect, NOW)));
    assertThat(ReportOutcome.of(prior, step)).isEqualTo(ReportOutcome.STARTED);
  }

  @Test
  @DisplayName("Within minPollInterval of the poll a report brought, reports bring none; the next poll is brought "
      + "forward to the window's end, once, and then counts as that window's poll")
  void deduplicationWindow() {
    TenantSnapshot s = MachineFixtures.openRunning();

    TenantMachine.Step first = report(s, Symptom.UNAVAILABLE, API_1, NOW);
    assertThat(first.effects()).containsExactly(new Effect.PollNow(PollReason.REPORT));
    TenantMachine.Step inFlight = report(first.snapshot(), Symptom.UNAVAILABLE, API_1, at(Duration.ofMillis(500)));
    assertThat(inFlight.effects()).as("the poll in flight answers it").isEmpty();
    assertThat(ReportOutcome.of(first.snapshot(), inFlight)).isEqualTo(ReportOutcome.DEDUPLICATED);

    s = machine.apply(inFlight.snapshot(), success(MachineFixtures.running()), at(Duration.ofSeconds(1))).snapshot();
    assertThat(s.nextPollAt()).isEqualTo(VALID_UNTIL);
    TenantMachine.Step afterAnswer = report(s, Symptom.UNAVAILABLE, API_1, at(Duration.ofSeconds(2)));
    assertThat(afterAnswer.effects()).containsExactly(schedulePoll(NOW.plus(MIN)));
    assertThat(afterAnswer.snapshot().reports().pollAt()).isEqualTo(NOW.plus(MIN));
    assertThat(ReportOutcome.of(s, afterAnswer)).isEqualTo(ReportOutcome.DEDUPLICATED);
    TenantMachine.Step again = report(afterAnswer.snapshot(), Symptom.UNREACHABLE, null, at(Duration.ofSeconds(3)));
    assertThat(again.effects()).as("the poll brought forward answers it").isEmpty();
    assertThat(again.snapshot()).isEqualTo(afterAnswer.snapshot());

    // The brought-forward poll is that window's: a report just after it waits for the next window's end.
    s = machine.apply(again.snapshot(), new TenantEvent.PollDue(), NOW.plus(MIN)).snapshot();
    s = machine.apply(s, success(MachineFixtures.running()), NOW.plus(MIN)).snapshot();
    TenantMachine.Step next = report(s, Symptom.UNAVAILABLE, API_1, NOW.plus(MIN).plusMillis(1));
    assertThat(next.effects()).containsExactly(schedulePoll(NOW.plus(MIN).plus(MIN)));

    s = machine.apply(next.snapshot(), new TenantEvent.PollDue(), NOW.plus(MIN).plus(MIN)).snapshot();
    s = machine.apply(s, success(MachineFixtures.running()), NOW.plus(MIN).plus(MIN)).snapshot();
    Instant windowOver = NOW.plus(MIN).plus(MIN).plus(MIN);
    assertThat(report(s, Symptom.UNAVAILABLE, API_1, windowOver).effects()).as("the window is over")
        .containsExactly(new Effect.PollNow(PollReason.REPORT));
  }

  @Test
  @DisplayName("A thousand failing calls' reports bring one poll now and one brought forward, never more")
  void aThousandReports() {
    TenantSnapshot s = MachineFixtures.openRunning();
    List<Effect> effects = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Instant now = at(Duration.ofMillis(i));
      if (i == 300) {
        s = machine.apply(s, success(MachineFixtures.running()), now).snapshot();
      }
      TenantMachine.Step step = report(s, Symptom.UNAVAILABLE, API_1, now);
      effects.addAll(step.effects());
      s = step.snapshot();
    }

    assertThat(effects).containsExactly(new Effect.PollNow(PollReason.REPORT), schedulePoll(NOW.plus(MIN)));
  }

  @Test
  @DisplayName("A poll brought forward for reports and then pushed later by another poll's result is brought back")
  void reservedPollBroughtBack() {
    TenantSnapshot s = report(MachineFixtures.openRunning(), Symptom.UNAVAILABLE, API_1, NOW).snapshot();
    s = machine.apply(s, success(MachineFixtures.running()), at(Duration.ofSeconds(1))).snapshot();
    s = report(s, Symptom.UNAVAILABLE, API_1, at(Duration.ofSeconds(2))).snapshot();
    assertThat(s.nextPollAt()).isEqualTo(NOW.plus(MIN));
    s = machine.apply(s, MachineFixtures.notification(3), at(Duration.ofSeconds(3))).snapshot();
    s = machine.apply(s, success(MachineFixtures.running()), at(Duration.ofSeconds(3))).snapshot();
    assertThat(s.nextPollAt()).isEqualTo(VALID_UNTIL);

    TenantMachine.Step step = report(s, Symptom.UNAVAILABLE, API_1, at(Duration.ofSeconds(4)));

    assertThat(step.effects()).containsExactly(schedulePoll(NOW.plus(MIN)));
    assertThat(step.snapshot().reports().pollAt()).isEqualTo(NOW.plus(MIN));
  }

  @Test
  @DisplayName("With minPollInterval 0 every report brings a poll unless one is asked for already")
  void noWindow() {
    TenantMachine noFloor = new TenantMachine(new PollSettings(Duration.ZERO, Duration.ofHours(1),
        Duration.ofSeconds(30), 0, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(2), 50), () -> 0);
    TenantSnapshot s = noFloor.apply(MachineFixtures.openRunning(), new TenantEvent.SymptomReported(
        Symptom.UNAVAILABLE, API_1), NOW).snapshot();
    s = noFloor.apply(s, success(MachineFixtures.running()), NOW).snapshot();

    assertThat(noFloor.apply(s, new TenantEvent.SymptomReported(Symptom.UNAVAILABLE, API_1), NOW).effects())
        .containsExactly(new Effect.PollNow(PollReason.REPORT));
  }

  @Test
  @DisplayName("A wrong host at the current api is suspect until a poll answers: a failed poll keeps it, a success clears it")
  void suspectUntilAPollAnswers() {
    TenantSnapshot s = report(MachineFixtures.openRunning(), Symptom.WRONG_HOST, API_1, NOW).snapshot();
    assertThat(s.endpointSuspect()).isTrue();
    assertThat(s.open()).isTrue();

    s = machine.apply(s, MachineFixtures.failure(FailureKind.TIMEOUT), at(Duration.ofSeconds(1))).snapshot();
    assertThat(s.endpointSuspect()).as("a failed poll answers nothing").isTrue();
    s = machine.apply(s, new TenantEvent.PollDue(), s.nextPollAt()).snapshot();
    s = machine.apply(s, success(MachineFixtures.running()), at(Duration.ofSeconds(3))).snapshot();
    assertThat(s.endpointSuspect()).isFalse();
  }

  @Test
  @DisplayName("Only a wrong host marks the endpoint, and not one about an api the tenant has left")
  void whatMarksSuspect() {
    TenantSnapshot open = MachineFixtures.openRunning();

    assertThat(report(open, Symptom.WRONG_HOST, null, NOW).snapshot().endpointSuspect()).isTrue();
    assertThat(report(open, Symptom.WRONG_HOST, API_2, NOW).snapshot().endpointSuspect()).isFalse();
    assertThat(report(open, Symptom.UNAVAILABLE, API_1, NOW).snapshot().endpointSuspect()).isFalse();
    assertThat(report(open, Symptom.UNREACHABLE, API_1, NOW).snapshot().endpointSuspect()).isFalse();
    assertThat(report(open, Symptom.WRONG_HOST, API_2, NOW).effects()).as("still polled")
        .containsExactly(new Effect.PollNow(PollReason.REPORT));
  }

  @Test
  @DisplayName("A wrong host's poll that finds the tenant moved sends the ordinary endpoint command (R3) and clears the suspicion")
  void wrongHostThenMoved() {
    TenantSnapshot s = report(MachineFixtures.openRunning(), Symptom.WRONG_HOST, API_1, NOW).snapshot();

    TenantMachine.Step step = machine.apply(s, success(MachineFixtures.moved(TenantState.RUNNING, true)),
        at(Duration.ZERO));

    Command endpoint = command(CommandType.ENDPOINT, "Running", true, ENDPOINT_2, API_2, "poll", MachineFixtures.SEQ + 1);
    assertThat(step.effects()).containsExactly(send(endpoint), publish(entry("Running", "Running", "poll", endpoint)),
        schedulePoll(VALID_UNTIL));
    assertThat(step.snapshot().endpointSuspect()).isFalse();
  }

  @Test
  @DisplayName("An unavailable tenant's poll that finds it down sends the ordinary pause (R1, R2); the report itself sent none")
  void unavailableThenDown() {
    TenantMachine.Step reported = report(MachineFixtures.openRunning(), Symptom.UNAVAILABLE, API_1, NOW);
    assertThat(reported.effects()).noneMatch(e -> e instanceof Effect.SendCommand || e instanceof Effect.Publish);

    TenantMachine.Step step = machine.apply(reported.snapshot(),
        success(MachineFixtures.status(TenantState.OFFLINE_MAINTENANCE, false)), NOW);

    Command pause = command(CommandType.PAUSE, "OfflineMaintenance", false, "poll", MachineFixtures.SEQ + 1);
    assertThat(step.effects()).startsWith(send(pause));
    assertThat(step.snapshot().open()).isFalse();
  }

  @Test
  @DisplayName("A report keeps a notification's pending cause: the poll's step is still caused by the notification")
  void keepsPendingCause() {
    TenantSnapshot notified = machine.apply(MachineFixtures.openRunning(), MachineFixtures.move(null), NOW).snapshot();

    TenantSnapshot reported = report(notified, Symptom.WRONG_HOST, API_1, NOW).snapshot();

    assertThat(reported.pendingCause()).isEqualTo(Cause.notification(ChangeType.MOVE));
  }

  @Test
  @DisplayName("A report without a symptom is refused")
  void missingSymptom() {
    assertThatThrownBy(() -> machine.apply(MachineFixtures.openRunning(), new TenantEvent.SymptomReported(null, API_1),
        NOW)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("symptom");
  }
}
