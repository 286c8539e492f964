package io.tenantwatch.machine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a tenant did with a worker's symptom report (contracts.md, "Symptom reports"), as its answer names it. */
public enum ReportOutcome {
  /** The report brought a poll now. */
  STARTED,
  /** A poll asked for, or one due within {@code minPollInterval}, answers it. */
  DEDUPLICATED,
  /** The tenant is retired (Deleted, or being unwatched): nothing is polled. */
  IGNORED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The outcome a wire name names, empty for anything else. */
  public static Optional<ReportOutcome> byWireName(String name) {
    return Arrays.stream(values()).filter(outcome -> outcome.wireName().equals(name)).findFirst();
  }

  /** The outcome of the step a report made from {@code before}. */
  public static ReportOutcome of(TenantSnapshot before, TenantMachine.Step step) {
    if (before.retired()) {
      return IGNORED;
    }
    return step.effects().stream().anyMatch(Effect.PollNow.class::isInstance) ? STARTED : DEDUPLICATED;
  }
}
