package io.tenantwatch.simulator;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * When each scripted tenant takes its next step, and the story log line for each step. One queue
 * ordered by due time serves every tenant, so a tick costs only the steps that are due. Confined to
 * the simulator's event loop.
 */
final class ScenarioSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  /** A step of a tenant's scenario, due at an epoch millisecond of the clock. */
  private record ScheduledStep(long at, SimulatedTenant tenant, int step) {
  }

  private final PriorityQueue<ScheduledStep> due = new PriorityQueue<>(Comparator.comparingLong(ScheduledStep::at));
  private final Level storyLevel;

  /** @param storyLevel INFO for a demo-sized simulator, DEBUG where the story would drown the log */
  ScenarioSchedule(Level storyLevel) {
    this.storyLevel = storyLevel;
  }

  /** Puts a fresh scripted tenant into its first phase. */
  void begin(SimulatedTenant tenant, long now) {
    schedule(tenant, tenant.advance(), now);
    LOG.atLevel(storyLevel).log("simulator: {} plays {}, starting {}",
        tenant.ctx(), tenant.scenario().label(), tenant.describe());
  }

  /** Steps every tenant whose step is due; {@code tenants} tells which tenants still exist. */
  void advanceDue(long now, Map<String, SimulatedTenant> tenants) {
    ScheduledStep next;
    while ((next = due.peek()) != null && next.at() <= now) {
      due.poll();
      SimulatedTenant tenant = next.tenant();
      // A removed, replaced, taken-over or manually advanced tenant leaves a stale entry behind.
      if (tenants.get(tenant.ctx()) == tenant && tenant.scripted() && tenant.step() == next.step()) {
        step(tenant, now);
      }
    }
  }

  /** Moves the tenant to its next phase now; the one after follows that phase's length. */
  void step(SimulatedTenant tenant, long now) {
    String before = tenant.describe();
    String endpointBefore = tenant.endpoint();
    String versionBefore = tenant.version();
    schedule(tenant, tenant.advance(), now);
    StringBuilder change = new StringBuilder(before).append(" -> ").append(tenant.describe());
    boolean moved = !Objects.equals(endpointBefore, tenant.endpoint());
    boolean upgraded = !Objects.equals(versionBefore, tenant.version());
    if (moved) {
      change.append(" at ").append(tenant.endpoint());
    }
    if (upgraded) {
      change.append(", version ").append(tenant.version());
    }
    // Running -> Running tells an operator nothing.
    Level level = before.equals(tenant.describe()) && !moved && !upgraded ? Level.DEBUG : storyLevel;
    LOG.atLevel(level).log("simulator: {} {} ({})", tenant.ctx(), change, tenant.scenario().label());
  }

  private void schedule(SimulatedTenant tenant, Phase phase, long now) {
    if (!phase.last()) {
      due.add(new ScheduledStep(now + phase.duration().toMillis(), tenant, tenant.step()));
    }
  }
}
