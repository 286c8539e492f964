package io.tenantwatch.tenant;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.ContextId;
import io.tenantwatch.domain.History;
import io.tenantwatch.domain.HistoryEntry;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.InstantText;
import io.tenantwatch.domain.ValidUntilText;
import io.tenantwatch.machine.Cause;
import io.tenantwatch.machine.Gate;
import io.tenantwatch.machine.LastPoll;
import io.tenantwatch.machine.Lifecycle;
import io.tenantwatch.machine.MoveHint;
import io.tenantwatch.machine.PollSchedule;
import io.tenantwatch.machine.Reports;
import io.tenantwatch.machine.TenantSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TenantSnapshot} as JSON, as the store keeps it (the snapshot without its history, and the
 * history's entries apart) and reads it back at a restart. The tenant's verticle hands the directory the
 * snapshot itself ({@link SnapshotReport}), not this. Lives here rather than next to the snapshot because
 * the machine package stays free of Vert.x. Every component is written, {@code null}s included, so a reader sees the complete shape;
 * the state goes as its code, with the raw name SuperOffice sent kept beside it.
 */
public final class SnapshotJson {

  private SnapshotJson() {
  }

  /** The snapshot as a JSON object; {@link #fromJson} reads it back to an equal snapshot. */
  public static JsonObject toJson(TenantSnapshot s) {
    return withoutHistory(s).put("history", entries(s.history(), 0));
  }

  /** The snapshot without its history, as the store keeps it (the history goes apart, in entries). */
  public static JsonObject withoutHistory(TenantSnapshot s) {
    return new JsonObject()
        .put("tenant", s.tenant())
        .put("stateCode", s.state().code())
        .put("rawState", s.rawState())
        .put("open", s.open())
        .put("polledRunning", s.polledRunning())
        .put("endpoint", s.endpoint())
        .put("api", s.api())
        .put("version", s.version())
        .put("validUntil", text(s.validUntil()))
        .put("lastPolledAt", text(s.lastPolledAt()))
        .put("nextPollAt", text(s.nextPollAt()))
        .put("consecutiveFailures", s.consecutiveFailures())
        .put("lastError", s.lastError())
        .put("stale", s.stale())
        .put("holdUntil", text(s.holdUntil()))
        .put("seq", s.seq())
        .put("epoch", s.epoch())
        .put("pendingCause", s.pendingCause() == null ? null : s.pendingCause().text())
        .put("resyncPending", s.resyncPending())
        .put("endpointHint", s.endpointHint())
        .put("hintUntil", text(s.hintUntil()))
        .put("retired", s.retired())
        .put("endpointSuspect", s.endpointSuspect())
        .put("reportPollAt", text(s.reports().pollAt()));
  }

  /** The entries of {@code history} from position {@code from} on, as JSON, read once in order. */
  static JsonArray entries(List<HistoryEntry> history, int from) {
    JsonArray list = new JsonArray(new ArrayList<>(history.size() - from));
    int position = 0;
    for (HistoryEntry entry : history) {
      if (position++ >= from) {
        list.add(entry.toJson());
      }
    }
    return list;
  }

  /**
   * Reads what {@link #toJson} wrote. The history's text equal to the snapshot's own (the tenant,
   * endpoint, api, state names) is kept as the snapshot's very strings, so a node holding many tenants
   * does not hold each one's strings once per entry.
   *
   * @throws IllegalArgumentException when a component is missing, of the wrong type or malformed
   */
  public static TenantSnapshot fromJson(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("a snapshot is a JSON object");
    }
    try {
      SharedText text = new SharedText();
      String tenant = text.same(ContextId.require(json.getString("tenant")));
      TenantState state = TenantState.byCode(required(json.getInteger("stateCode"), "stateCode"))
          .orElseThrow(() -> new IllegalArgumentException("a snapshot's stateCode must be in the state table"));
      LastPoll lastPoll = new LastPoll(state, text.same(json.getString("rawState")), json.getBoolean("polledRunning"),
          text.same(json.getString("endpoint")), text.same(json.getString("api")), text.same(json.getString("version")),
          instant(json, "validUntil"), instant(json, "lastPolledAt"));
      text.remember(tenant, lastPoll);
      Gate gate = new Gate(required(json.getBoolean("open"), "open"), instant(json, "holdUntil"));
      PollSchedule schedule = new PollSchedule(instant(json, "nextPollAt"),
          required(json.getInteger("consecutiveFailures"), "consecutiveFailures"), json.getString("lastError"),
          required(json.getBoolean("stale"), "stale"));
      MoveHint hint = MoveHint.of(json.getString("endpointHint"), instant(json, "hintUntil"));
      // A row stored before epochs were written was a single node's: epoch 0.
      Lifecycle lifecycle = new Lifecycle(required(json.getLong("seq"), "seq"), epoch(json),
          cause(json.getString("pendingCause")),
          required(json.getBoolean("resyncPending"), "resyncPending"), required(json.getBoolean("retired"), "retired"));
      // A row stored before reports were written had none.
      Reports reports = new Reports(json.getBoolean("endpointSuspect", false), instant(json, "reportPollAt"));
      return new TenantSnapshot(tenant, lastPoll, gate, schedule, hint, lifecycle, reports,
          History.of(history(tenant, required(json.getJsonArray("history"), "history"), text)));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("malformed snapshot: " + e.getMessage(), e);
    }
  }

  private static List<HistoryEntry> history(String tenant, JsonArray list, SharedText text) {
    List<HistoryEntry> entries = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonObject entry = list.getJsonObject(i);
      JsonArray sent = required(entry.getJsonArray("commands"), "history commands");
      List<Command> commands = new ArrayList<>(sent.size());
      for (int c = 0; c < sent.size(); c++) {
        Command read = Command.fromJson(withEpoch(sent.getJsonObject(c)));
        commands.add(new Command(read.type(), text.same(read.tenant()), text.same(read.state()), read.running(),
            text.same(read.endpoint()), text.same(read.api()), text.word(read.reason()), read.seq(), read.epoch(),
            read.at()));
      }
      entries.add(new HistoryEntry(tenant, required(instant(entry, "at"), "history at"),
          text.same(entry.getString("from")), text.same(entry.getString("to")), text.word(entry.getString("cause")),
          commands));
    }
    return entries;
  }

  private static long epoch(JsonObject json) {
    return json.getValue("epoch") == null ? 0 : json.getLong("epoch");
  }

  /** A recorded command; one stored before commands carried an epoch was a single node's, epoch 0. */
  private static JsonObject withEpoch(JsonObject command) {
    return command == null || command.containsKey("epoch") ? command : command.copy().put("epoch", 0L);
  }

  /** Strings to keep instead of equal ones just read: the snapshot's own, and the state names. */
  private static final class SharedText {
    private String[] known = new String[0];

    /** The snapshot's own strings, read first: its history's equal ones become these. */
    void remember(String tenant, LastPoll lastPoll) {
      known = new String[] {tenant, lastPoll.endpoint(), lastPoll.api(), lastPoll.version(), lastPoll.rawState()};
    }

    String same(String value) {
      if (value == null) {
        return null;
      }
      for (String candidate : known) {
        if (value.equals(candidate)) {
          return candidate;
        }
      }
      return TenantState.byName(value).map(TenantState::displayName).filter(value::equals).orElse(value);
    }

    /** A cause or reason: one of the engine's own few words ("poll", "notification:Upgrade"), shared. */
    String word(String value) {
      return value == null ? null : value.intern();
    }
  }

  private static Cause cause(String text) {
    try {
      return Cause.of(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a snapshot's pendingCause is blank");
    }
  }

  private static <T> T required(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("a snapshot needs '" + name + "'");
    }
    return value;
  }

  private static Instant instant(JsonObject json, String key) {
    String value = json.getString(key);
    return value == null ? null : ValidUntilText.parse(value);
  }

  private static String text(Instant instant) {
    return instant == null ? null : InstantText.format(instant);
  }
}
