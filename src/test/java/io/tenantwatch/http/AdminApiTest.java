package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.config.ConfigException;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin table of docs/contracts.md ("The admin listener"), row by row with its errors, through real HTTP on a
 * whole engine: the simulator's state API, the poller, the tenant verticles, the registry and a worker.
 *
 * <p>Each test starts with two watched and polled tenants, one Running and one Suspended. The simulator
 * sets {@code ValidUntil} ten minutes ahead, so no timer poll falls due during a test: every poll the
 * state API sees is one the test asked for.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AdminApiTest {
  private static final String RUNNING = "Cust40001";
  private static final String SUSPENDED = "Cust40002";
  private static final String UNWATCHED = "Cust40003";
  private static final String TOKEN = "an-admin-token-of-32-characters!";

  private static final Set<String> VIEW_FIELDS = Set.of("tenant", "state", "stateCode", "running", "endpoint",
      "api", "version", "validUntil", "lastPolledAt", "nextPollAt", "consecutiveFailures", "lastError", "stale",
      "holdUntil", "endpointSuspect", "seq", "epoch", "owner");
  private static final Set<String> HISTORY_FIELDS = Set.of("at", "from", "to", "cause", "commands");
  private static final Set<String> ERROR_FIELDS = Set.of("error", "message");
  private static final List<String> BAD_CONTEXTS =
      List.of("cust1", "Cust", "Cust12a", "..%2F..", "Cust" + "1234567890".repeat(4));

  private TestEngine env;
  private RecordingWorker worker;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    TestEngine.start(vertx)
        .compose(started -> {
          env = started;
          worker = new RecordingWorker(vertx);
          return worker.register();
        })
        .compose(v -> env.simulator.setValidity(Duration.ofMinutes(10)))
        .compose(v -> env.simulator.addTenant(RUNNING))
        .compose(v -> env.simulator.addTenant(SUSPENDED))
        .compose(v -> env.simulator.addTenant(UNWATCHED))
        .compose(v -> env.simulator.set(SUSPENDED, TenantState.SUSPENDED))
        .compose(v -> call(HttpMethod.PUT, "/admin/tenants/" + RUNNING))
        .compose(v -> call(HttpMethod.PUT, "/admin/tenants/" + SUSPENDED))
        .compose(v -> worker.await(c -> c.tenant().equals(RUNNING) && c.type() == CommandType.RESUME))
        // The listing comes from the directory's copy of each view: wait until it shows both polls.
        .compose(v -> Eventually.until(vertx, () -> list(""),
            list -> list.getJsonArray("tenants").stream().map(JsonObject.class::cast)
                .filter(view -> view.getString("lastPolledAt") != null).count() == 2))
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    env.engine.close().onComplete(context.succeedingThenComplete());
  }

  // ---- GET /admin/tenants ----

  @Test
  @DisplayName("GET /admin/cluster on a single engine answers 404 not-a-cluster")
  void clusterOnASingleEngine(VertxTestContext context) {
    call(HttpMethod.GET, "/admin/cluster").onComplete(context.succeeding(response -> context.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("not-a-cluster");
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("GET /admin/tenants lists every watched tenant with the view's fields and no history")
  void listsEveryTenant(VertxTestContext context) {
    call(HttpMethod.GET, "/admin/tenants").onComplete(context.succeeding(response -> context.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      JsonObject body = response.bodyAsJsonObject();
      assertThat(body.fieldNames()).containsExactlyInAnyOrder("total", "tenants");
      assertThat(body.getInteger("total")).isEqualTo(2);
      assertThat(names(body)).containsExactly(RUNNING, SUSPENDED);
      for (Object view : body.getJsonArray("tenants")) {
        assertThat(((JsonObject) view).fieldNames()).containsExactlyInAnyOrderElementsOf(VIEW_FIELDS);
        assertPolledView((JsonObject) view);
      }
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("GET /admin/tenants filters by state name in any case, by state code, by running, and by both")
  void filters(VertxTestContext context) {
    List<Filter> filters = List.of(
        new Filter("state=Running", RUNNING),
        new Filter("state=running", RUNNING),
        new Filter("state=SUSPENDED", SUSPENDED),
        new Filter("state=2", RUNNING),
        new Filter("state=4", SUSPENDED),
        new Filter("state=Deleted"),
        new Filter("running=true", RUNNING),
        new Filter("running=false", SUSPENDED),
        new Filter("state=suspended&running=false", SUSPENDED),
        new Filter("state=Running&running=false"),
        new Filter("running=true&state=2", RUNNING));
    inTurn(filters, filter -> list(filter.query).map(body -> {
      context.verify(() -> {
        assertThat(names(body)).as(filter.query).containsExactlyElementsOf(filter.expected);
        assertThat(body.getInteger("total")).as(filter.query).isEqualTo(filter.expected.size());
      });
      return null;
    })).onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("GET /admin/tenants refuses a state that is neither a name nor a code, a running that is not a boolean,"
      + " and a query it cannot decode")
  void badFilters(VertxTestContext context) {
    List<String[]> cases = List.of(
        new String[] {"state=Bogus", "bad-state", "Bogus"},
        new String[] {"state=7", "bad-state", null},
        new String[] {"state=", "bad-state", null},
        new String[] {"running=yes", "bad-running", "yes"},
        new String[] {"state=Running&running=1", "bad-running", null},
        new String[] {"state=%zz", "bad-request", "zz"},
        new String[] {"state=%", "bad-request", null});
    inTurn(cases, c -> call(HttpMethod.GET, "/admin/tenants?" + c[0]).map(response -> {
      context.verify(() -> {
        assertError(response, 400, c[1]);
        if (c[2] != null) {
          assertThat(response.bodyAsString()).as(c[0]).doesNotContain(c[2]);
        }
      });
      return null;
    })).onComplete(context.succeedingThenComplete());
  }

  // ---- GET /admin/tenants/{ctx} ----

  @Test
  @DisplayName("GET /admin/tenants/{ctx} answers every view field with its type, and the history newest last")
  void viewWithHistory(VertxTestContext context) {
    call(HttpMethod.GET, "/admin/tenants/" + RUNNING).onComplete(context.succeeding(response -> context.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("application/json");
      JsonObject view = response.bodyAsJsonObject();
      assertThat(view.fieldNames()).containsExactlyInAnyOrderElementsOf(union(VIEW_FIELDS, Set.of("history")));
      assertPolledView(view);
      assertThat(view.getString("tenant")).isEqualTo(RUNNING);
      assertThat(view.getString("state")).isEqualTo("Running");
      assertThat(view.getValue("stateCode")).isEqualTo(2);
      assertThat(view.getValue("running")).isEqualTo(true);
      assertThat(view.getString("api")).isEqualTo(env.simulator.tenantApiUrl("sod2.superoffice.com", RUNNING));
      assertThat(((Number) view.getValue("seq")).longValue()).isEqualTo(1);
      assertThat(view.containsKey("owner")).isTrue();
      assertThat(view.getValue("owner")).as("a single engine names no owner").isNull();

      JsonArray history = view.getJsonArray("history");
      assertThat(history).hasSize(1);
      JsonObject first = history.getJsonObject(0);
      assertThat(first.fieldNames()).containsExactlyInAnyOrderElementsOf(HISTORY_FIELDS);
      assertThat(Instant.parse(first.getString("at"))).isNotNull();
      assertThat(first.getString("from")).isEqualTo("Unknown");
      assertThat(first.getString("to")).isEqualTo("Running");
      assertThat(first.getString("cause")).isEqualTo("poll");
      JsonArray commands = first.getJsonArray("commands");
      assertThat(commands).hasSize(1);
      assertThat(Command.fromJson(commands.getJsonObject(0)).type()).isEqualTo(CommandType.RESUME);
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("GET /admin/tenants/{ctx} answers 404 for a tenant that is not watched")
  void viewUnknown(VertxTestContext context) {
    call(HttpMethod.GET, "/admin/tenants/" + UNWATCHED).onComplete(context.succeeding(response -> context.verify(() -> {
      assertError(response, 404, "not-found");
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("Every tenant route answers 400 to a bad context identifier, with one sentence that never repeats it")
  void badContextIdentifiers(VertxTestContext context) {
    List<String[]> requests = new ArrayList<>();
    for (String bad : BAD_CONTEXTS) {
      requests.add(new String[] {"GET", "/admin/tenants/" + bad, bad});
      requests.add(new String[] {"PUT", "/admin/tenants/" + bad, bad});
      requests.add(new String[] {"DELETE", "/admin/tenants/" + bad, bad});
      requests.add(new String[] {"POST", "/admin/tenants/" + bad + "/poll", bad});
      requests.add(new String[] {"GET", "/admin/workers?tenant=" + bad, bad});
    }
    List<String> messages = new ArrayList<>();
    inTurn(requests, r -> call(HttpMethod.valueOf(r[0]), r[1]).map(response -> {
      context.verify(() -> {
        assertError(response, 400, "bad-context-identifier");
        String body = response.bodyAsString();
        String sent = r[2].replace("%2F", "/");
        if (!"Cust".equals(sent)) {
          // "Cust" alone is part of the explanation itself; every other bad value must not show up.
          assertThat(body).as(r[0] + " " + r[1]).doesNotContain(sent).doesNotContain(r[2]);
        }
        messages.add(response.bodyAsJsonObject().getString("message"));
      });
      return null;
    })).onComplete(context.succeeding(v -> context.verify(() -> {
      assertThat(messages).hasSize(requests.size());
      assertThat(Set.copyOf(messages)).hasSize(1);
      context.completeNow();
    })));
  }

  // ---- POST /admin/tenants/{ctx}/poll ----

  @Test
  @DisplayName("POST /admin/tenants/{ctx}/poll answers with the view after the poll, showing what the state API just said")
  void forcedPoll(VertxTestContext context) {
    long before = env.simulator.requestCount(RUNNING);
    env.simulator.set(RUNNING, TenantState.SUSPENDED)
        .compose(v -> call(HttpMethod.POST, "/admin/tenants/" + RUNNING + "/poll"))
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.getHeader("Content-Type")).startsWith("application/json");
            JsonObject view = response.bodyAsJsonObject();
            assertThat(view.fieldNames()).containsExactlyInAnyOrderElementsOf(union(VIEW_FIELDS, Set.of("history")));
            assertThat(view.getString("state")).isEqualTo("Suspended");
            assertThat(view.getValue("stateCode")).isEqualTo(4);
            assertThat(view.getValue("running")).isEqualTo(false);
            JsonArray history = view.getJsonArray("history");
            JsonObject last = history.getJsonObject(history.size() - 1);
            assertThat(last.getString("to")).isEqualTo("Suspended");
            assertThat(last.getString("cause")).isEqualTo("admin");
            assertThat(env.simulator.requestCount(RUNNING)).isEqualTo(before + 1);
          });
          return worker.await(c -> c.tenant().equals(RUNNING) && c.type() == CommandType.PAUSE);
        })
        .onComplete(context.succeeding(pause -> context.verify(() -> {
          assertThat(pause.reason()).isEqualTo("admin");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("POST /admin/tenants/{ctx}/poll answers 504 when the state API hangs, and the tenant stays as it was")
  void forcedPollTimeout(VertxTestContext context) {
    env.simulator.hang(RUNNING)
        .compose(v -> call(HttpMethod.POST, "/admin/tenants/" + RUNNING + "/poll"))
        .compose(response -> {
          context.verify(() -> assertError(response, 504, "state-api-timeout"));
          return env.view(RUNNING);
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getString("state")).isEqualTo("Running");
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(view.getInteger("consecutiveFailures")).isPositive();
          assertThat(worker.commandsFor(RUNNING)).extracting(Command::type).containsExactly(CommandType.RESUME);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("POST /admin/tenants/{ctx}/poll answers 502 state-api-failed when the state API answers 503")
  void forcedPollFailure(VertxTestContext context) {
    env.simulator.failWith(RUNNING, 503, null)
        .compose(v -> call(HttpMethod.POST, "/admin/tenants/" + RUNNING + "/poll"))
        .compose(response -> {
          context.verify(() -> {
            assertError(response, 502, "state-api-failed");
            assertThat(response.bodyAsJsonObject().getString("message")).contains("503");
          });
          return env.view(RUNNING);
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getString("state")).isEqualTo("Running");
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(view.getString("lastError")).contains("503");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("POST /admin/tenants/{ctx}/poll answers 404 for a tenant that is not watched and asks the state API nothing")
  void forcedPollUnknown(VertxTestContext context) {
    call(HttpMethod.POST, "/admin/tenants/" + UNWATCHED + "/poll")
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertError(response, 404, "not-found");
          assertThat(env.simulator.requestCount(UNWATCHED)).isZero();
          context.completeNow();
        })));
  }

  // ---- POST /admin/tenants/poll ----

  @Test
  @DisplayName("POST /admin/tenants/poll answers 202 with the number scheduled, and every tenant is polled again")
  void repollAll(Vertx vertx, VertxTestContext context) {
    long running = env.simulator.requestCount(RUNNING);
    long suspended = env.simulator.requestCount(SUSPENDED);
    call(HttpMethod.POST, "/admin/tenants/poll")
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.getHeader("Content-Type")).startsWith("application/json");
            assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("scheduled", 2));
          });
          return Eventually.until(vertx, () -> Future.succeededFuture(List.of(
                  env.simulator.requestCount(RUNNING), env.simulator.requestCount(SUSPENDED))),
              counts -> counts.get(0) > running && counts.get(1) > suspended);
        })
        .onComplete(context.succeeding(counts -> context.verify(() -> {
          assertThat(counts.get(0)).isEqualTo(running + 1);
          assertThat(counts.get(1)).isEqualTo(suspended + 1);
          context.completeNow();
        })));
  }

  // ---- PUT /admin/tenants/{ctx} ----

  @Test
  @DisplayName("PUT /admin/tenants/{ctx} answers 201 with the view the first time, 200 after, and the tenant is polled")
  void watch(VertxTestContext context) {
    call(HttpMethod.PUT, "/admin/tenants/" + UNWATCHED)
        .compose(first -> {
          context.verify(() -> {
            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(first.getHeader("Content-Type")).startsWith("application/json");
            JsonObject view = first.bodyAsJsonObject();
            assertThat(view.fieldNames()).containsAll(VIEW_FIELDS);
            assertThat(view.getString("tenant")).isEqualTo(UNWATCHED);
          });
          return call(HttpMethod.PUT, "/admin/tenants/" + UNWATCHED);
        })
        .compose(again -> {
          context.verify(() -> {
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.bodyAsJsonObject().getString("tenant")).isEqualTo(UNWATCHED);
          });
          return env.viewUntil(UNWATCHED, view -> view.getString("lastPolledAt") != null);
        })
        .compose(view -> {
          context.verify(() -> {
            assertThat(view.getString("state")).isEqualTo("Running");
            assertThat(env.simulator.requestCount(UNWATCHED)).isEqualTo(1);
          });
          return list("");
        })
        .onComplete(context.succeeding(list -> context.verify(() -> {
          assertThat(names(list)).containsExactly(RUNNING, SUSPENDED, UNWATCHED);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("PUT /admin/tenants/{ctx} of a tenant already watched answers 200 and changes nothing")
  void watchAgain(VertxTestContext context) {
    long before = env.simulator.requestCount(RUNNING);
    call(HttpMethod.PUT, "/admin/tenants/" + RUNNING)
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getString("state")).isEqualTo("Running");
            assertThat(response.bodyAsJsonObject().getValue("seq")).isEqualTo(1);
          });
          return list("");
        })
        .onComplete(context.succeeding(list -> context.verify(() -> {
          assertThat(list.getInteger("total")).isEqualTo(2);
          assertThat(env.simulator.requestCount(RUNNING)).isEqualTo(before);
          context.completeNow();
        })));
  }

  // ---- DELETE /admin/tenants/{ctx} ----

  @Test
  @DisplayName("DELETE /admin/tenants/{ctx} answers 204, retires the tenant with reason unwatched and forgets it; again is 404")
  void unwatch(VertxTestContext context) {
    call(HttpMethod.DELETE, "/admin/tenants/" + RUNNING)
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.body() == null || response.body().length() == 0).isTrue();
          });
          return worker.await(c -> c.tenant().equals(RUNNING) && c.type() == CommandType.RETIRE);
        })
        .compose(retire -> {
          context.verify(() -> {
            assertThat(retire.reason()).isEqualTo("unwatched");
            assertThat(retire.seq()).isEqualTo(2);
          });
          return list("");
        })
        .compose(list -> {
          context.verify(() -> {
            assertThat(names(list)).containsExactly(SUSPENDED);
            assertThat(list.getInteger("total")).isEqualTo(1);
          });
          return call(HttpMethod.GET, "/admin/tenants/" + RUNNING);
        })
        .compose(gone -> {
          context.verify(() -> assertError(gone, 404, "not-found"));
          return call(HttpMethod.DELETE, "/admin/tenants/" + RUNNING);
        })
        .compose(again -> {
          context.verify(() -> assertError(again, 404, "not-found"));
          return call(HttpMethod.POST, "/admin/tenants/" + RUNNING + "/poll");
        })
        .onComplete(context.succeeding(poll -> context.verify(() -> {
          assertError(poll, 404, "not-found");
          assertThat(worker.commandsFor(RUNNING)).extracting(Command::type)
              .containsExactly(CommandType.RESUME, CommandType.RETIRE);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a tenant watched again after DELETE goes on from its last seq, so a worker that remembers it obeys")
  void rewatchContinuesSeq(Vertx vertx, VertxTestContext context) {
    call(HttpMethod.DELETE, "/admin/tenants/" + RUNNING)
        .compose(response -> worker.await(c -> c.tenant().equals(RUNNING) && c.type() == CommandType.RETIRE))
        .compose(retire -> call(HttpMethod.PUT, "/admin/tenants/" + RUNNING))
        // The third command is the resume after the new first poll, whatever seq it carries.
        .compose(response -> Eventually.until(vertx,
            () -> Future.succeededFuture(worker.commandsFor(RUNNING).size()), n -> n >= 3))
        .onComplete(context.succeeding(resumed -> context.verify(() -> {
          assertThat(worker.commandsFor(RUNNING)).extracting(Command::type, Command::seq).containsExactly(
              tuple(CommandType.RESUME, 1L), tuple(CommandType.RETIRE, 2L), tuple(CommandType.RESUME, 3L));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("DELETE /admin/tenants/{ctx} of a tenant never watched answers 404")
  void unwatchUnknown(VertxTestContext context) {
    call(HttpMethod.DELETE, "/admin/tenants/" + UNWATCHED).onComplete(context.succeeding(response -> context.verify(() -> {
      assertError(response, 404, "not-found");
      context.completeNow();
    })));
  }

  // ---- GET /admin/workers ----

  @Test
  @DisplayName("GET /admin/workers lists the registered worker with its counters and last acknowledged seq")
  void workers(Vertx vertx, VertxTestContext context) {
    call(HttpMethod.GET, "/admin/workers")
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            JsonObject listed = onlyWorker(response);
            assertThat(response.getHeader("Content-Type")).startsWith("application/json");
            assertThat(listed.getString("address")).isEqualTo(worker.address());
            assertThat(listed.getString("name")).isEqualTo("recording-worker");
            assertThat(listed.getLong("delivered")).isEqualTo(1);
            assertThat(listed.getLong("failed")).isZero();
            assertThat(listed.getString("status")).isEqualTo("ok");
            assertThat(listed.getJsonObject("lastAck").getString("tenant")).isEqualTo(RUNNING);
            assertThat(listed.getJsonObject("lastAck").getLong("seq")).isEqualTo(1);
          });
          return env.simulator.set(RUNNING, TenantState.SUSPENDED);
        })
        .compose(v -> call(HttpMethod.POST, "/admin/tenants/" + RUNNING + "/poll"))
        .compose(v -> worker.await(c -> c.tenant().equals(RUNNING) && c.type() == CommandType.PAUSE))
        .compose(v -> Eventually.until(vertx, () -> call(HttpMethod.GET, "/admin/workers").map(AdminApiTest::onlyWorker),
            listed -> listed.getLong("delivered") == 2))
        .onComplete(context.succeeding(listed -> context.verify(() -> {
          assertThat(listed.getJsonObject("lastAck").getString("tenant")).isEqualTo(RUNNING);
          assertThat(listed.getJsonObject("lastAck").getLong("seq")).isEqualTo(2);
          assertThat(listed.getLong("pending")).isZero();
          context.completeNow();
        })));
  }

  // ---- authorization ----

  @Test
  @DisplayName("Without admin.token on loopback, requests need no Authorization header")
  void noTokenOnLoopback(VertxTestContext context) {
    env.admin(HttpMethod.GET, "/admin/tenants", null).onComplete(context.succeeding(response -> context.verify(() -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("WWW-Authenticate")).isNull();
      context.completeNow();
    })));
  }

  @Test
  @DisplayName("With admin.token, a request without it, with a wrong one or another scheme gets 401 and a Bearer challenge")
  void refusedWithoutToken(Vertx vertx, VertxTestContext context) {
    List<String> refused = new ArrayList<>();
    refused.add(null);
    refused.add("Bearer not-the-admin-token-at-all");
    refused.add("Bearer " + TOKEN.substring(1));
    refused.add("Bearer " + TOKEN + "x");
    refused.add("Bearer");
    refused.add("Basic " + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    refused.add("Basic " + TOKEN);
    refused.add(TOKEN);
    List<String[]> requests = new ArrayList<>();
    for (String authorization : refused) {
      requests.add(new String[] {authorization, "GET", "/admin/tenants"});
    }
    requests.add(new String[] {null, "GET", "/admin/tenants/" + RUNNING});
    requests.add(new String[] {null, "POST", "/admin/tenants/" + RUNNING + "/poll"});
    requests.add(new String[] {null, "POST", "/admin/tenants/poll"});
    requests.add(new String[] {null, "PUT", "/admin/tenants/" + UNWATCHED});
    requests.add(new String[] {null, "DELETE", "/admin/tenants/" + RUNNING});
    requests.add(new String[] {null, "GET", "/admin/workers"});
    requests.add(new String[] {"Bearer wrong-token-wrong-token", "GET", "/admin/tenants/cust1"});
    requests.add(new String[] {null, "GET", "/admin/nothing-here"});
    withToken(vertx)
        .compose(v -> inTurn(requests, r -> env.admin(HttpMethod.valueOf(r[1]), r[2], r[0]).map(response -> {
          context.verify(() -> {
            String what = r[1] + " " + r[2] + " with " + (r[0] == null ? "no header" : "a refused header");
            assertThat(response.statusCode()).as(what).isEqualTo(401);
            assertError(response, 401, "unauthorized");
            assertThat(response.getHeader("WWW-Authenticate")).as(what).startsWith("Bearer ");
            assertThat(response.bodyAsString()).as(what).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(1));
            if (r[0] != null) {
              assertThat(response.bodyAsString()).as(what).doesNotContain(r[0]);
            }
          });
          return null;
        })))
        // Nothing a refused request asked for happened.
        .compose(v -> env.admin(HttpMethod.GET, "/admin/tenants", "Bearer " + TOKEN))
        .onComplete(context.succeeding(list -> context.verify(() -> {
          assertThat(names(list.bodyAsJsonObject())).containsExactly(RUNNING);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("With admin.token, the right token opens every route, and even error bodies never show it")
  void acceptedWithToken(Vertx vertx, VertxTestContext context) {
    String bearer = "Bearer " + TOKEN;
    List<Object[]> requests = List.of(
        new Object[] {"GET", "/admin/tenants", 200},
        new Object[] {"GET", "/admin/tenants?state=Running&running=true", 200},
        new Object[] {"GET", "/admin/tenants/" + RUNNING, 200},
        new Object[] {"POST", "/admin/tenants/" + RUNNING + "/poll", 200},
        new Object[] {"POST", "/admin/tenants/poll", 202},
        new Object[] {"PUT", "/admin/tenants/" + UNWATCHED, 201},
        new Object[] {"GET", "/admin/workers", 200},
        new Object[] {"DELETE", "/admin/tenants/" + UNWATCHED, 204},
        new Object[] {"GET", "/admin/tenants/" + UNWATCHED, 404},
        new Object[] {"GET", "/admin/tenants/Cust12a", 400},
        new Object[] {"GET", "/admin/tenants?state=Bogus", 400},
        new Object[] {"GET", "/admin/nothing-here", 404},
        new Object[] {"PATCH", "/admin/tenants", 405});
    withToken(vertx)
        .compose(v -> env.simulator.addTenant(UNWATCHED))
        .compose(v -> inTurn(requests, r -> env.admin(HttpMethod.valueOf((String) r[0]), (String) r[1], bearer)
            .map(response -> {
              context.verify(() -> {
                assertThat(response.statusCode()).as(r[0] + " " + r[1]).isEqualTo(r[2]);
                assertThat(response.getHeader("WWW-Authenticate")).isNull();
                if (response.body() != null) {
                  assertThat(response.bodyAsString()).as(r[0] + " " + r[1]).doesNotContain(TOKEN);
                }
              });
              return null;
            })))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("The Bearer scheme name is matched in any case, as RFC 7235 has it")
  void schemeInAnyCase(Vertx vertx, VertxTestContext context) {
    withToken(vertx)
        .compose(v -> env.admin(HttpMethod.GET, "/admin/tenants", "bearer " + TOKEN))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          context.completeNow();
        })));
  }

  // ---- refusal to start ----

  @Test
  @DisplayName("The engine refuses to start with the admin listener on a non-loopback host and no token, naming admin.token")
  void refusesOpenAdminWithoutToken(Vertx vertx, VertxTestContext context) {
    JsonObject config = TestEngine.config(env.simulator.stateApiBaseUrl(), "Cust50001")
        .put("admin", new JsonObject().put("host", "0.0.0.0").put("port", 0));
    assertRefused(vertx, context, config, "admin.token");
  }

  @Test
  @DisplayName("The engine refuses a token shorter than 16 characters without showing it")
  void refusesShortToken(Vertx vertx, VertxTestContext context) {
    JsonObject config = TestEngine.config(env.simulator.stateApiBaseUrl())
        .put("admin", new JsonObject().put("host", "0.0.0.0").put("port", 0).put("token", "tiny-secret"));
    assertRefused(vertx, context, config, "admin.token", message ->
        assertThat(message).doesNotContain("tiny-secret"));
  }

  @Test
  @DisplayName("The engine refuses a bad config value with a message naming the dotted key")
  void refusesBadValue(Vertx vertx, VertxTestContext context) {
    JsonObject config = TestEngine.config(env.simulator.stateApiBaseUrl());
    config.getJsonObject("stateApi").put("maxPollsPerSecond", -1);
    assertRefused(vertx, context, config, "stateApi.maxPollsPerSecond", message ->
        assertThat(message).contains("-1"));
  }

  /**
   * Deploys with {@code config} and expects a ConfigException naming {@code key} (in its key and its
   * message), with nothing deployed
   * (so nothing listens: neither the admin listener nor the public one).
   */
  @SafeVarargs
  private static void assertRefused(Vertx vertx, VertxTestContext context, JsonObject config, String key,
      Consumer<String>... messageChecks) {
    Set<String> deployedBefore = Set.copyOf(vertx.deploymentIDs());
    TenantWatch.deploy(vertx, config).onComplete(context.failing(failure -> context.verify(() -> {
      assertThat(failure).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) failure).key()).isEqualTo(key);
      assertThat(failure.getMessage()).contains(key);
      for (Consumer<String> check : messageChecks) {
        check.accept(failure.getMessage());
      }
      assertThat(Set.copyOf(vertx.deploymentIDs())).isEqualTo(deployedBefore);
      context.completeNow();
    })));
  }

  // ---- unknown paths and methods ----

  @Test
  @DisplayName("An unknown admin path answers 404 and a wrong method on a known path 405, both as JSON errors")
  void unknownPathsAndMethods(VertxTestContext context) {
    List<Object[]> requests = List.of(
        new Object[] {"GET", "/admin/nothing-here", 404, "not-found"},
        new Object[] {"GET", "/admin/tenants/" + RUNNING + "/history", 404, "not-found"},
        new Object[] {"GET", "/", 404, "not-found"},
        new Object[] {"GET", "/health", 404, "not-found"},
        new Object[] {"PATCH", "/admin/tenants", 405, "method-not-allowed"},
        new Object[] {"DELETE", "/admin/tenants", 405, "method-not-allowed"},
        new Object[] {"PATCH", "/admin/tenants/" + RUNNING, 405, "method-not-allowed"},
        new Object[] {"GET", "/admin/tenants/" + RUNNING + "/poll", 405, "method-not-allowed"},
        new Object[] {"POST", "/admin/workers", 405, "method-not-allowed"});
    inTurn(requests, r -> call(HttpMethod.valueOf((String) r[0]), (String) r[1]).map(response -> {
      context.verify(() -> assertError(response, (Integer) r[2], (String) r[3]));
      return null;
    })).onComplete(context.succeedingThenComplete());
  }

  // ---- helpers ----

  private record Filter(String query, List<String> expected) {
    Filter(String query, String... expected) {
      this(query, List.of(expected));
    }
  }

  private Future<HttpResponse<Buffer>> call(HttpMethod method, String path) {
    return env.admin(method, path);
  }

  private Future<JsonObject> list(String query) {
    return call(HttpMethod.GET, "/admin/tenants" + (query.isEmpty() ? "" : "?" + query)).map(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET /admin/tenants?" + query + " answered " + response.statusCode());
      }
      return response.bodyAsJsonObject();
    });
  }

  /** Restarts the engine with an admin token (the one tenant Running and polled), replacing the default one. */
  private Future<Void> withToken(Vertx vertx) {
    JsonObject overrides = new JsonObject().put("admin", new JsonObject().put("token", TOKEN));
    return env.engine.close()
        .compose(v -> TestEngine.start(vertx, overrides, RUNNING))
        .compose(started -> {
          env = started;
          return Eventually.until(vertx,
              () -> env.admin(HttpMethod.GET, "/admin/tenants/" + RUNNING, "Bearer " + TOKEN),
              response -> response.statusCode() == 200
                  && response.bodyAsJsonObject().getString("lastPolledAt") != null);
        })
        .mapEmpty();
  }

  /** Runs one request after the other, so the order of a table is the order of its requests. */
  private static <T> Future<Void> inTurn(List<T> items, Function<T, Future<?>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item).mapEmpty());
    }
    return chain;
  }

  private static List<String> names(JsonObject list) {
    return list.getJsonArray("tenants").stream().map(v -> ((JsonObject) v).getString("tenant")).toList();
  }

  /** The one registered worker of a {@code GET /admin/workers} answer. */
  private static JsonObject onlyWorker(HttpResponse<Buffer> response) {
    JsonArray workers = response.statusCode() == 200 ? response.bodyAsJsonObject().getJsonArray("workers") : null;
    if (workers == null || workers.size() != 1) {
      throw new IllegalStateException("expected one worker, got " + response.statusCode() + " " + response.bodyAsString());
    }
    return workers.getJsonObject(0);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    HashSet<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** The contract's error shape: the status, a JSON content type and exactly {"error","message"}. */
  static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrderElementsOf(ERROR_FIELDS);
    assertThat(body.getString("error")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
  }

  /** A polled tenant's view: each field of its JSON type, the instants readable, no failure and no hold. */
  private static void assertPolledView(JsonObject view) {
    assertThat(view.getValue("tenant")).isInstanceOf(String.class);
    assertThat(view.getValue("state")).isInstanceOf(String.class);
    assertThat(view.getValue("stateCode")).isInstanceOf(Integer.class);
    assertThat(view.getValue("running")).isInstanceOf(Boolean.class);
    assertThat(view.getValue("endpoint")).isInstanceOf(String.class);
    assertThat(view.getValue("api")).isInstanceOf(String.class);
    assertThat(view.getValue("version")).satisfiesAnyOf(
        v -> assertThat(v).isNull(), v -> assertThat(v).isInstanceOf(String.class));
    Instant polledAt = Instant.parse(view.getString("lastPolledAt"));
    assertThat(Instant.parse(view.getString("validUntil"))).isAfter(polledAt);
    assertThat(Instant.parse(view.getString("nextPollAt"))).isAfter(polledAt);
    assertThat(view.getValue("consecutiveFailures")).isEqualTo(0);
    assertThat(view.containsKey("lastError")).isTrue();
    assertThat(view.getValue("lastError")).isNull();
    assertThat(view.getValue("stale")).isEqualTo(false);
    assertThat(view.containsKey("holdUntil")).isTrue();
    assertThat(view.getValue("holdUntil")).isNull();
    assertThat(view.getValue("seq")).isInstanceOf(Number.class);
  }
}
