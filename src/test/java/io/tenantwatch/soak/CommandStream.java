package io.tenantwatch.soak;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.machine.Cause;
import io.tenantwatch.machine.TenantMachine;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands one tenant was sent, as one observer saw them (the registered worker, or the transitions
 * on {@code tenantwatch.events}), checked as a worker that applies them in order would see them. The
 * rules are those of the machine's own invariants, seen from outside:
 * <ul>
 *   <li>{@code seq}: every command's {@code seq} is above every earlier one's, across watches of the
 *       same tenant (a worker ignores a command whose seq is not above the last it applied);</li>
 *   <li>{@code alternation}: {@code resume} only after a {@code pause} (or before any gate command),
 *       {@code pause} only while open, {@code endpoint} and {@code resync} only while open, and every
 *       command's {@code running} is the gate it leaves;</li>
 *   <li>{@code terminal}: after a {@code retire} only an unwatch's {@code retire}; an unwatch's
 *       {@code retire} ends the watch, and a later watch starts closed.</li>
 * </ul>
 */
final class CommandStream {
  /** What became of one command. */
  enum Outcome { APPLIED, DUPLICATE, BEFORE_BASELINE }

  private final String tenant;
  private final String observer;
  private final List<List<Command>> watches = new ArrayList<>(List.of(new ArrayList<>()));
  private final List<Command> all = new ArrayList<>();
  private long lastSeq;
  private boolean open;
  private Command retire;
  private long baselineSeq;

  CommandStream(String tenant, String observer) {
    this.tenant = tenant;
    this.observer = observer;
  }

  /**
   * Starts from where the tenant stood when the soak began to watch it: the registry's snapshot of its
   * latest command (a resume or a pause carrying the gate and seq), which stands first in the first watch.
   * Commands up to its seq went out before the soak listened and are passed over.
   */
  void startFrom(Command snapshot) {
    baselineSeq = snapshot.seq();
    lastSeq = snapshot.seq();
    open = snapshot.running();
    watches.get(0).add(snapshot);
  }

  /**
   * Applies one command; answers DUPLICATE for the very command seen before (same seq, same body).
   *
   * @throws SoakViolation when a rule is broken
   */
  Outcome accept(Command command) {
    if (command.seq() <= baselineSeq) {
      return Outcome.BEFORE_BASELINE;
    }
    if (command.seq() <= lastSeq) {
      boolean repeat = all.stream().anyMatch(seen -> seen.equals(command));
      if (repeat) {
        return Outcome.DUPLICATE;
      }
      throw violation("seq", "%s seq %d came after seq %d", command.type().wireName(), command.seq(), lastSeq);
    }
    boolean unwatched = command.type() == CommandType.RETIRE
        && Cause.UNWATCHED.text().equals(command.reason());
    if (retire != null && !unwatched) {
      throw violation("terminal", "%s seq %d after its retire seq %d (reason %s)", command.type().wireName(),
          command.seq(), retire.seq(), retire.reason());
    }
    switch (command.type()) {
      case RESUME -> check(!open, "resume seq %d while the gate was already open (no pause between)", command.seq());
      case PAUSE -> check(open, "pause seq %d while the gate was already closed", command.seq());
      case ENDPOINT, RESYNC -> check(open, "%s seq %d while the gate was closed", command.type().wireName(),
          command.seq());
      case RETIRE -> { }
    }
    open = command.type().opensGate().orElse(open);
    check(command.running() == open, "%s seq %d says running=%s, leaving the gate %s", command.type().wireName(),
        command.seq(), command.running(), open ? "open" : "closed");
    lastSeq = command.seq();
    all.add(command);
    watches.get(watches.size() - 1).add(command);
    if (command.type() == CommandType.RETIRE) {
      retire = command;
    }
    if (unwatched) {
      watches.add(new ArrayList<>());
      open = false;
      retire = null;
    }
    return Outcome.APPLIED;
  }

  /** The commands of the n-th watch of this tenant (0 = the first), empty when not begun yet. */
  List<Command> watch(int n) {
    return n < watches.size() ? watches.get(n) : List.of();
  }

  /** How many watches have begun (one more than the unwatches seen). */
  int watchesBegun() {
    return watches.size();
  }

  private void check(boolean holds, String format, Object... args) {
    if (!holds) {
      throw violation("alternation", format, args);
    }
  }

  private SoakViolation violation(String rule, String format, Object... args) {
    return new SoakViolation(rule, tenant, observer + ": " + String.format(format, args));
  }
}
