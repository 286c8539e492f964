package io.tenantwatch.tenant;

import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.store.SeenNotification;
import java.util.List;

/**
 * How a tenant's verticle starts: the one place that says which of the three ways it is, and what each
 * brings along. The verticle acts on it in {@code start()}.
 */
sealed interface TenantStart {

  /** What the tenant starts from. */
  TenantSnapshot snapshot();

  /** The notifications it applied whose tokens still live, so that a replay of one stays refused. */
  List<SeenNotification> seen();

  /**
   * Watched afresh (a PUT, a notification, the configuration): from nothing but a {@code seq} above any
   * it sent before, so its first step is a start, and it polls first.
   */
  record Fresh(TenantSnapshot snapshot) implements TenantStart {
    @Override
    public List<SeenNotification> seen() {
      return List.of();
    }
  }

  /**
   * Its verticle failed, and the directory starts it again from the last snapshot it handed over: the
   * workers were already told what it says, so it sends nothing, and re-arms its timers from the snapshot.
   */
  record Restarted(TenantSnapshot snapshot, List<SeenNotification> seen) implements TenantStart {
    public Restarted {
      seen = List.copyOf(seen);
    }
  }

  /**
   * Loaded from the store, after the engine restarted (R11, reason {@code restored}) or on a node that has
   * just taken the tenant's shard over at a new lease epoch (reason {@code handover}, the snapshot at that
   * epoch): it sends its announcement, then goes on as a restarted tenant. The directory, which made the
   * snapshot, hands it to the store (with only the history entries the store lacks). {@link TenantRestore} makes both.
   *
   * @param announcement the step that tells the workers its gate after the restart or handover (its one
   *     command), or null when they need not be told
   */
  record Loaded(TenantSnapshot snapshot, HistoryEntry announcement, List<SeenNotification> seen)
      implements TenantStart {
    public Loaded {
      seen = List.copyOf(seen);
    }
  }
}
