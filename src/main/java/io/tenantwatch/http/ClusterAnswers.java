package io.tenantwatch.http;

import io.tenantwatch.bus.Routing.NodeAnswer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;

/**
 * The admin API's answers for the whole cluster, put together from every member's own answer: the tenant
 * listing (each view with its {@code owner}), the number of tenants re-polled, the workers. A member that did
 * not answer is named in {@code "unanswered"}, so a partial answer is never taken for the whole; when no member
 * answered, the first failure is the answer.
 */
final class ClusterAnswers {
  private static final Comparator<JsonObject> BY_TENANT = Comparator.comparing(view -> view.getString("tenant"));

  private ClusterAnswers() {
  }

  /** {@code {"total","tenants":[view + owner...]}}, sorted by tenant. */
  static Future<JsonObject> tenants(List<NodeAnswer> answers) {
    return merged(answers, answered -> {
      List<JsonObject> views = new ArrayList<>();
      answered.forEach(answer -> answer.body().getJsonArray("tenants", new JsonArray()).forEach(view ->
          views.add(((JsonObject) view).put("owner", answer.node()))));
      views.sort(BY_TENANT);
      return new JsonObject().put("total", views.size()).put("tenants", new JsonArray(new ArrayList<>(views)));
    });
  }

  /** A listing that names the shards no member ran when it was asked ({@code "moving"}), when there are any. */
  static JsonObject withMoving(JsonObject listing, List<Integer> moving) {
    return moving.isEmpty() ? listing : listing.put("moving", new JsonArray(new ArrayList<>(moving)));
  }

  /** {@code {"scheduled":n}}, summed over the members. */
  static Future<JsonObject> scheduled(List<NodeAnswer> answers) {
    return merged(answers, answered -> new JsonObject().put("scheduled",
        answered.stream().mapToInt(answer -> answer.body().getInteger("scheduled", 0)).sum()));
  }

  /**
   * {@code {"workers":[...]}}: each worker once, by address, in the order first seen. Every member delivers
   * its own tenants' commands to every worker, so a worker's counters are the sums of the members' counters,
   * its status is {@code failing} when it fails any member's deliveries, and its {@code lastAck} is the latest.
   */
  static Future<JsonObject> workers(List<NodeAnswer> answers) {
    return merged(answers, answered -> {
      Map<String, JsonObject> byAddress = new LinkedHashMap<>();
      answered.forEach(answer -> answer.body().getJsonArray("workers", new JsonArray()).forEach(entry -> {
        JsonObject worker = (JsonObject) entry;
        byAddress.merge(worker.getString("address"), worker.copy(), ClusterAnswers::sumWorker);
      }));
      return new JsonObject().put("workers", new JsonArray(new ArrayList<>(byAddress.values())));
    });
  }

  private static JsonObject sumWorker(JsonObject seen, JsonObject more) {
    for (String counter : List.of("delivered", "retried", "failed", "pending")) {
      seen.put(counter, seen.getLong(counter, 0L) + more.getLong(counter, 0L));
    }
    seen.put("consecutiveFailures", Math.max(seen.getInteger("consecutiveFailures", 0),
        more.getInteger("consecutiveFailures", 0)));
    if ("failing".equals(more.getString("status"))) {
      seen.put("status", "failing");
    }
    // Only the worker's own member asks its gate for the call counts.
    for (String calls : List.of("calls", "tenantCalls")) {
      if (seen.getValue(calls) == null && more.getValue(calls) != null) {
        seen.put(calls, more.getValue(calls));
      }
    }
    JsonObject lastAck = more.getJsonObject("lastAck");
    JsonObject seenAck = seen.getJsonObject("lastAck");
    if (lastAck != null && (seenAck == null
        || Instant.parse(lastAck.getString("at")).isAfter(Instant.parse(seenAck.getString("at"))))) {
      seen.put("lastAck", lastAck);
    }
    return seen;
  }

  /**
   * The shard owner's view of the cluster with each member's {@code "tenants"}, the count its directory gave
   * (null for a member that did not answer).
   */
  static JsonObject withTenantCounts(JsonObject view, List<NodeAnswer> counts) {
    Map<String, Integer> byNode = new HashMap<>();
    counts.stream().filter(NodeAnswer::answered)
        .forEach(answer -> byNode.put(answer.node(), answer.body().getInteger("tenants")));
    view.getJsonArray("members", new JsonArray()).forEach(member ->
        ((JsonObject) member).put("tenants", byNode.get(((JsonObject) member).getString("node"))));
    return view;
  }

  private static Future<JsonObject> merged(List<NodeAnswer> answers,
      java.util.function.Function<List<NodeAnswer>, JsonObject> merge) {
    List<NodeAnswer> answered = answers.stream().filter(NodeAnswer::answered).toList();
    if (answered.isEmpty()) {
      return Future.failedFuture(answers.get(0).failure());
    }
    JsonObject body = merge.apply(answered);
    List<String> missing = answers.stream().filter(answer -> !answer.answered()).map(NodeAnswer::node).toList();
    if (!missing.isEmpty()) {
      body.put("unanswered", new JsonArray(new ArrayList<>(missing)));
    }
    return Future.succeededFuture(body);
  }
}
