package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.tenant.TenantMessages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * R1 to R9 through the whole engine: the simulator's state API, the poller, a tenant verticle per tenant,
 * the registry and a worker registered on the event bus, observed through the admin API.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class EngineRulesTest {
  private static final String CTX = "Cust20001";

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
        .compose(snapshot -> env.simulator.addTenant(CTX))
        .onComplete(context.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext context) {
    env.engine.close().onComplete(context.succeedingThenComplete());
  }

  private Future<JsonObject> watch(String tenant) {
    return env.admin(HttpMethod.PUT, "/admin/tenants/" + tenant).map(r -> r.bodyAsJsonObject());
  }

  private Future<JsonObject> pollNow(String tenant) {
    return env.admin(HttpMethod.POST, "/admin/tenants/" + tenant + "/poll").map(r -> r.bodyAsJsonObject());
  }

  private Future<JsonObject> polled(String tenant) {
    return env.viewUntil(tenant, v -> v.getString("lastPolledAt") != null);
  }

  private static boolean is(Command c, CommandType type) {
    return c.tenant().equals(CTX) && c.type() == type;
  }

  private void notify(Vertx vertx, ChangeType type, String publicEndpoint) {
    vertx.eventBus().send(Addresses.tenant(CTX), TenantMessages.notification(
        new Notification(CTX, type, "Release_11", "11.1", publicEndpoint)));
  }

  @Test
  @DisplayName("R1: a tenant is closed until its first successful poll says running, then workers are told to resume")
  void gateFollowsFirstPoll(VertxTestContext context) {
    env.simulator.set(CTX, TenantState.SUSPENDED)
        .compose(v -> watch(CTX))
        .compose(v -> polled(CTX))
        .compose(view -> {
          context.verify(() -> {
            assertThat(view.getBoolean("running")).isFalse();
            assertThat(view.getString("state")).isEqualTo("Suspended");
            assertThat(worker.commandsFor(CTX)).isEmpty();
          });
          return env.simulator.set(CTX, TenantState.RUNNING);
        })
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .onComplete(context.succeeding(resume -> context.verify(() -> {
          assertThat(resume.seq()).isEqualTo(1);
          assertThat(resume.reason()).isEqualTo("poll");
          assertThat(resume.api()).isEqualTo(env.simulator.tenantApiUrl("sod2.superoffice.com", CTX));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("every recorded step is published on tenantwatch.events with its cause and commands")
  void transitionsPublished(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, message -> {
      JsonObject event = message.body();
      if (!CTX.equals(event.getString("tenant"))) {
        return;
      }
      context.verify(() -> {
        assertThat(event.getString("from")).isEqualTo("Unknown");
        assertThat(event.getString("to")).isEqualTo("Running");
        assertThat(event.getString("cause")).isEqualTo("poll");
        assertThat(event.getString("at")).isNotNull();
        assertThat(event.getJsonArray("commands")).hasSize(1);
        assertThat(event.getJsonArray("commands").getJsonObject(0).getString("type")).isEqualTo("resume");
      });
      context.completeNow();
    }).completion().compose(v -> watch(CTX)).onFailure(context::failNow);
  }

  @Test
  @DisplayName("R2: commands go out on gate edges only: OnlineMaintenance sends nothing, Suspended pauses, Running resumes")
  void edgesOnly(VertxTestContext context) {
    watch(CTX)
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(v -> env.simulator.set(CTX, TenantState.ONLINE_MAINTENANCE))
        .compose(v -> env.viewUntil(CTX, view -> "OnlineMaintenance".equals(view.getString("state"))))
        .compose(v -> env.simulator.set(CTX, TenantState.SUSPENDED))
        .compose(v -> worker.await(c -> is(c, CommandType.PAUSE)))
        .compose(v -> env.simulator.set(CTX, TenantState.RUNNING))
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME) && c.seq() > 1))
        .onComplete(context.succeeding(v -> context.verify(() -> {
          List<Command> commands = worker.commandsFor(CTX);
          assertThat(commands).extracting(Command::type)
              .containsExactly(CommandType.RESUME, CommandType.PAUSE, CommandType.RESUME);
          assertThat(commands).extracting(Command::seq).containsExactly(1L, 2L, 3L);
          assertThat(commands).extracting(Command::reason).containsOnly("poll");
          assertThat(commands.get(1).state()).isEqualTo("Suspended");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R3: a move while open sends an endpoint command; a move while closed rides on the next resume")
  void moves(VertxTestContext context) {
    String sod3 = "https://sod3.superoffice.com/" + CTX;
    String app = "https://app-sod.superoffice.com/" + CTX;
    watch(CTX)
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(v -> env.simulator.setStatus(CTX, TenantState.RUNNING, sod3, sod3 + "/api", null))
        .compose(v -> worker.await(c -> is(c, CommandType.ENDPOINT)))
        .compose(endpoint -> {
          context.verify(() -> assertThat(endpoint.api()).isEqualTo(sod3 + "/api"));
          return env.simulator.set(CTX, TenantState.SUSPENDED);
        })
        .compose(v -> worker.await(c -> is(c, CommandType.PAUSE)))
        .compose(v -> env.simulator.setStatus(CTX, TenantState.SUSPENDED, app, app + "/api", null))
        .compose(v -> env.viewUntil(CTX, view -> (app + "/api").equals(view.getString("api"))))
        .compose(v -> env.simulator.set(CTX, TenantState.RUNNING))
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME) && c.seq() > 1))
        .onComplete(context.succeeding(resume -> context.verify(() -> {
          assertThat(resume.api()).isEqualTo(app + "/api");
          assertThat(worker.commandsFor(CTX)).extracting(Command::type).containsExactly(
              CommandType.RESUME, CommandType.ENDPOINT, CommandType.PAUSE, CommandType.RESUME);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R5 with the simulator's tenant APIs: a Move is confirmed by the endpoint's host, and the endpoint command's api answers 200 where the old one answers 421")
  void moveToTheSimulatorsTenantApi(Vertx vertx, VertxTestContext context) {
    String sod3 = "sod3.superoffice.com";
    String oldApi = env.simulator.tenantApiUrl("sod2.superoffice.com", CTX);
    String newApi = env.simulator.tenantApiUrl(sod3, CTX);
    // A validity within maxPollIntervalMs: the next poll is due at ValidUntil unless a pending hint brings it on.
    env.simulator.setValidity(Duration.ofSeconds(30))
        .compose(v -> watch(CTX))
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(resume -> {
          context.verify(() -> assertThat(resume.api()).isEqualTo(oldApi));
          return env.simulator.setStatus(CTX, TenantState.RUNNING, "https://" + sod3 + "/" + CTX, newApi, null);
        })
        .compose(v -> {
          notify(vertx, ChangeType.MOVE, sod3);
          return worker.await(c -> is(c, CommandType.ENDPOINT));
        })
        .compose(endpoint -> {
          context.verify(() -> {
            assertThat(endpoint.reason()).isEqualTo("notification:Move");
            assertThat(endpoint.api()).isEqualTo(newApi);
          });
          return Future.all(env.view(CTX), env.client.getAbs(endpoint.api() + "/v1/Contact/1").send(),
              env.client.getAbs(oldApi + "/v1/Contact/1").send());
        })
        .onComplete(context.succeeding(all -> context.verify(() -> {
          JsonObject view = all.resultAt(0);
          assertThat(view.getString("nextPollAt")).as("the hint is confirmed, so no transitional poll follows")
              .isEqualTo(view.getString("validUntil"));
          assertThat(all.<HttpResponse<Buffer>>resultAt(1).statusCode()).isEqualTo(200);
          assertThat(all.<HttpResponse<Buffer>>resultAt(2).statusCode()).isEqualTo(421);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R4: a confirmed Deleted retires the tenant and stops polling; it stays listed until unwatched")
  void deleted(VertxTestContext context) {
    watch(CTX)
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(v -> env.simulator.set(CTX, TenantState.DELETED))
        .compose(v -> worker.await(c -> is(c, CommandType.RETIRE)))
        .compose(retire -> {
          context.verify(() -> assertThat(retire.reason()).isEqualTo("poll"));
          return env.viewUntil(CTX, view -> "Deleted".equals(view.getString("state")));
        })
        .compose(view -> {
          long requests = env.simulator.requestCount(CTX);
          context.verify(() -> assertThat(view.getString("nextPollAt")).isNull());
          // A forced poll of a Deleted tenant answers with its view and asks the state API nothing.
          return pollNow(CTX).map(polled -> {
            context.verify(() -> {
              assertThat(polled.getString("state")).isEqualTo("Deleted");
              assertThat(env.simulator.requestCount(CTX)).isEqualTo(requests);
            });
            return polled;
          });
        })
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/poll"))
        .compose(repoll -> {
          // The only tenant is Deleted: nothing is scheduled.
          context.verify(() -> assertThat(repoll.bodyAsJsonObject().getInteger("scheduled")).isZero());
          return env.admin(HttpMethod.GET, "/admin/tenants?state=Deleted");
        })
        .compose(list -> {
          context.verify(() -> assertThat(list.bodyAsJsonObject().getInteger("total")).isEqualTo(1));
          return env.admin(HttpMethod.DELETE, "/admin/tenants/" + CTX);
        })
        .compose(deleted -> {
          context.verify(() -> assertThat(deleted.statusCode()).isEqualTo(204));
          return worker.await(c -> is(c, CommandType.RETIRE) && "unwatched".equals(c.reason()));
        })
        .compose(v -> env.admin(HttpMethod.GET, "/admin/tenants/" + CTX))
        .onComplete(context.succeeding(gone -> context.verify(() -> {
          assertThat(gone.statusCode()).isEqualTo(404);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R5: an Upgrade notification pauses at once and holds; after the hold the gate follows the polled state")
  void upgradeHold(Vertx vertx, VertxTestContext context) {
    watch(CTX)
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(v -> {
          notify(vertx, ChangeType.UPGRADE, null);
          return worker.await(c -> is(c, CommandType.PAUSE));
        })
        .compose(pause -> {
          context.verify(() -> {
            assertThat(pause.reason()).isEqualTo("notification:Upgrade");
            assertThat(pause.state()).isEqualTo("Running");
          });
          return env.view(CTX);
        })
        .compose(view -> {
          context.verify(() -> {
            assertThat(view.getBoolean("running")).isFalse();
            assertThat(view.getString("holdUntil")).isNotNull();
          });
          // The state API still says Running: the hold keeps the gate closed, the poll after it reopens.
          return worker.await(c -> is(c, CommandType.RESUME) && c.seq() == 3);
        })
        .onComplete(context.succeeding(resume -> context.verify(() -> {
          assertThat(resume.reason()).isEqualTo("poll");
          assertThat(worker.commandsFor(CTX)).extracting(Command::type)
              .containsExactly(CommandType.RESUME, CommandType.PAUSE, CommandType.RESUME);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R5: Resume polls now and opens only when the poll says running; BackupRestored sends one resync")
  void resumeAndBackupRestored(Vertx vertx, VertxTestContext context) {
    env.simulator.set(CTX, TenantState.SUSPENDED)
        .compose(v -> env.simulator.setValidity(Duration.ofMinutes(10)))
        .compose(v -> watch(CTX))
        .compose(v -> polled(CTX))
        .compose(v -> env.simulator.set(CTX, TenantState.RUNNING))
        .compose(v -> {
          // ValidUntil is ten minutes ahead: only the notification's poll can find the tenant running now.
          notify(vertx, ChangeType.RESUME, null);
          return worker.await(c -> is(c, CommandType.RESUME));
        })
        .compose(resume -> {
          context.verify(() -> assertThat(resume.reason()).isEqualTo("notification:Resume"));
          notify(vertx, ChangeType.BACKUP_RESTORED, null);
          return worker.await(c -> is(c, CommandType.RESYNC));
        })
        .onComplete(context.succeeding(resync -> context.verify(() -> {
          assertThat(resync.reason()).isEqualTo("notification:BackupRestored");
          assertThat(worker.commandsFor(CTX)).extracting(Command::type)
              .containsExactly(CommandType.RESUME, CommandType.RESYNC);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R6: the next poll is due at ValidUntil, and within the transitional cap while OfflineMaintenance")
  void pollsFollowValidUntil(VertxTestContext context) {
    env.simulator.setValidity(Duration.ofSeconds(30))
        .compose(v -> watch(CTX))
        .compose(v -> polled(CTX))
        .compose(view -> {
          context.verify(() -> assertThat(view.getString("nextPollAt")).isEqualTo(view.getString("validUntil")));
          return env.simulator.set(CTX, TenantState.OFFLINE_MAINTENANCE);
        })
        .compose(v -> pollNow(CTX))
        .onComplete(context.succeeding(view -> context.verify(() -> {
          Instant polledAt = Instant.parse(view.getString("lastPolledAt"));
          assertThat(view.getString("state")).isEqualTo("OfflineMaintenance");
          assertThat(Instant.parse(view.getString("nextPollAt"))).isEqualTo(polledAt.plusMillis(200));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R7: failing polls change neither state nor gate, send nothing, count up and flag the tenant stale")
  void failuresChangeNothing(VertxTestContext context) {
    env.simulator.setValidity(Duration.ofMillis(300))
        .compose(v -> watch(CTX))
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(v -> env.simulator.failWith(CTX, 503, 1))
        .compose(v -> env.viewUntil(CTX, view -> view.getBoolean("stale") && view.getInteger("consecutiveFailures") >= 2))
        .compose(view -> {
          context.verify(() -> {
            assertThat(view.getString("state")).isEqualTo("Running");
            assertThat(view.getBoolean("running")).isTrue();
            assertThat(view.getString("lastError")).contains("503");
          });
          return env.simulator.answerGarbage(CTX, "<html>oops</html>");
        })
        .compose(v -> env.viewUntil(CTX, view -> String.valueOf(view.getString("lastError")).startsWith("unparseable")))
        .compose(v -> env.simulator.answerForOtherTenant(CTX, "Cust99999"))
        .compose(v -> env.viewUntil(CTX, view -> String.valueOf(view.getString("lastError")).startsWith("wrong-tenant")))
        .compose(v -> env.simulator.clearFault(CTX))
        .compose(v -> env.viewUntil(CTX, view -> view.getInteger("consecutiveFailures") == 0))
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getBoolean("stale")).isFalse();
          assertThat(view.getBoolean("running")).isTrue();
          assertThat(worker.commandsFor(CTX)).extracting(Command::type).containsExactly(CommandType.RESUME);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R7: a state the engine does not know is Unknown with its raw name, and the gate follows IsRunning")
  void unknownStateName(VertxTestContext context) {
    env.simulator.setRawState(CTX, "Frozen", false)
        .compose(v -> watch(CTX))
        .compose(v -> polled(CTX))
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getString("state")).isEqualTo("Frozen");
          assertThat(view.getInteger("stateCode")).isZero();
          assertThat(view.getBoolean("running")).isFalse();
          assertThat(view.getInteger("consecutiveFailures")).isZero();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R8: a forced poll answers with the view after the poll, and 504 when the state API does not answer")
  void forcedPoll(VertxTestContext context) {
    env.simulator.setValidity(Duration.ofMinutes(10))
        .compose(v -> watch(CTX))
        .compose(v -> worker.await(c -> is(c, CommandType.RESUME)))
        .compose(v -> env.simulator.set(CTX, TenantState.SUSPENDED))
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"))
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getString("state")).isEqualTo("Suspended");
            assertThat(response.bodyAsJsonObject().getJsonArray("history")).isNotEmpty();
          });
          return worker.await(c -> is(c, CommandType.PAUSE));
        })
        .compose(pause -> {
          context.verify(() -> assertThat(pause.reason()).isEqualTo("admin"));
          return env.simulator.hang(CTX);
        })
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(504);
          assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("state-api-timeout");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R9: many tenants starting at once reach the state API spread out, never above maxPollsPerSecond")
  void noHerd(Vertx vertx, VertxTestContext context) {
    String[] tenants = new String[45];
    for (int i = 0; i < tenants.length; i++) {
      tenants[i] = "Cust3" + String.format("%04d", i);
    }
    JsonObject overrides = new JsonObject().put("stateApi", new JsonObject().put("maxPollsPerSecond", 15));
    env.engine.close()
        .compose(v -> TestEngine.start(vertx, overrides, tenants))
        .compose(started -> {
          env = started;
          return Eventually.until(vertx, () -> Future.succeededFuture(env.simulator.requestCount()),
              count -> count >= tenants.length);
        })
        .onComplete(context.succeeding(count -> context.verify(() -> {
          assertThat(env.simulator.requestsPerSecond().values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(17));
          assertThat(env.simulator.requestsPerSecond()).hasSizeGreaterThanOrEqualTo(3);
          context.completeNow();
        })));
  }
}
