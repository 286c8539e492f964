package io.tenantwatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.webhook.TestTokens;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook through the real route on the whole engine: docs/contracts.md's webhook table ("The webhook") row by row, every
 * refusal reason, each ChangeType's effect (R5), replays and unknown tenants.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class WebhookRouteTest {
  private static final String CTX = "Cust50001";
  private static final String PATH = "/superoffice/state-change";
  private static final String AUDIENCE = "spn:tenantwatch-test";
  private static final int MAX_BODY = 2048;

  private static TestTokens tokens;
  private static Path certificate;

  private TestEngine env;
  private RecordingWorker worker;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    tokens = TestTokens.generate(Clock.systemUTC());
    certificate = tokens.writeCertificate(dir);
  }

  private static JsonObject webhook(boolean watchUnknown) {
    return new JsonObject().put("webhook", new JsonObject()
        .put("certificates", new JsonArray().add(certificate.toString()))
        .put("issuers", new JsonArray().add(TestTokens.ISSUER))
        .put("audience", AUDIENCE)
        .put("maxBodyBytes", MAX_BODY)
        .put("watchUnknownTenants", watchUnknown));
  }

  private Future<Void> start(Vertx vertx, boolean watchUnknown) {
    return TestEngine.start(vertx, webhook(watchUnknown))
        .compose(started -> {
          env = started;
          worker = new RecordingWorker(vertx);
          return worker.register();
        })
        .compose(v -> env.simulator.addTenant(CTX))
        .compose(v -> env.simulator.setValidity(Duration.ofMinutes(10)))
        .compose(v -> env.admin(HttpMethod.PUT, "/admin/tenants/" + CTX))
        .compose(v -> worker.await(c -> c.tenant().equals(CTX) && c.type() == CommandType.RESUME))
        .mapEmpty();
  }

  @AfterEach
  void stop(VertxTestContext context) {
    (env == null ? Future.succeededFuture() : env.engine.close()).onComplete(context.succeedingThenComplete());
  }

  private static String token(String ctx) {
    return tokens.token(ctx).claim("aud", AUDIENCE).sign();
  }

  private static JsonObject body(String ctx, int changeType, String token) {
    return new JsonObject().put("ChangeType", changeType).put("ContextIdentifier", ctx)
        .put("VersionName", "Release_11.10_2026.02.24-02").put("FileVersion", "").put("Token", token);
  }

  private Future<HttpResponse<Buffer>> post(String text, String contentType) {
    var request = env.client.post(env.engine.httpPort(), "127.0.0.1", PATH);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return request.sendBuffer(Buffer.buffer(text));
  }

  private Future<HttpResponse<Buffer>> post(JsonObject body) {
    return post(body.encode(), "application/json");
  }

  private Future<Command> command(CommandType type, Function<Command, Boolean> more) {
    return worker.await(c -> c.tenant().equals(CTX) && c.type() == type && more.apply(c));
  }

  @Test
  @DisplayName("a valid notification for a watched tenant is accepted with 200 {\"accepted\":true}")
  void accepted(Vertx vertx, VertxTestContext context) {
    start(vertx, true)
        .compose(v -> post(body(CTX, ChangeType.RESUME.code(), token(CTX))))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("accepted", true));
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a body whose field holds a NUL is malformed: 400 bad-json, whatever the token")
  void nulIsMalformed(Vertx vertx, VertxTestContext context) {
    String good = token(CTX);
    start(vertx, true)
        .compose(v -> post(body(CTX, 0, good).put("FileVersion", "v\u0000")))
        .onComplete(context.succeeding(r -> context.verify(() -> {
          assertError(r, 400, "bad-json", good);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the body is judged before the token: too large 413, not JSON 415, malformed 400, whatever the token")
  void bodyBeforeToken(Vertx vertx, VertxTestContext context) {
    String good = token(CTX);
    JsonObject huge = body(CTX, 0, good).put("Padding", "x".repeat(MAX_BODY));
    start(vertx, true)
        .compose(v -> post(huge))
        .compose(r -> {
          context.verify(() -> assertError(r, 413, "body-too-large", good));
          return post(body(CTX, 0, "not-a-token").put("Padding", "x".repeat(MAX_BODY)));
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 413, "body-too-large", null));
          return post(body(CTX, 0, good).encode(), "text/plain");
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 415, "unsupported-media-type", good));
          return post(body(CTX, 0, "garbage").encode(), "application/x-www-form-urlencoded");
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 415, "unsupported-media-type", null));
          return post("{\"ChangeType\":0, \"Token\":\"" + good + "\"", "application/json");
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 400, "bad-json", good));
          return post(body(CTX, 0, good).put("ContextIdentifier", null));
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 400, "missing-context-identifier", good));
          JsonObject noType = body(CTX, 0, good);
          noType.remove("ChangeType");
          return post(noType);
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 400, "missing-change-type", good));
          return post(body(CTX, 0, good).put("ChangeType", "0"));
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 400, "bad-change-type", good));
          return post(body("Cust1; DROP", 0, good));
        })
        .compose(r -> {
          context.verify(() -> assertError(r, 400, "bad-context-identifier", good));
          return post(body(CTX, 0, "forged").put("ChangeType", 1.5));
        })
        .onComplete(context.succeeding(r -> context.verify(() -> {
          assertError(r, 400, "bad-change-type", null);
          // None of the refused requests touched the tenant.
          assertThat(worker.commandsFor(CTX)).extracting(Command::type).containsExactly(CommandType.RESUME);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the body limit holds while reading: a chunked body without Content-Length is cut off with 413")
  void chunkedOverLimit(Vertx vertx, VertxTestContext context) {
    start(vertx, true)
        .compose(v -> vertx.createHttpClient().request(HttpMethod.POST, env.engine.httpPort(), "127.0.0.1", PATH))
        .compose(request -> {
          request.setChunked(true).putHeader("Content-Type", "application/json");
          for (int i = 0; i < 8; i++) {
            request.write("{\"Padding\":\"" + "x".repeat(MAX_BODY / 4) + "\"}");
          }
          return request.end().compose(v -> request.response()).compose(r -> r.body().map(b -> r.statusCode()));
        })
        .onComplete(context.succeeding(status -> context.verify(() -> {
          assertThat(status).isEqualTo(413);
          context.completeNow();
        })));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code, String token) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo(code);
    assertThat(response.bodyAsJsonObject().getString("message")).isNotBlank();
    if (token != null) {
      assertThat(response.bodyAsString()).doesNotContain(token);
      String header = token.split("\\.")[0];
      if (header.length() > 12) {
        assertThat(response.bodyAsString()).doesNotContain(header);
      }
    }
  }

  @Test
  @DisplayName("every refusal of the token answers 401 with its reason and never echoes the token, changing nothing")
  void tokenRefusals(Vertx vertx, VertxTestContext context) {
    long now = Clock.systemUTC().instant().getEpochSecond();
    TestTokens stranger = TestTokens.generate(Clock.systemUTC());
    List<String[]> cases = List.of(
        new String[] {null, "missing-token"},
        new String[] {"", "missing-token"},
        new String[] {"not.a.jwt", "not-a-jwt"},
        new String[] {"abc", "not-a-jwt"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).unsigned(), "bad-alg"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).hs256("secret".getBytes()), "bad-alg"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).hs256(tokens.publicKeyPem().getBytes()), "bad-alg"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).hs256(tokens.keyPair().getPublic().getEncoded()), "bad-alg"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).signWith(stranger.keyPair().getPrivate()), "bad-signature"},
        new String[] {tamper(token(CTX)), "bad-signature"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).issuedAt(java.time.Instant.ofEpochSecond(now - 3600)).sign(), "expired"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).issuedAt(java.time.Instant.ofEpochSecond(now + 3600)).sign(), "not-yet-valid"},
        new String[] {tokens.token(CTX).claim("aud", AUDIENCE).claim("iss", "https://evil.example").sign(), "bad-issuer"},
        new String[] {tokens.token(CTX).claim("aud", "spn:someone-else").sign(), "bad-audience"},
        new String[] {tokens.token(CTX).sign(), "bad-audience"},
        new String[] {tokens.token("Cust99999").claim("aud", AUDIENCE).sign(), "tenant-mismatch"});
    Future<Void> chain = start(vertx, true);
    for (String[] c : cases) {
      chain = chain.compose(v -> post(body(CTX, ChangeType.SUSPEND.code(), c[0])))
          .map(response -> {
            context.verify(() -> {
              assertError(response, 401, c[1], c[0] == null || c[0].isEmpty() ? null : c[0]);
            });
            return null;
          });
    }
    chain.compose(v -> env.view(CTX)).onComplete(context.succeeding(view -> context.verify(() -> {
      assertThat(view.getBoolean("running")).isTrue();
      assertThat(view.getString("holdUntil")).isNull();
      assertThat(worker.commandsFor(CTX)).extracting(Command::type).containsExactly(CommandType.RESUME);
      context.completeNow();
    })));
  }

  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1])));
    claims.put("http://schemes.superoffice.net/identity/ctx", "Cust50002");
    return parts[0] + "." + TestTokens.encode(claims) + "." + parts[2];
  }

  @ParameterizedTest(name = "ChangeType {0}")
  @ValueSource(ints = {0, 2, 4})
  @DisplayName("R5 through the route: Upgrade, Suspend and Delete pause at once while the state API still says Running")
  void closingTypes(int code, Vertx vertx, VertxTestContext context) {
    ChangeType type = ChangeType.of(code);
    start(vertx, true)
        .compose(v -> post(body(CTX, code, token(CTX))))
        .compose(response -> {
          context.verify(() -> assertThat(response.statusCode()).isEqualTo(200));
          return command(CommandType.PAUSE, c -> true);
        })
        .compose(pause -> {
          context.verify(() -> {
            assertThat(pause.reason()).isEqualTo("notification:" + type.label());
            assertThat(pause.state()).isEqualTo("Running");
          });
          return env.view(CTX);
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getBoolean("running")).isFalse();
          assertThat(view.getString("holdUntil")).isNotNull();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R5 through the route: Resume polls now and opens only when the poll says running")
  void resume(Vertx vertx, VertxTestContext context) {
    start(vertx, true)
        .compose(v -> env.simulator.set(CTX, TenantState.SUSPENDED))
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"))
        .compose(v -> command(CommandType.PAUSE, c -> true))
        .compose(v -> env.simulator.set(CTX, TenantState.RUNNING))
        .compose(v -> post(body(CTX, ChangeType.RESUME.code(), token(CTX))))
        .compose(v -> command(CommandType.RESUME, c -> c.seq() > 1))
        .onComplete(context.succeeding(resume -> context.verify(() -> {
          assertThat(resume.reason()).isEqualTo("notification:Resume");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("R5 through the route: a Move polls now and the new endpoint goes out; BackupRestored sends one resync")
  void moveAndBackupRestored(Vertx vertx, VertxTestContext context) {
    String sod3 = "https://sod3.superoffice.com/" + CTX;
    start(vertx, true)
        .compose(v -> env.simulator.setStatus(CTX, TenantState.RUNNING, sod3, sod3 + "/api", null))
        .compose(v -> post(body(CTX, ChangeType.MOVE.code(), token(CTX)).put("PublicEndpoint", "sod3.superoffice.com")))
        .compose(v -> command(CommandType.ENDPOINT, c -> true))
        .compose(endpoint -> {
          context.verify(() -> {
            assertThat(endpoint.api()).isEqualTo(sod3 + "/api");
            assertThat(endpoint.reason()).isEqualTo("notification:Move");
          });
          return post(body(CTX, ChangeType.BACKUP_RESTORED.code(), token(CTX)));
        })
        .compose(v -> command(CommandType.RESYNC, c -> true))
        .onComplete(context.succeeding(resync -> context.verify(() -> {
          assertThat(resync.reason()).isEqualTo("notification:BackupRestored");
          assertThat(worker.commandsFor(CTX)).extracting(Command::type)
              .containsExactly(CommandType.RESUME, CommandType.ENDPOINT, CommandType.RESYNC);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown ChangeType is accepted and treated as 'poll now'")
  void unknownChangeType(Vertx vertx, VertxTestContext context) {
    start(vertx, true)
        .compose(v -> {
          long before = env.simulator.requestCount(CTX);
          return post(body(CTX, 42, token(CTX))).compose(response -> {
            context.verify(() -> assertThat(response.statusCode()).isEqualTo(200));
            return io.tenantwatch.support.Eventually.until(vertx,
                () -> Future.succeededFuture(env.simulator.requestCount(CTX)), count -> count > before);
          });
        })
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("a notification delivered again is answered 200 and not applied twice, also after the gate reopened")
  void replay(Vertx vertx, VertxTestContext context) {
    JsonObject upgrade = body(CTX, ChangeType.UPGRADE.code(), token(CTX));
    start(vertx, true)
        .compose(v -> post(upgrade))
        .compose(v -> post(upgrade))
        .compose(again -> {
          context.verify(() -> assertThat(again.statusCode()).isEqualTo(200));
          // The hold (400 ms in tests) ends and the gate follows the state API: Running.
          return command(CommandType.RESUME, c -> c.seq() == 3);
        })
        .compose(v -> post(upgrade))
        .compose(third -> {
          context.verify(() -> assertThat(third.statusCode()).isEqualTo(200));
          // A fresh Upgrade (new token) is applied: it is the proof the replay above reached the tenant.
          return post(body(CTX, ChangeType.UPGRADE.code(), tokens.token(CTX).claim("aud", AUDIENCE)
              .claim("jti", "another").sign()));
        })
        .compose(v -> command(CommandType.PAUSE, c -> c.seq() == 4))
        .onComplete(context.succeeding(v -> context.verify(() -> {
          assertThat(worker.commandsFor(CTX)).extracting(Command::type).containsExactly(
              CommandType.RESUME, CommandType.PAUSE, CommandType.RESUME, CommandType.PAUSE);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("a different notification under the same token is not a repeat: a Resume after a Suspend is applied")
  void sameTokenDifferentNotification(Vertx vertx, VertxTestContext context) {
    String shared = token(CTX);
    start(vertx, true)
        .compose(v -> post(body(CTX, ChangeType.SUSPEND.code(), shared)))
        .compose(v -> command(CommandType.PAUSE, c -> true))
        .compose(v -> env.viewUntil(CTX, view -> view.getString("holdUntil") == null))
        .compose(v -> command(CommandType.RESUME, c -> c.seq() == 3))
        .compose(v -> env.simulator.set(CTX, TenantState.SUSPENDED))
        .compose(v -> env.admin(HttpMethod.POST, "/admin/tenants/" + CTX + "/poll"))
        .compose(v -> command(CommandType.PAUSE, c -> c.seq() == 4))
        .compose(v -> env.simulator.set(CTX, TenantState.RUNNING))
        .compose(v -> post(body(CTX, ChangeType.RESUME.code(), shared)))
        .compose(v -> command(CommandType.RESUME, c -> c.seq() == 5))
        .onComplete(context.succeeding(resume -> context.verify(() -> {
          assertThat(resume.reason()).isEqualTo("notification:Resume");
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("with watchUnknownTenants a notification for an unwatched tenant starts watching it and applies")
  void unknownTenantWatched(Vertx vertx, VertxTestContext context) {
    String stranger = "Cust50099";
    start(vertx, true)
        .compose(v -> env.simulator.addTenant(stranger))
        .compose(v -> post(body(stranger, ChangeType.SUSPEND.code(), token(stranger))))
        .compose(response -> {
          context.verify(() -> assertThat(response.statusCode()).isEqualTo(200));
          return env.viewUntil(stranger, view -> view.getString("lastPolledAt") != null);
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          // Suspend's hold keeps the new tenant closed although the state API says Running.
          assertThat(view.getString("holdUntil")).isNotNull();
          assertThat(view.getBoolean("running")).isFalse();
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("without watchUnknownTenants a notification for an unwatched tenant is answered 202 and ignored")
  void unknownTenantIgnored(Vertx vertx, VertxTestContext context) {
    String stranger = "Cust50099";
    start(vertx, false)
        .compose(v -> post(body(stranger, ChangeType.SUSPEND.code(), token(stranger))))
        .compose(response -> {
          context.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.bodyAsJsonObject().getBoolean("accepted")).isFalse();
          });
          return env.admin(HttpMethod.GET, "/admin/tenants/" + stranger);
        })
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertThat(response.statusCode()).isEqualTo(404);
          context.completeNow();
        })));
  }

  @Test
  @DisplayName("the answer goes out once the notification is handed over, not after the poll it triggers")
  void answersBeforeThePoll(Vertx vertx, VertxTestContext context) {
    start(vertx, true)
        .compose(v -> env.simulator.hang(CTX))
        .compose(v -> post(body(CTX, ChangeType.RESUME.code(), token(CTX))))
        .compose(response -> {
          context.verify(() -> assertThat(response.statusCode()).isEqualTo(200));
          return env.view(CTX);
        })
        .compose(view -> {
          // The poll the notification triggered is still waiting on the hanging state API.
          context.verify(() -> assertThat(view.getInteger("consecutiveFailures")).isZero());
          return env.viewUntil(CTX, later -> later.getInteger("consecutiveFailures") > 0);
        })
        .onComplete(context.succeeding(view -> context.verify(() -> {
          assertThat(view.getString("lastError")).startsWith("timeout");
          context.completeNow();
        })));
  }
}
