package io.tenantwatch.worker;

import io.tenantwatch.cluster.Fence;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the {@link WorkerRegistry} still owes a worker that registers: per tenant the latest command, the
 * latest {@code resync} until the tenant retires, and the {@code retire} of a tenant that is gone, kept
 * until the tenant is watched again or {@code retiredKept} later retires have pushed it out. Touched only
 * on the registry's context.
 */
final class KnownTenants {
  /** How many retired tenants are remembered; the oldest retire is forgotten first. */
  static final int DEFAULT_RETIRED_KEPT = 10_000;
  /** The reason every snapshot entry carries. */
  static final String SNAPSHOT_REASON = "snapshot";

  private final int retiredKept;
  /** The latest command per tenant; sorted so snapshots read in a stable order. */
  private final Map<String, Command> latest = new TreeMap<>();
  private final Map<String, Command> owedResyncs = new HashMap<>();
  /** The tenants whose latest command is a retire, the longest retired first. */
  private final Set<String> retired = new LinkedHashSet<>();

  KnownTenants(int retiredKept) {
    if (retiredKept < 0) {
      throw new IllegalArgumentException("retiredKept must not be negative, was " + retiredKept);
    }
    this.retiredKept = retiredKept;
  }

  /**
   * The {@code (epoch, seq)} of the tenant's latest command; {@link Fence#NONE} when none is known. A command
   * whose pair is not above it is stale: a duplicate, or a stale owner's in a cluster.
   */
  Fence latest(String tenant) {
    Command known = latest.get(tenant);
    return known == null ? Fence.NONE : known.fence();
  }

  /** Takes a command that is not stale as the tenant's latest. */
  void record(Command command) {
    String tenant = command.tenant();
    if (!command.fence().isAbove(latest(tenant))) {
      throw new IllegalArgumentException("a stale command for " + tenant + ": " + command.fence()
          + " is not above " + latest(tenant));
    }
    latest.put(tenant, command);
    retired.remove(tenant);
    switch (command.type()) {
      case RESYNC -> owedResyncs.put(tenant, command);
      case RETIRE -> {
        owedResyncs.remove(tenant);
        retired.add(tenant);
        forgetOldestRetired();
      }
      case PAUSE, RESUME, ENDPOINT -> {
      }
    }
  }

  private void forgetOldestRetired() {
    Iterator<String> oldest = retired.iterator();
    while (retired.size() > retiredKept) {
      latest.remove(oldest.next());
      oldest.remove();
    }
  }

  /**
   * The snapshot for a worker, tenant by tenant in context-identifier order, each entry with reason
   * {@value #SNAPSHOT_REASON}: a retired tenant's {@code retire}; for any other, a {@code resume} when it
   * is open or a {@code pause} when closed, at its latest {@code (epoch, seq)}, followed by its latest
   * {@code resync} (at that resync's own pair, which may be lower) when it has had one.
   */
  List<Command> snapshotFor(WorkerRegistration registration, Instant at) {
    List<Command> entries = new ArrayList<>();
    latest.values().stream().filter(command -> registration.follows(command.tenant())).forEach(last -> {
      if (last.type() == CommandType.RETIRE) {
        entries.add(entry(CommandType.RETIRE, last, at));
        return;
      }
      entries.add(entry(last.running() ? CommandType.RESUME : CommandType.PAUSE, last, at));
      Command resync = owedResyncs.get(last.tenant());
      if (resync != null) {
        entries.add(entry(CommandType.RESYNC, resync, at));
      }
    });
    return entries;
  }

  private static Command entry(CommandType type, Command from, Instant at) {
    return from.repeated(type, SNAPSHOT_REASON, at);
  }
}
