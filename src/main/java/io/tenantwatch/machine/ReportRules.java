package io.tenantwatch.machine;

import io.tenantwatch.domain.Symptom;
import java.time.Instant;
import java.util.List;

/**
 * Symptom reports (contracts.md, "Symptom reports"): a worker's 421, 502 to 504 or failed connection is a hint,
 * as a notification is; the state API stays the truth. A report changes neither the gate, the state nor
 * {@code seq}, sends no command and records no step; it only asks for a poll, at most one per
 * {@code minPollInterval}:
 * <ul>
 *   <li>a poll already asked for and not answered (none scheduled) answers the report: nothing more;</li>
 *   <li>within {@code minPollInterval} after the last poll that answered reports, the next poll is brought
 *       forward to the end of that window when it is due later, and counts as the next poll that answers
 *       reports (a reserved poll that another poll's result pushed later is brought back to its time);</li>
 *   <li>otherwise a poll now, at notification priority ({@link PollReason#REPORT}).</li>
 * </ul>
 * So a thousand failing calls bring one poll, and every report is answered by a poll asked for at most
 * {@code minPollInterval} after it. A {@code wrong-host} report about the tenant's current api (or naming
 * none) also marks its endpoint suspect until the next successful poll; one about another api is about a
 * place the tenant has left, and marks nothing.
 */
final class ReportRules {
  private final PollSettings settings;

  ReportRules(PollSettings settings) {
    this.settings = settings;
  }

  TenantMachine.Step apply(TenantSnapshot before, TenantEvent.SymptomReported report, Instant now) {
    Reports reports = before.reports();
    if (report.symptom() == Symptom.WRONG_HOST && (report.api() == null || report.api().equals(before.api()))) {
      reports = reports.withEndpointSuspect(true);
    }
    Instant scheduled = before.nextPollAt();
    if (scheduled == null) {
      return new TenantMachine.Step(before.withReports(reports), List.of());
    }
    Instant last = reports.pollAt();
    if (last == null || !now.isBefore(last.plus(settings.minPollInterval()))) {
      return TenantMachine.pollNow(before.withReports(reports.withPollAt(now)), PollReason.REPORT);
    }
    // A poll that answers reports is still ahead (brought forward earlier), or was asked for within the window.
    Instant due = last.isAfter(now) ? last : last.plus(settings.minPollInterval());
    if (!scheduled.isAfter(due)) {
      return new TenantMachine.Step(before.withReports(reports), List.of());
    }
    TenantSnapshot next = before.withNextPollAt(due).withReports(reports.withPollAt(due));
    return new TenantMachine.Step(next, List.of(new Effect.SchedulePoll(due)));
  }
}
