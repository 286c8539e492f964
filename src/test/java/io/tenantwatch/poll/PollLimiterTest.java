package io.tenantwatch.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantwatch.machine.PollReason;
import io.tenantwatch.poll.PollLimiter.Admission;
import io.tenantwatch.poll.PollLimiter.Decision;
import io.tenantwatch.poll.PollLimiter.Idle;
import io.tenantwatch.poll.PollLimiter.Start;
import io.tenantwatch.poll.PollLimiter.Wait;
import io.tenantwatch.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PollLimiterTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-02-23T09:00:00Z"));

  @Test
  @DisplayName("no more polls are in flight than the concurrency limit, and a finished one frees its slot")
  void capsPollsInFlight() {
    PollLimiter limiter = new PollLimiter(2, 1000, clock);
    offerTimers(limiter, "Cust1", "Cust2", "Cust3");

    assertThat(startedTenant(limiter.next())).isEqualTo("Cust1");
    assertThat(startedTenant(limiter.next())).isEqualTo("Cust2");
    assertThat(limiter.next()).isInstanceOf(Idle.class);
    assertThat(limiter.inFlight()).isEqualTo(2);
    assertThat(limiter.queued()).isEqualTo(1);

    assertThat(limiter.finish("Cust1")).isTrue();
    assertThat(startedTenant(limiter.next())).isEqualTo("Cust3");
    assertThat(limiter.finish("Cust1")).isFalse();
  }

  @Test
  @DisplayName("with nothing queued the limiter is idle and asks for no timer")
  void idleWhenEmpty() {
    PollLimiter limiter = new PollLimiter(2, 20, clock);

    assertThat(limiter.next()).isInstanceOf(Idle.class);
  }

  @Test
  @DisplayName("at 20 polls a second, starts are spaced 50 ms apart rather than sent in a burst")
  void spreadsStartsEvenly() {
    PollLimiter limiter = new PollLimiter(100, 20, clock);
    offerTimers(limiter, "Cust1", "Cust2", "Cust3");

    assertThat(limiter.next()).isInstanceOf(Start.class);
    assertThat(limiter.next()).isEqualTo(new Wait(Duration.ofMillis(50)));
    clock.advanceBy(Duration.ofMillis(30));
    assertThat(limiter.next()).isEqualTo(new Wait(Duration.ofMillis(20)));
    clock.advanceBy(Duration.ofMillis(20));
    assertThat(startedTenant(limiter.next())).isEqualTo("Cust2");
  }

  @Test
  @DisplayName("a high rate allows a small burst of a twentieth of a second's polls, then paces")
  void smallBurstAtHighRates() {
    PollLimiter limiter = new PollLimiter(1000, 200, clock);
    for (int i = 1; i <= 20; i++) {
      limiter.offer("Cust" + i, PollReason.START);
    }

    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      decisions.add(limiter.next());
    }

    assertThat(decisions.subList(0, 10)).allMatch(Start.class::isInstance);
    assertThat(decisions.get(10)).isEqualTo(new Wait(Duration.ofMillis(5)));
  }

  @Test
  @DisplayName("thousands of start polls never exceed the rate in any one-second window")
  void startUpIsSpreadOverTime() {
    PollLimiter limiter = new PollLimiter(16, 20, clock);
    for (int i = 1; i <= 3000; i++) {
      limiter.offer("Cust" + i, PollReason.START);
    }
    List<Long> startMillis = new ArrayList<>();
    long elapsed = 0;
    while (startMillis.size() < 3000) {
      Decision next = limiter.next();
      if (next instanceof Start start) {
        startMillis.add(elapsed);
        limiter.finish(start.tenant());
      } else {
        long step = ((Wait) next).delay().toMillis();
        clock.advanceBy(Duration.ofMillis(step));
        elapsed += step;
      }
    }

    assertThat(maxInAnyWindow(startMillis, 1000)).isLessThanOrEqualTo(20);
    assertThat(elapsed).isGreaterThanOrEqualTo(149_000);
  }

  @Test
  @DisplayName("admin and notification polls go ahead of start and timer polls, first come first served within each")
  void urgentPollsFirst() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.offer("Cust2", PollReason.START);
    limiter.offer("Cust3", PollReason.ADMIN);
    limiter.offer("Cust4", PollReason.TIMER);
    limiter.offer("Cust5", PollReason.NOTIFICATION);

    assertThat(drain(limiter)).containsExactly("Cust3", "Cust5", "Cust1", "Cust2", "Cust4");
  }

  @Test
  @DisplayName("a report's poll goes ahead of start and timer polls, at a notification's priority")
  void reportPollsAreUrgent() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.offer("Cust2", PollReason.REPORT);
    limiter.offer("Cust3", PollReason.NOTIFICATION);
    limiter.offer("Cust4", PollReason.START);

    assertThat(drain(limiter)).containsExactly("Cust2", "Cust3", "Cust1", "Cust4");
  }

  @Test
  @DisplayName("a report for a tenant in flight joins that poll and brings no follow-up: a storm of reports is one poll")
  void reportInFlightJoinsWithoutFollowUp() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.REPORT);
    limiter.next();

    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.offer("Cust1", PollReason.REPORT)).isEqualTo(Admission.JOINED_IN_FLIGHT);
    }
    limiter.finish("Cust1");

    assertThat(limiter.queued()).isZero();
    assertThat(limiter.next()).isInstanceOf(Idle.class);
  }

  @Test
  @DisplayName("a second request for a queued tenant joins it, and moves it up when it is more urgent")
  void joinsQueuedTenant() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    offerTimers(limiter, "Cust1", "Cust2", "Cust3");

    assertThat(limiter.offer("Cust3", PollReason.NOTIFICATION)).isEqualTo(Admission.JOINED_QUEUED);
    assertThat(limiter.offer("Cust1", PollReason.TIMER)).isEqualTo(Admission.JOINED_QUEUED);
    assertThat(limiter.queued()).isEqualTo(3);
    assertThat(drain(limiter)).containsExactly("Cust3", "Cust1", "Cust2");
  }

  @Test
  @DisplayName("a less urgent request does not move a queued tenant down")
  void neverDemotes() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.offer("Cust2", PollReason.ADMIN);
    limiter.offer("Cust2", PollReason.TIMER);

    Start first = (Start) limiter.next();
    assertThat(first).isEqualTo(new Start("Cust2", PollReason.ADMIN));
  }

  @Test
  @DisplayName("an admin request for a tenant in flight joins that poll and queues nothing")
  void joinsPollInFlight() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.next();

    assertThat(limiter.offer("Cust1", PollReason.ADMIN)).isEqualTo(Admission.JOINED_IN_FLIGHT);
    assertThat(limiter.queued()).isZero();
    assertThat(limiter.next()).isInstanceOf(Idle.class);

    limiter.finish("Cust1");
    assertThat(limiter.offer("Cust1", PollReason.ADMIN)).isEqualTo(Admission.QUEUED);
  }

  @Test
  @DisplayName("a notification for a tenant in flight brings one follow-up poll, at notification priority, after it finishes")
  void notificationInFlightFollowsUp() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.next();
    limiter.offer("Cust2", PollReason.TIMER);

    assertThat(limiter.offer("Cust1", PollReason.NOTIFICATION)).isEqualTo(Admission.FOLLOW_UP);
    assertThat(limiter.queued()).isEqualTo(1);

    assertThat(limiter.finish("Cust1")).isTrue();
    assertThat(limiter.queued()).isEqualTo(2);
    assertThat(limiter.next()).isEqualTo(new Start("Cust1", PollReason.NOTIFICATION));
    assertThat(limiter.next()).isEqualTo(new Start("Cust2", PollReason.TIMER));
  }

  @Test
  @DisplayName("two notifications while a tenant is in flight still bring only one follow-up, and then nothing more")
  void oneFollowUpForManyNotifications() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.next();

    assertThat(limiter.offer("Cust1", PollReason.NOTIFICATION)).isEqualTo(Admission.FOLLOW_UP);
    assertThat(limiter.offer("Cust1", PollReason.NOTIFICATION)).isEqualTo(Admission.FOLLOW_UP);
    limiter.finish("Cust1");

    assertThat(limiter.queued()).isEqualTo(1);
    assertThat(limiter.next()).isEqualTo(new Start("Cust1", PollReason.NOTIFICATION));
    assertThat(limiter.finish("Cust1")).isTrue();
    assertThat(limiter.queued()).isZero();
    assertThat(limiter.next()).isInstanceOf(Idle.class);
  }

  @Test
  @DisplayName("an admin request for a tenant in flight joins that poll and brings no follow-up")
  void adminInFlightJoinsWithoutFollowUp() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    limiter.offer("Cust1", PollReason.TIMER);
    limiter.next();

    assertThat(limiter.offer("Cust1", PollReason.ADMIN)).isEqualTo(Admission.JOINED_IN_FLIGHT);
    assertThat(limiter.offer("Cust1", PollReason.START)).isEqualTo(Admission.JOINED_IN_FLIGHT);
    limiter.finish("Cust1");

    assertThat(limiter.queued()).isZero();
    assertThat(limiter.next()).isInstanceOf(Idle.class);
  }

  @Test
  @DisplayName("a notification for a tenant only queued joins the queued entry and moves it up, with no follow-up")
  void notificationWhileQueuedJoins() {
    PollLimiter limiter = new PollLimiter(1000, 1000, clock);
    offerTimers(limiter, "Cust1", "Cust2");

    assertThat(limiter.offer("Cust2", PollReason.NOTIFICATION)).isEqualTo(Admission.JOINED_QUEUED);
    assertThat(limiter.queued()).isEqualTo(2);

    assertThat(limiter.next()).isEqualTo(new Start("Cust2", PollReason.NOTIFICATION));
    limiter.finish("Cust2");
    assertThat(limiter.next()).isEqualTo(new Start("Cust1", PollReason.TIMER));
    limiter.finish("Cust1");
    assertThat(limiter.queued()).isZero();
  }

  @Test
  @DisplayName("a wall clock stepping back does not stall the queue")
  void clockSteppingBack() {
    PollLimiter limiter = new PollLimiter(1000, 20, clock);
    offerTimers(limiter, "Cust1", "Cust2");
    limiter.next();

    clock.advanceBy(Duration.ofHours(-1));

    assertThat(limiter.next()).isEqualTo(new Wait(Duration.ofMillis(50)));
  }

  @Test
  @DisplayName("a queue of 200,000 tenants is taken in order without slowing down")
  void largeQueue() {
    PollLimiter limiter = new PollLimiter(100_000, 1_000_000, clock);
    for (int i = 0; i < 200_000; i++) {
      limiter.offer("Cust" + i, i % 2 == 0 ? PollReason.TIMER : PollReason.NOTIFICATION);
    }
    for (int i = 0; i < 200_000; i += 3) {
      limiter.offer("Cust" + i, PollReason.ADMIN);
    }

    List<String> order = drain(limiter);

    assertThat(order).hasSize(200_000);
    assertThat(new HashSet<>(order)).hasSize(200_000);
    assertThat(order.get(0)).isEqualTo("Cust1");
    assertThat(order.get(order.size() - 1)).isEqualTo("Cust199996");
  }

  @Test
  @DisplayName("limits that are not positive are refused")
  void refusesBadLimits() {
    assertThatThrownBy(() -> new PollLimiter(0, 20, clock)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PollLimiter(16, 0, clock)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void offerTimers(PollLimiter limiter, String... tenants) {
    for (String tenant : tenants) {
      assertThat(limiter.offer(tenant, PollReason.TIMER)).isEqualTo(Admission.QUEUED);
    }
  }

  private static String startedTenant(Decision decision) {
    assertThat(decision).isInstanceOf(Start.class);
    return ((Start) decision).tenant();
  }

  /** Starts and finishes everything queued, moving the clock as the limiter asks. */
  private List<String> drain(PollLimiter limiter) {
    List<String> order = new ArrayList<>();
    while (limiter.queued() > 0) {
      Decision next = limiter.next();
      if (next instanceof Start start) {
        order.add(start.tenant());
        limiter.finish(start.tenant());
      } else {
        clock.advanceBy(((Wait) next).delay());
      }
    }
    return order;
  }

  /** The most starts inside any half-open window [t, t + width) that begins at a start. */
  static int maxInAnyWindow(List<Long> sortedTimes, long width) {
    int max = 0;
    int tail = 0;
    for (int head = 0; head < sortedTimes.size(); head++) {
      while (sortedTimes.get(head) - sortedTimes.get(tail) >= width) {
        tail++;
      }
      max = Math.max(max, head - tail + 1);
    }
    return max;
  }
}
