package io.tenantwatch.machine;

import io.tenantwatch.domain.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** How a history reads when it fails: one line per move, times relative to the start, short durations. */
final class HistoryTrace {

  private HistoryTrace() {
  }

  /** {@code 0ms}, {@code 350ms}, {@code 12.5s}, {@code 3m20s}, {@code 2h05m}, {@code 3d04h}. */
  static String duration(long millis) {
    if (millis < 1_000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return (millis % 1_000 == 0 ? Long.toString(millis / 1_000) : String.valueOf(millis / 1_000.0)) + "s";
    }
    long seconds = millis / 1_000;
    if (seconds < 3_600) {
      return seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
    }
    if (seconds < 86_400) {
      return seconds / 3_600 + "h" + String.format("%02d", seconds / 60 % 60) + "m";
    }
    return seconds / 86_400 + "d" + String.format("%02d", seconds / 3_600 % 24) + "h";
  }

  /** The order of magnitude of a clock jump, for coverage labels. */
  static String magnitude(long millis) {
    return millis == 0 ? "none" : millis < 1_000 ? "ms" : millis < 60_000 ? "seconds"
        : millis < 3_600_000 ? "minutes" : millis < 86_400_000 ? "hours" : "days";
  }

  /** One move and what the machine made of it (step null: no event, or the machine threw). */
  static String line(int index, Instant now, HistoryMove move, TenantMachine.Step step) {
    String head = String.format("%4s %-12s %s", index < 0 ? "" : (index + 1) + ".", at(now), move);
    return step == null ? head : head + "\n" + " ".repeat(18) + "=> " + brief(step, now);
  }

  private static String at(Instant now) {
    return "t+" + duration(Duration.between(HistoryRunner.START, now).toMillis());
  }

  private static String brief(TenantMachine.Step step, Instant now) {
    TenantSnapshot s = step.snapshot();
    List<String> parts = new ArrayList<>();
    parts.add(s.stateName() + (s.open() ? " open" : " closed") + (s.retired() ? " retired" : ""));
    parts.add("seq " + s.seq());
    if (s.holdUntil() != null) {
      parts.add("hold until " + at(s.holdUntil()));
    }
    if (s.endpointHint() != null) {
      parts.add("move hint " + s.endpointHint());
    }
    if (s.endpointSuspect()) {
      parts.add("endpoint suspect");
    }
    parts.add(s.nextPollAt() == null ? "no poll armed" : "next poll " + at(s.nextPollAt()));
    List<String> sent = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (Effect effect : step.effects()) {
      if (effect instanceof Effect.SendCommand send) {
        Command c = send.command();
        sent.add(c.type().wireName() + "#" + c.seq() + " (" + c.reason() + ")");
      } else if (effect instanceof Effect.PollNow poll) {
        other.add("poll now (" + poll.reason().wireName() + ")");
      } else if (effect instanceof Effect.ScheduleHoldEnd hold) {
        other.add("hold end armed " + at(hold.at()));
      }
    }
    return String.join(", ", parts) + (sent.isEmpty() ? "" : "; sent " + sent)
        + (other.isEmpty() ? "" : "; " + String.join(", ", other));
  }

  /** The message a failing run prints: the rule, how to rerun it, the settings, the shrunk moves. */
  static String report(long seed, int sequence, int originalLength, HistoryRunner.Outcome shrunk) {
    PollSettings p = shrunk.history().settings();
    StringBuilder out = new StringBuilder()
        .append("generated history ").append(sequence).append(" of seed ").append(seed)
        .append(" broke rule '").append(shrunk.violation().rule()).append("'\n")
        .append("  ").append(shrunk.violation().getMessage()).append('\n')
        .append("  rerun: mvn -B -q test -Dtest=GeneratedHistoriesTest -Dhistories.seed=").append(seed).append('\n')
        .append("  epoch: ").append(shrunk.history().epoch()).append('\n')
        .append(String.format("  settings: minPoll %s, maxPoll %s, transitional %s, jitter %s, retry %s..%s, hold %s,"
                + " history %d%n", duration(p.minPollInterval().toMillis()), duration(p.maxPollInterval().toMillis()),
            duration(p.transitionalPollInterval().toMillis()), p.jitterRatio(), duration(p.retryMin().toMillis()),
            duration(p.retryMax().toMillis()), duration(p.notificationHold().toMillis()), p.historyLimit()))
        .append("  shrunk from ").append(originalLength).append(" to ").append(shrunk.history().moves().size())
        .append(" moves (after the verticle's start):\n");
    shrunk.trace().forEach(line -> out.append(line).append('\n'));
    return out.append("  ^ the last step broke the rule").toString();
  }
}
