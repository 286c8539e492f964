package io.tenantwatch.node;

import io.tenantwatch.RecordingNodeMain;
import io.tenantwatch.domain.Command;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the nodes' recording workers wrote ({@link RecordingNodeMain}): one {@link Entry} per command a gate
 * applied (its handler ran) and per command that reached a gate's address, in the order each node wrote them.
 * A worker is one gate, named by its address: a node started again runs a new one.
 */
final class WorkerRecords {
  /** A command a gate applied or received, with the gate, its node and when ({@link System#nanoTime()}). */
  record Entry(boolean applied, String worker, String node, long nanos, boolean stale, Command command) {
    @Override
    public String toString() {
      Command c = command;
      return (applied ? "applied " : stale ? "received (stale) " : "received ") + c.type().wireName() + " "
          + c.tenant() + " " + c.fence() + " " + c.reason() + " " + c.state() + (c.running() ? " open" : " closed")
          + " at " + worker + " on " + node;
    }
  }

  private final List<Entry> entries;

  private WorkerRecords(List<Entry> entries) {
    this.entries = entries;
  }

  /** Every record in the files of {@code nodes} so far (a line still being written is left out). */
  static WorkerRecords read(Collection<NodeProcess> nodes) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (NodeProcess node : nodes) {
      Path file = node.recording().orElseThrow().file();
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.endsWith("}")) {
          continue;
        }
        JsonObject json = new JsonObject(line);
        String kind = json.getString("kind");
        if ("applied".equals(kind) || "received".equals(kind)) {
          entries.add(new Entry("applied".equals(kind), json.getString("worker"), json.getString("node"),
              json.getLong("nanos"), json.getBoolean("stale", false), Command.fromJson(json.getJsonObject("command"))));
        }
      }
    }
    return new WorkerRecords(List.copyOf(entries));
  }

  List<Entry> all() {
    return entries;
  }

  /** The commands applied since {@code nanos}, by worker, then by tenant, each list in the order applied. */
  SortedMap<String, SortedMap<String, List<Entry>>> appliedSince(long nanos) {
    return applied(entry -> entry.nanos() - nanos >= 0);
  }

  private SortedMap<String, SortedMap<String, List<Entry>>> applied(Predicate<Entry> which) {
    SortedMap<String, SortedMap<String, List<Entry>>> byWorker = new TreeMap<>();
    for (Entry entry : entries) {
      if (entry.applied() && which.test(entry)) {
        byWorker.computeIfAbsent(entry.worker(), w -> new TreeMap<>())
            .computeIfAbsent(entry.command().tenant(), t -> new ArrayList<>()).add(entry);
      }
    }
    return byWorker;
  }

  /** The received (not applied) entries since {@code nanos}. */
  List<Entry> receivedSince(long nanos) {
    return entries.stream().filter(e -> !e.applied() && e.nanos() - nanos >= 0).toList();
  }

  /** Each worker's node, in the order the workers first wrote. */
  Map<String, String> workers() {
    Map<String, String> workers = new LinkedHashMap<>();
    entries.forEach(entry -> workers.putIfAbsent(entry.worker(), entry.node()));
    return workers;
  }

  /**
   * Where a worker applied a command whose {@code (epoch, seq)} is not above the one it applied before for the
   * same tenant: each as "the earlier, then the later".
   */
  List<String> notRising() {
    List<String> broken = new ArrayList<>();
    applied(entry -> true).forEach((worker, byTenant) -> byTenant.forEach((tenant, applied) -> {
      for (int i = 1; i < applied.size(); i++) {
        if (!applied.get(i).command().fence().isAbove(applied.get(i - 1).command().fence())) {
          broken.add(applied.get(i - 1) + ", then " + applied.get(i));
        }
      }
    }));
    return broken;
  }
}
