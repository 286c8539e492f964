package io.tenantwatch.tenant;

import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.ContextId;
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
 * A {@link TenantSnapshot} as JSON, so a tenant's whole state can travel on the event bus: the verticle
 * hands it to the {@link TenantDirectory} after every step, and the directory restarts a failed verticle
 * from it. Lives here rather than next to the snapshot because the machine package stays free of
 * Vert.x. Every component is written, {@code null}s included, so a reader sees the complete shape;
 * the state goes as its code, with the raw name SuperOffice sent kept beside it.
 */
public final class SnapshotJson {

  private SnapshotJson() {
  }

  /** The snapshot as a JSON object; {@link #fromJson} reads it back to an equal snapshot. */
  public static JsonObject toJson(TenantSnapshot s) {
    return withoutHistory(s).put("history", entries(s.history(), 0));
  }

  /**
   * The snapshot without its history, for a reader that has the history already: most steps (a poll
   * that changes nothing but the next poll's time) leave it as it was, and it is the bulk of a snapshot.
   * {@link #fromJson(JsonObject, TenantSnapshot)} reads it back with the previous snapshot's history.
   */
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

  /**
   * Reads what {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException when a component is missing, of the wrong type or malformed
   */
  public static TenantSnapshot fromJson(JsonObject json) {
    return fromJson(json, (TenantSnapshot) null);
  }

  /**
   * What a tenant hands the directory after a step from {@code before} to {@code after}: the snapshot
   * with only the history entries the step recorded ({@code historyAppended}, with the length the
   * history has now as {@code historySize}), or none when it recorded nothing. The history is the bulk
   * of a snapshot, and most steps (a poll that changes only the next poll's time) record nothing. When
   * the new entries cannot be told apart from the old, the whole history goes.
   */
  public static JsonObject step(TenantSnapshot before, TenantSnapshot after) {
    List<HistoryEntry> was = before.history();
    List<HistoryEntry> now = after.history();
    if (now.equals(was)) {
      return withoutHistory(after);
    }
    int from = was.isEmpty() ? 0 : lastIndexOfSame(now, was.get(was.size() - 1)) + 1;
    if (from == 0 && !was.isEmpty()) {
      return toJson(after);
    }
    return withoutHistory(after).put("historyAppended", entries(now, from)).put("historySize", now.size());
  }

  /** The entries of {@code history} from position {@code from} on, as JSON. */
  static JsonArray entries(List<HistoryEntry> history, int from) {
    JsonArray list = new JsonArray(new ArrayList<>(history.size() - from));
    for (int i = from; i < history.size(); i++) {
      list.add(history.get(i).toJson());
    }
    return list;
  }

  /** The last position of this very entry (not an equal one) in the list, or -1. */
  static int lastIndexOfSame(List<HistoryEntry> list, HistoryEntry entry) {
    for (int i = list.size() - 1; i >= 0; i--) {
      if (list.get(i) == entry) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads what {@link #toJson}, {@link #withoutHistory} or {@link #step} wrote, the next snapshot after
   * {@code previous} (null when there is none): the history is the JSON's own when it has one; else the
   * previous one, with the entries the JSON appends, cut to the length it gives. Text equal to the
   * previous snapshot's (the tenant, endpoint, api, state names) is kept as the previous snapshot's very
   * strings, so a node holding many tenants does not hold each one's strings several times over.
   *
   * @throws IllegalArgumentException when a component is missing, of the wrong type or malformed, or
   *     there is no history in the JSON and none is known
   */
  public static TenantSnapshot fromJson(JsonObject json, TenantSnapshot previous) {
    if (json == null) {
      throw new IllegalArgumentException("a snapshot is a JSON object");
    }
    try {
      SharedText text = new SharedText(previous);
      String tenant = text.same(ContextId.require(json.getString("tenant")));
      TenantState state = TenantState.byCode(required(json.getInteger("stateCode"), "stateCode"))
          .orElseThrow(() -> new IllegalArgumentException("a snapshot's stateCode must be in the state table"));
      LastPoll lastPoll = new LastPoll(state, text.same(json.getString("rawState")), json.getBoolean("polledRunning"),
          text.same(json.getString("endpoint")), text.same(json.getString("api")), text.same(json.getString("version")),
          instant(json, "validUntil"), instant(json, "lastPolledAt"));
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
          history(tenant, json, previous == null ? null : previous.history(), text));
    } catch (ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("malformed snapshot: " + e.getMessage(), e);
    }
  }

  private static List<HistoryEntry> history(String tenant, JsonObject json, List<HistoryEntry> known,
      SharedText text) {
    if (json.containsKey("history") || known == null) {
      return history(tenant, required(json.getJsonArray("history"), "history"), text);
    }
    JsonArray appended = json.getJsonArray("historyAppended");
    if (appended == null) {
      return known;
    }
    int size = required(json.getInteger("historySize"), "historySize");
    List<HistoryEntry> longer = new ArrayList<>(known);
    longer.addAll(history(tenant, appended, text));
    if (size < appended.size() || size > longer.size()) {
      throw new IllegalArgumentException("a snapshot's historySize does not fit the history it appends to");
    }
    return longer.subList(longer.size() - size, longer.size());
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

  /** Strings to keep instead of equal ones just read: the previous snapshot's, and the state names. */
  private static final class SharedText {
    private final String[] known;

    SharedText(TenantSnapshot previous) {
      known = previous == null ? new String[0] : new String[] {previous.tenant(), previous.endpoint(),
          previous.api(), previous.version(), previous.rawState()};
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
