package io.tenantwatch.worker;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import java.time.Instant;

/** Commands as a tenant verticle would make them. */
final class Commands {
  static final Instant MADE_AT = Instant.parse("2025-03-01T11:00:00Z");

  private Commands() {
  }

  static Command resume(String tenant, long seq) {
    return make(CommandType.RESUME, tenant, "Running", true, seq);
  }

  static Command pause(String tenant, long seq) {
    return make(CommandType.PAUSE, tenant, "Suspended", false, seq);
  }

  static Command endpoint(String tenant, long seq) {
    return new Command(CommandType.ENDPOINT, tenant, "Running", true, endpointOf(tenant) + "moved/",
        endpointOf(tenant) + "moved/api/", "poll", seq, 0, MADE_AT);
  }

  /** A resume whose api is {@code api}, a test's own server. */
  static Command resumeAt(String tenant, long seq, String api) {
    return new Command(CommandType.RESUME, tenant, "Running", true, api, api, "poll", seq, 0, MADE_AT);
  }

  /** An endpoint command moving the tenant to {@code api}. */
  static Command endpointAt(String tenant, long seq, String api) {
    return new Command(CommandType.ENDPOINT, tenant, "Running", true, api, api, "poll", seq, 0, MADE_AT);
  }

  static Command resync(String tenant, long seq) {
    return new Command(CommandType.RESYNC, tenant, "Running", true, endpointOf(tenant), apiOf(tenant),
        "notification:BackupRestored", seq, 0, MADE_AT);
  }

  static Command retire(String tenant, long seq) {
    return make(CommandType.RETIRE, tenant, "Deleted", false, seq);
  }

  /** The same command as an owner at lease epoch {@code epoch} sends it. */
  static Command atEpoch(long epoch, Command command) {
    return new Command(command.type(), command.tenant(), command.state(), command.running(), command.endpoint(),
        command.api(), command.reason(), command.seq(), epoch, command.at());
  }

  static String endpointOf(String tenant) {
    return "https://sod.superoffice.com/" + tenant + "/";
  }

  static String apiOf(String tenant) {
    return endpointOf(tenant) + "api/";
  }

  private static Command make(CommandType type, String tenant, String state, boolean running, long seq) {
    return new Command(type, tenant, state, running, endpointOf(tenant), apiOf(tenant), "poll", seq, 0, MADE_AT);
  }
}
