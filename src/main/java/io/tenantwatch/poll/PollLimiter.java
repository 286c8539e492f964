package io.tenantwatch.poll;

import io.tenantwatch.machine.PollReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one gate every poll passes (R9): at most {@code maxConcurrent} polls in flight, at most
 * {@code maxPerSecond} started in any one second, the most urgent {@link PollReason#priority()} first and
 * first come, first served within a priority, and never two polls of one tenant at once.
 *
 * <p>A second request for a tenant is joined to the poll already asked for, with one exception: a
 * notification for a tenant whose poll is in flight. That request may have left before SuperOffice's
 * change, so its answer can be stale, and a notification asks for a poll <em>now</em> (R5). The
 * tenant is marked instead, and when its poll finishes it is queued once more at notification
 * priority: one follow-up, however many notifications arrived meanwhile. An admin request still joins
 * the poll in flight (R8).
 *
 * <p>The rate is a token bucket (kept as a GCRA "theoretical arrival time") whose capacity is only
 * {@code max(1, maxPerSecond / 20)}, so starts are spread evenly through the second rather than sent
 * in a burst: thousands of start-up polls leave at the configured rate. Every operation is O(1)
 * whatever the queue length; the limiter holds no timers. It only says what to do next, and its owner
 * arms one timer when told to {@link Wait}.
 *
 * <p>Not thread-safe: it belongs to the StatePoller's event loop.
 */
public final class PollLimiter {

  /** What to do next, as answered by {@link #next()}. */
  public sealed interface Decision permits Start, Wait, Idle {
  }

  /** Poll this tenant now; it counts as in flight until {@link #finish(String)}. */
  public record Start(String tenant, PollReason reason) implements Decision {
  }

  /** Polls are queued but the rate allows the next start only after {@code delay}. */
  public record Wait(Duration delay) implements Decision {
  }

  /** Nothing to start until a request arrives or a poll in flight finishes. */
  public record Idle() implements Decision {
  }

  /** What became of an {@link #offer}. */
  public enum Admission {
    /** A new entry at the back of its priority. */
    QUEUED,
    /** The tenant was already waiting; it moved up if the new reason is more urgent. */
    JOINED_QUEUED,
    /** The tenant is being polled; that poll's result answers this request too. */
    JOINED_IN_FLIGHT,
    /**
     * A notification for a tenant being polled: that poll's result is delivered as usual, and the
     * tenant is queued again at notification priority when it finishes. Further notifications before
     * then add nothing: the one follow-up answers them all.
     */
    FOLLOW_UP
  }

  private static final Idle IDLE = new Idle();
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int maxConcurrent;
  private final long intervalNanos;
  private final long burstToleranceNanos;
  private final Clock clock;
  /** One FIFO per priority, index = priority; insertion order is arrival order. */
  private final List<LinkedHashMap<String, PollReason>> queues = new ArrayList<>();
  private final Set<String> inFlight = new HashSet<>();
  /** Tenants in flight that a notification asked to poll again once their poll finishes. */
  private final Set<String> followUps = new HashSet<>();
  private int queued;
  private long theoreticalStart;
  private long lastNow = Long.MIN_VALUE;

  /**
   * @throws IllegalArgumentException when a limit is not positive
   */
  public PollLimiter(int maxConcurrent, int maxPerSecond, Clock clock) {
    if (maxConcurrent <= 0 || maxPerSecond <= 0) {
      throw new IllegalArgumentException("the poll limits must be positive");
    }
    this.maxConcurrent = maxConcurrent;
    this.intervalNanos = NANOS_PER_SECOND / maxPerSecond;
    this.burstToleranceNanos = (Math.max(1, maxPerSecond / 20) - 1) * intervalNanos;
    this.clock = clock;
    int levels = Arrays.stream(PollReason.values()).mapToInt(PollReason::priority).max().orElse(0) + 1;
    for (int i = 0; i < levels; i++) {
      queues.add(new LinkedHashMap<>());
    }
  }

  /**
   * Asks for a poll of {@code tenant}; a tenant waiting or in flight is joined, not polled twice at
   * once, except that a notification for a tenant in flight earns it one {@link Admission#FOLLOW_UP}.
   */
  public Admission offer(String tenant, PollReason reason) {
    if (inFlight.contains(tenant)) {
      if (reason == PollReason.NOTIFICATION) {
        followUps.add(tenant);
        return Admission.FOLLOW_UP;
      }
      return Admission.JOINED_IN_FLIGHT;
    }
    for (int priority = 0; priority < queues.size(); priority++) {
      Map<String, PollReason> queue = queues.get(priority);
      if (queue.containsKey(tenant)) {
        if (reason.priority() < priority) {
          queue.remove(tenant);
          queues.get(reason.priority()).put(tenant, reason);
        }
        return Admission.JOINED_QUEUED;
      }
    }
    queues.get(reason.priority()).put(tenant, reason);
    queued++;
    return Admission.QUEUED;
  }

  /** Takes the next poll to start, if the limits allow one now. */
  public Decision next() {
    if (queued == 0 || inFlight.size() >= maxConcurrent) {
      return IDLE;
    }
    long now = now();
    long earliest = theoreticalStart - burstToleranceNanos;
    if (now < earliest) {
      return new Wait(Duration.ofNanos(earliest - now));
    }
    theoreticalStart = Math.max(theoreticalStart, now) + intervalNanos;
    for (LinkedHashMap<String, PollReason> queue : queues) {
      Iterator<Map.Entry<String, PollReason>> head = queue.entrySet().iterator();
      if (head.hasNext()) {
        Map.Entry<String, PollReason> entry = head.next();
        head.remove();
        queued--;
        inFlight.add(entry.getKey());
        return new Start(entry.getKey(), entry.getValue());
      }
    }
    throw new IllegalStateException("queued count out of step with the queues");
  }

  /**
   * Marks the poll of {@code tenant} as done, and queues its follow-up if a notification asked for one
   * while it was in flight; false when it was not in flight.
   */
  public boolean finish(String tenant) {
    if (!inFlight.remove(tenant)) {
      return false;
    }
    if (followUps.remove(tenant)) {
      // A tenant in flight is never also queued, so this is a fresh entry, not a duplicate.
      queues.get(PollReason.NOTIFICATION.priority()).put(tenant, PollReason.NOTIFICATION);
      queued++;
    }
    return true;
  }

  /** Polls waiting to start. */
  public int queued() {
    return queued;
  }

  /** Polls started and not yet finished. */
  public int inFlight() {
    return inFlight.size();
  }

  private long now() {
    Instant instant = clock.instant();
    long now = instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    if (now < lastNow) {
      // The wall clock stepped back: keep the spacing instead of stalling for the size of the step.
      theoreticalStart -= lastNow - now;
    }
    lastNow = now;
    return now;
  }
}
