package io.tenantwatch.simulator;

import static io.tenantwatch.domain.TenantState.DELETED;
import static io.tenantwatch.domain.TenantState.DELETING;
import static io.tenantwatch.domain.TenantState.MIGRATION_PENDING;
import static io.tenantwatch.domain.TenantState.OFFLINE_MAINTENANCE;
import static io.tenantwatch.domain.TenantState.ONLINE_MAINTENANCE;
import static io.tenantwatch.domain.TenantState.RUNNING;
import static io.tenantwatch.domain.TenantState.SUSPENDED;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The stories a scripted tenant tells, as a pure function: given a step index and the tenant's seeded
 * {@link Random}, {@link #phase} yields what the tenant answers next and for how long. Nothing here
 * touches time or Vert.x, so every step can be checked without waiting for it.
 *
 * <p>Every scenario but {@link #DELETE} loops. Phase lengths are drawn from {@link #MIN_PHASE} to
 * {@link #MAX_PHASE} so a demo shows activity within a minute.
 *
 * <p>Phases that SuperOffice announces carry the {@link ScriptedNotification} it would send: Upgrade
 * {@link #UPGRADE_LEAD} before OfflineMaintenance, Suspend and Resume, Move {@link #MOVE_LEAD} before the
 * new host shows, Delete, and BackupRestored after a restore. The first phase (step 0) never carries one:
 * a tenant found in a state has not just changed to it.
 */
public enum Scenario {
  /** Running, now and then OnlineMaintenance (which keeps the APIs up). */
  STEADY("steady") {
    @Override
    public Phase phase(int step, Random random) {
      Duration length = length(random);
      boolean maintenance = step % 2 == 1 && random.nextInt(3) == 0;
      return Phase.of(maintenance ? ONLINE_MAINTENANCE : RUNNING, length);
    }
  },
  /**
   * Running, OfflineMaintenance, then Running with a new Version. Upgrade is announced shortly before the
   * tenant goes down; nothing announces its return (the engine polls).
   */
  UPGRADE("upgrade") {
    @Override
    public Phase phase(int step, Random random) {
      Phase phase = Phase.of(step % 2 == 0 ? RUNNING : OFFLINE_MAINTENANCE, HOME_HOST, version(step / 2),
          length(random));
      return step % 2 == 1 ? phase.announcedBy(ScriptedNotification.ahead(ChangeType.UPGRADE, UPGRADE_LEAD)) : phase;
    }
  },
  /** Running, Suspended (announced by Suspend), Running (announced by Resume). */
  SUSPEND("suspend") {
    @Override
    public Phase phase(int step, Random random) {
      Phase phase = alternate(step, random, RUNNING, SUSPENDED);
      if (step == 0) {
        return phase;
      }
      return phase.announcedBy(ScriptedNotification.on(step % 2 == 1 ? ChangeType.SUSPEND : ChangeType.RESUME));
    }
  },
  /**
   * Running, moving from host to host: the endpoint and the api change. Each move is announced by Move,
   * naming the new host, shortly before the state API shows it.
   */
  MOVE("move") {
    @Override
    public Phase phase(int step, Random random) {
      Phase phase = Phase.of(RUNNING, MOVE_HOSTS.get(step % MOVE_HOSTS.size()), version(0), length(random));
      return step == 0 ? phase : phase.announcedBy(ScriptedNotification.ahead(ChangeType.MOVE, MOVE_LEAD));
    }
  },
  /** Running, Deleting (announced by Delete), then Deleted for good. */
  DELETE("delete") {
    @Override
    public Phase phase(int step, Random random) {
      return switch (step) {
        case 0 -> Phase.of(RUNNING, length(random));
        case 1 -> Phase.of(DELETING, length(random)).announcedBy(ScriptedNotification.on(ChangeType.DELETE));
        default -> Phase.of(DELETED, null);
      };
    }
  },
  /** Running, then 503 with {@code Retry-After} for a phase. */
  OUTAGE("outage") {
    @Override
    public Phase phase(int step, Random random) {
      Phase running = Phase.of(RUNNING, length(random));
      return step % 2 == 0 ? running : running.withFault(new Fault.Failing(503, OUTAGE_RETRY_AFTER_SECONDS));
    }
  },
  /** Running, then answering later than a typical request timeout for a phase. */
  SLOW("slow") {
    @Override
    public Phase phase(int step, Random random) {
      Phase running = Phase.of(RUNNING, length(random));
      return step % 2 == 0 ? running : running.withFault(new Fault.Slow(SLOW_DELAY));
    }
  },
  /** Running, then 200 with a body that is not a status (HTML or cut-off JSON) for a phase. */
  GARBAGE("garbage") {
    @Override
    public Phase phase(int step, Random random) {
      Phase running = Phase.of(RUNNING, length(random));
      if (step % 2 == 0) {
        return running;
      }
      return running.withFault(random.nextBoolean() ? new Fault.Garbage(GARBAGE_BODY) : new Fault.Truncated());
    }
  },
  /** Provisioning, then Running. */
  PROVISIONING("provisioning") {
    @Override
    public Phase phase(int step, Random random) {
      return alternate(step, random, TenantState.PROVISIONING, RUNNING);
    }
  },
  /** MigrationPending, then Running. */
  MIGRATION("migration") {
    @Override
    public Phase phase(int step, Random random) {
      return alternate(step, random, MIGRATION_PENDING, RUNNING);
    }
  },
  /** Running, then a state no table knows ("Frozen", not running) for a phase. */
  UNKNOWN_STATE("unknown-state") {
    @Override
    public Phase phase(int step, Random random) {
      Duration length = length(random);
      return step % 2 == 0 ? Phase.of(RUNNING, length) : Phase.raw(UNKNOWN_STATE_NAME, false, length);
    }
  },
  /**
   * Running, OnlineMaintenance (the APIs stay up), Running, then a restore from a backup: OfflineMaintenance,
   * and Running again announced by BackupRestored. Four steps to a round.
   */
  MAINTENANCE("maintenance") {
    @Override
    public Phase phase(int step, Random random) {
      int beat = step % 4;
      TenantState state = beat == 1 ? ONLINE_MAINTENANCE : beat == 3 ? OFFLINE_MAINTENANCE : RUNNING;
      Phase phase = Phase.of(state, length(random));
      return beat == 0 && step > 0 ? phase.announcedBy(ScriptedNotification.on(ChangeType.BACKUP_RESTORED)) : phase;
    }
  };

  public static final Duration MIN_PHASE = Duration.ofSeconds(8);
  public static final Duration MAX_PHASE = Duration.ofSeconds(20);
  /** Longer than a typical request timeout (the engine's default is 5 s). */
  public static final Duration SLOW_DELAY = Duration.ofSeconds(8);
  public static final int OUTAGE_RETRY_AFTER_SECONDS = 2;
  public static final String UNKNOWN_STATE_NAME = "Frozen";
  /** How long before an upgrade takes the tenant down its Upgrade notification goes out. */
  public static final Duration UPGRADE_LEAD = Duration.ofMillis(2_500);
  /** How long before the state API shows the new host a Move notification goes out. */
  public static final Duration MOVE_LEAD = Duration.ofSeconds(2);
  public static final String GARBAGE_BODY =
      "<html><head><title>502 Bad Gateway</title></head><body>upstream error</body></html>";
  /** Where every tenant starts. */
  public static final String HOME_HOST = "sod2.superoffice.com";
  /** The hosts a moving tenant walks through, as SuperOffice moves tenants between them. */
  public static final List<String> MOVE_HOSTS =
      List.of(HOME_HOST, "sod3.superoffice.com", "app-sod.superoffice.com");

  private final String label;

  Scenario(String label) {
    this.label = label;
  }

  /**
   * What the tenant answers at this step (0 is the first) and for how long. The result depends only on
   * the step and on what {@code random} yields.
   */
  public abstract Phase phase(int step, Random random);

  /** The scenario's name in logs, for example {@code unknown-state}. */
  public String label() {
    return label;
  }

  /** The release a tenant runs after this many upgrades. */
  public static String version(int upgrades) {
    return "Release_11." + (10 + upgrades) + "_2026.02.24-01";
  }

  /**
   * All scenarios in an order drawn from the seed. Tenant {@code i} plays {@code order.get(i % size)},
   * so any run of consecutive tenants as long as this list covers every scenario.
   */
  public static List<Scenario> order(long seed) {
    List<Scenario> order = new ArrayList<>(Arrays.asList(values()));
    Collections.shuffle(order, new Random(seed));
    return List.copyOf(order);
  }

  /** The scenario the tenant at this index plays under this seed. */
  public static Scenario forTenant(long seed, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("a tenant index must not be negative, not " + index);
    }
    List<Scenario> order = order(seed);
    return order.get(index % order.size());
  }

  /**
   * The tenant's own random source under this seed: feeding it to {@link #phase} step after step
   * replays exactly the phases the simulator serves for the tenant at this index.
   */
  public static Random randomFor(long seed, int index) {
    // SplitMix64 finaliser: neighbouring tenants get unrelated sequences, not shifted copies.
    long z = seed + (index + 1L) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }

  /** A phase length from {@link #MIN_PHASE} to {@link #MAX_PHASE}, inclusive. */
  static Duration length(Random random) {
    long spread = MAX_PHASE.toMillis() - MIN_PHASE.toMillis();
    return MIN_PHASE.plusMillis(random.nextInt((int) spread + 1));
  }

  private static Phase alternate(int step, Random random, TenantState even, TenantState odd) {
    return Phase.of(step % 2 == 0 ? even : odd, length(random));
  }
}
