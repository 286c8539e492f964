package io.tenantwatch.machine;

import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.TenantStatus;

/** Everything that can happen to a watched tenant: the closed family of inputs to {@link TenantMachine}. */
public sealed interface TenantEvent {

  /** The tenant's verticle started: poll it (through the limiter). */
  record Started() implements TenantEvent {
  }

  /** The state API answered with a usable body for this tenant. */
  record PollSucceeded(TenantStatus status) implements TenantEvent {
  }

  /** The poll failed; nothing but the schedule changes (R7). */
  record PollFailed(PollFailure failure) implements TenantEvent {
  }

  /** A verified state-change notification: a hint (R5). */
  record NotificationReceived(Notification notification) implements TenantEvent {
  }

  /**
   * An operator asked for a poll now (R8). {@code single} is a poll of this one tenant that an operator
   * waits for; a re-poll of every tenant is not single and goes at the ordinary priority.
   */
  record PollForced(boolean single) implements TenantEvent {
  }

  /**
   * A worker reported what it saw calling the tenant: a hint, like a notification, that brings a poll; it never
   * moves the gate by itself (contracts.md, "Symptom reports").
   *
   * @param symptom what the worker saw
   * @param api the api base the worker called, null when the report did not say
   */
  record SymptomReported(Symptom symptom, String api) implements TenantEvent {
  }

  /** The poll timer fired. */
  record PollDue() implements TenantEvent {
  }

  /** The notification hold ended (R5). */
  record HoldExpired() implements TenantEvent {
  }

  /** An operator stopped watching the tenant (R4). */
  record Unwatched() implements TenantEvent {
  }
}
