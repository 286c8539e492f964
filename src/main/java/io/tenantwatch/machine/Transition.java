package io.tenantwatch.machine;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One step in the making: the commands it sends and the effects that follow them. {@link #finish} turns
 * it into a {@link TenantMachine.Step} with the commands numbered, the history entry recorded and the
 * effects in their fixed order: commands, then the published entry, then scheduling, then stop.
 */
final class Transition {
  private final TenantSnapshot before;
  private final Cause cause;
  private final Instant now;
  private final int historyLimit;
  private final List<CommandType> commands = new ArrayList<>();
  private final List<Effect> followUps = new ArrayList<>();

  Transition(TenantSnapshot before, Cause cause, Instant now, int historyLimit) {
    this.before = before;
    this.cause = cause;
    this.now = now;
    this.historyLimit = historyLimit;
  }

  /** Queues a command; it carries the finished snapshot's state, endpoint and api. */
  Transition send(CommandType type) {
    commands.add(type);
    return this;
  }

  /** Queues a scheduling or stop effect, to follow the commands and the published entry. */
  Transition then(Effect effect) {
    followUps.add(effect);
    return this;
  }

  /**
   * Numbers the commands from the snapshot's {@code seq}, stamps each with its {@code epoch}, records a history entry when the state's name
   * changed or a command went out (so {@code from} may equal {@code to}), and orders the effects.
   */
  TenantMachine.Step finish(TenantSnapshot next) {
    List<Command> sent = new ArrayList<>(commands.size());
    long seq = before.seq();
    for (CommandType type : commands) {
      seq++;
      boolean running = type.opensGate().orElse(next.open());
      sent.add(new Command(type, next.tenant(), next.stateName(), running, next.endpoint(), next.api(),
          cause.text(), seq, next.epoch(), now));
    }
    List<Effect> effects = new ArrayList<>(sent.size() + followUps.size() + 1);
    sent.forEach(command -> effects.add(new Effect.SendCommand(command)));
    TenantSnapshot result = next.withSeq(seq);
    if (!sent.isEmpty() || !before.stateName().equals(next.stateName())) {
      HistoryEntry entry = new HistoryEntry(next.tenant(), now, before.stateName(), next.stateName(), cause.text(),
          sent);
      effects.add(new Effect.Publish(entry));
      result = result.withHistory(next.history().append(entry, historyLimit));
    }
    effects.addAll(followUps);
    return new TenantMachine.Step(result, effects);
  }
}
