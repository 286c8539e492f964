package io.tenantwatch.simulator;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * When each scripted tenant takes its next step or sends a notification ahead of it, and the story log
 * line for each step. One queue ordered by due time serves every tenant, so a tick costs only what is
 * due and 100,000 tenants need no timer each. Confined to the simulator's event loop.
 */
final class ScenarioSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  /**
   * Something due at an epoch millisecond of the clock while the tenant is at {@code step}: the step to
   * the next phase, or ({@code lead}) that phase's notification sent ahead of it.
   */
  private record Due(long at, SimulatedTenant tenant, int step, boolean lead) {
  }

  private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::at));
  private final Level storyLevel;
  private final Clock clock;
  private final Map<String, SimulatedTenant> tenants;
  private final NotificationSender sender;
  /**
   * Per tenant, the latest work not yet answered: a lead notification, or a step waiting for one or
   * sending its own. A step waits for the lead in flight before it, whoever sent it.
   */
  private final Map<SimulatedTenant, Future<Void>> unsettled = new HashMap<>();

  /**
   * @param storyLevel INFO for a demo-sized simulator, DEBUG where the story would drown the log
   * @param tenants the simulator's tenants, telling which still exist
   */
  ScenarioSchedule(Level storyLevel, Clock clock, Map<String, SimulatedTenant> tenants, NotificationSender sender) {
    this.storyLevel = storyLevel;
    this.clock = clock;
    this.tenants = tenants;
    this.sender = sender;
  }

  /** Puts a fresh scripted tenant into its first phase, which announces nothing. */
  void begin(SimulatedTenant tenant, long now) {
    plan(tenant, tenant.advance(), now);
    LOG.atLevel(storyLevel).log("simulator: {} plays {}, starting {}",
        tenant.ctx(), tenant.scenario().label(), tenant.describe());
  }

  /** Steps, or sends ahead for, every tenant whose time has come, without waiting for any answer. */
  void advanceDue(long now) {
    Due next;
    while ((next = due.peek()) != null && next.at() <= now) {
      due.poll();
      SimulatedTenant tenant = next.tenant();
      // A removed, replaced, taken-over or manually advanced tenant leaves stale entries behind.
      if (current(tenant, next.step())) {
        if (next.lead()) {
          sendLead(tenant);
        } else {
          step(tenant);
        }
      }
    }
  }

  /**
   * Moves the tenant to its next phase; the one after follows that phase's length. A phase announced
   * ahead changes state only once its notification has been answered: one not sent yet (a step taken by
   * hand) goes out first, one still in flight is waited for, so it always arrives before the change shows.
   * Completes once the step is in force and the notification it sends on arrival has been answered;
   * never fails, as a lost notification does not stop the story.
   */
  Future<Void> step(SimulatedTenant tenant) {
    int from = tenant.step();
    Future<Void> stepped = sendLead(tenant).compose(sent -> {
      if (!current(tenant, from)) {
        return Future.succeededFuture();
      }
      Phase entered = enter(tenant);
      ScriptedNotification notification = entered.notification();
      return notification == null || notification.leads()
          ? Future.succeededFuture() : sender.sendScripted(tenant, entered);
    });
    return track(tenant, stepped);
  }

  /** Completes once every step and notification started so far has been answered. */
  Future<Void> settled() {
    return Future.join(new ArrayList<>(unsettled.values())).mapEmpty();
  }

  private Future<Void> sendLead(SimulatedTenant tenant) {
    Phase upcoming = tenant.upcoming();
    ScriptedNotification notification = upcoming.notification();
    if (notification == null || !notification.leads()) {
      return Future.succeededFuture();
    }
    if (!tenant.claimLead(tenant.step() + 1)) {
      return unsettled.getOrDefault(tenant, Future.succeededFuture());
    }
    return track(tenant, sender.sendScripted(tenant, upcoming));
  }

  private Future<Void> track(SimulatedTenant tenant, Future<Void> work) {
    if (!work.isComplete()) {
      unsettled.put(tenant, work);
      work.onComplete(done -> unsettled.remove(tenant, work));
    }
    return work;
  }

  private Phase enter(SimulatedTenant tenant) {
    String before = tenant.describe();
    String endpointBefore = tenant.endpoint();
    String versionBefore = tenant.version();
    Phase entered = tenant.advance();
    plan(tenant, entered, clock.millis());
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
    return entered;
  }

  /** Queues the step out of this phase and, when the next phase is announced ahead, its notification. */
  private void plan(SimulatedTenant tenant, Phase phase, long now) {
    if (phase.last()) {
      return;
    }
    long stepAt = now + phase.duration().toMillis();
    due.add(new Due(stepAt, tenant, tenant.step(), false));
    ScriptedNotification ahead = tenant.upcoming().notification();
    if (ahead != null && ahead.leads()) {
      due.add(new Due(Math.max(now, stepAt - ahead.lead().toMillis()), tenant, tenant.step(), true));
    }
  }

  private boolean current(SimulatedTenant tenant, int step) {
    return tenants.get(tenant.ctx()) == tenant && tenant.scripted() && tenant.step() == step;
  }
}
