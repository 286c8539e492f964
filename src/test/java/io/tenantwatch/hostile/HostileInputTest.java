package io.tenantwatch.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.Command;
import io.tenantwatch.domain.CommandType;
import io.tenantwatch.store.StoredPage;
import io.tenantwatch.support.ErrorLog;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.RecordingWorker;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.webhook.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, seeded fuzz run of hostile input at a whole running engine: random and mangled webhook
 * requests, admin requests, broken HTTP on both listeners, and hostile state-API answers. For every case
 * the answer must be one the input deserves (4xx where the input is at fault, never a 5xx for it), and
 * afterwards the engine must still be whole: {@code /health} and the admin API answer, nothing was logged
 * at ERROR or with a stack trace, and no tenant's state, gate, endpoint or seq moved, nor did a worker
 * hear a command. The seed comes from {@code -Dhostile.seed=} or is drawn at random and is printed with
 * any failure; every case is rebuilt from the seed and its number.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class HostileInputTest {
  private static final Logger LOG = LoggerFactory.getLogger(HostileInputTest.class);
  private static final long SEED = Long.getLong("hostile.seed", ThreadLocalRandom.current().nextLong());
  private static final String PATH = "/superoffice/state-change";
  private static final String AUDIENCE = "spn:tenantwatch-fuzz";
  private static final String ADMIN_TOKEN = "fuzz-admin-token-0123456789abcdef";
  private static final int MAX_BODY = 16_384;
  private static final List<String> WATCHED = List.of("Cust50001", "Cust50002", "Cust50003");
  private static final List<String> HOSTILE_API = List.of("Cust60001", "Cust60002", "Cust60003", "Cust60004");
  private static final String UNWATCHED = "Cust59999";
  private static final int LANES = 8;
  private static final String[] VIEW_FIELDS = {"tenant", "state", "stateCode", "running", "endpoint", "api", "seq",
      "holdUntil"};

  private static TestTokens tokens;
  private static TestTokens stranger;
  private static Path certificate;

  private TestEngine env;
  private WebClient client;
  private HostileStateApi stateApi;
  private RecordingWorker worker;
  private ErrorLog errors;
  private Snapshot baseline;

  /** What must not move: every tenant's view (its lasting fields), the tenant list, the commands. */
  private record Snapshot(List<JsonObject> views, List<Command> commands) {
  }

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    tokens = TestTokens.generate(Clock.systemUTC());
    stranger = TestTokens.generate(Clock.systemUTC());
    certificate = tokens.writeCertificate(dir);
  }

  private Future<Void> start(Vertx vertx) {
    List<String> all = new ArrayList<>(WATCHED);
    all.addAll(HOSTILE_API);
    Instant validUntil = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    return HostileStateApi.start(vertx, validUntil)
        .compose(api -> {
          stateApi = api;
          return TestEngine.start(vertx, overrides(api.baseUrl()).put("store", storeConfig()), all.toArray(String[]::new));
        })
        .compose(started -> {
          env = started;
          // A fresh connection per request: an answer that ends a connection never catches the next request.
          client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
          worker = new RecordingWorker(vertx);
          return worker.register();
        })
        .compose(v -> Future.all(all.stream()
            .map(ctx -> Eventually.until(vertx, () -> view(ctx), view -> view.getBoolean("running", false))
                .compose(open -> workerHeardResume(ctx)))
            .toList()))
        .compose(v -> snapshot())
        .map(taken -> {
          baseline = taken;
          errors = ErrorLog.capture();
          LOG.info("hostile input: seed {} (rerun with -Dhostile.seed={})", SEED, SEED);
          return null;
        });
  }

  /** The store the engine runs on: memory here; {@link HostileInputOnPostgresTest} runs the same on PostgreSQL. */
  JsonObject storeConfig() {
    return new JsonObject().put("type", "memory");
  }

  /** How many of a phase's {@code full} cases this class runs. */
  int cases(int full) {
    return full;
  }

  /**
   * The worker knows the tenant is open: from its registration snapshot, or from a resume it received. So
   * no command of the start is still on its way when the baseline is taken.
   */
  private Future<Void> workerHeardResume(String ctx) {
    boolean inSnapshot = worker.snapshot().getJsonArray("tenants").stream()
        .map(JsonObject.class::cast)
        .anyMatch(command -> ctx.equals(command.getString("tenant")) && "resume".equals(command.getString("type")));
    return inSnapshot ? Future.succeededFuture()
        : worker.await(command -> command.tenant().equals(ctx) && command.type() == CommandType.RESUME).mapEmpty();
  }

  /**
   * The state API is the hostile one; polls come only when a test forces them (a success is good for an
   * hour, a failure is retried after a minute), so every forced poll meets the answer its case set up.
   */
  private static JsonObject overrides(String stateApiUrl) {
    // The store comes from storeConfig().
    return new JsonObject()
        .put("stateApi", new JsonObject().put("baseUrl", stateApiUrl).put("requestTimeoutMs", 5_000)
            .put("minPollIntervalMs", 5_000).put("transitionalPollIntervalMs", 30_000)
            .put("maxPollIntervalMs", 3_600_000).put("retryMinMs", 60_000).put("retryMaxMs", 300_000))
        .put("webhook", new JsonObject()
            .put("certificates", new JsonArray().add(certificate.toString()))
            .put("issuers", new JsonArray().add(TestTokens.ISSUER))
            .put("audience", AUDIENCE)
            .put("maxBodyBytes", MAX_BODY)
            .put("watchUnknownTenants", false))
        .put("admin", new JsonObject().put("token", ADMIN_TOKEN));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    if (errors != null) {
      errors.close();
    }
    (env == null ? Future.succeededFuture() : env.engine.close()).onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("Two thousand hostile webhook requests are all refused with a 4xx, and no tenant changes")
  void hostileWebhookRequests(Vertx vertx, VertxTestContext context) {
    start(vertx)
        .compose(v -> {
          WebhookProbes probes = new WebhookProbes(PATH, MAX_BODY, tokens, stranger, AUDIENCE, WATCHED, UNWATCHED);
          return new FuzzRun().run(cases(2_000), LANES, i -> send(env.engine.httpPort(), probes.probe(random(1, i))));
        })
        .compose(wrong -> unharmed(context, "webhook", cases(2_000), wrong))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("Fifteen hundred hostile admin requests get a 4xx or their harmless answer, and no tenant changes")
  void hostileAdminRequests(Vertx vertx, VertxTestContext context) {
    start(vertx)
        .compose(v -> {
          List<String> watched = new ArrayList<>(WATCHED);
          watched.addAll(HOSTILE_API);
          AdminProbes probes = new AdminProbes(ADMIN_TOKEN, watched);
          return new FuzzRun().run(cases(1_500), LANES, i -> send(env.engine.adminPort(), probes.probe(random(2, i))));
        })
        .compose(wrong -> unharmed(context, "admin", cases(1_500), wrong))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("Broken HTTP on both listeners gets a 4xx or a hang-up, never a 5xx or a success it should not")
  void brokenHttp(Vertx vertx, VertxTestContext context) {
    RawHttp raw = new RawHttp(vertx, 5_000);
    RawRequests requests = new RawRequests(PATH, ADMIN_TOKEN);
    start(vertx)
        .compose(v -> new FuzzRun().run(cases(400), LANES, i -> {
          boolean webhook = i % 2 == 0;
          int port = webhook ? env.engine.httpPort() : env.engine.adminPort();
          RawRequests.RawCase rawCase = webhook ? requests.webhook(random(3, i), port) : requests.admin(random(3, i), port);
          return raw.exchange(port, rawCase.bytes()).map(status -> rawCase.allowed().contains(status) ? null
              : (webhook ? "webhook" : "admin") + " raw request " + printable(rawCase.bytes()) + " got " + status);
        }))
        .compose(wrong -> raw.close().compose(v -> unharmed(context, "raw HTTP", cases(400), wrong)))
        .onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("Four hundred hostile state-API answers are failed polls or harmless, never a change of state")
  void hostileStateApiAnswers(Vertx vertx, VertxTestContext context) {
    int perTenant = cases(100);
    start(vertx)
        .compose(v -> Future.all(HOSTILE_API.stream()
            .map(ctx -> new FuzzRun().run(perTenant, 1,
                i -> hostileAnswer(ctx, random(4, HOSTILE_API.indexOf(ctx) * perTenant + i))))
            .toList()))
        .map(runs -> runs.<List<String>>list().stream().flatMap(List::stream).toList())
        .compose(wrong -> {
          HOSTILE_API.forEach(stateApi::answerPlainly);
          return Future.all(HOSTILE_API.stream().map(ctx -> admin(HttpMethod.POST, "/admin/tenants/" + ctx + "/poll")
              .map(r -> {
                context.verify(() -> assertThat(r.bodyAsJsonObject().getInteger("consecutiveFailures"))
                    .as("%s polled plainly again after the hostile answers", ctx).isZero());
                return null;
              })).toList()).map(wrong);
        })
        .compose(wrong -> unharmed(context, "state API", HOSTILE_API.size() * perTenant, wrong))
        .onComplete(context.succeedingThenComplete());
  }

  /** Sets one hostile answer, forces a poll to meet it, and checks the answer and the tenant's view. */
  private Future<String> hostileAnswer(String ctx, SplittableRandom rnd) {
    HostileAnswers.Answer answer = HostileAnswers.answer(rnd, stateApi.plainBody(ctx));
    stateApi.answer(ctx, answer.raw());
    return admin(HttpMethod.POST, "/admin/tenants/" + ctx + "/poll").compose(response -> {
      if (!answer.allowed().contains(response.statusCode())) {
        return Future.succeededFuture(ctx + " answered '" + answer.what() + "': the forced poll answered "
            + response.statusCode() + " " + shortly(response.bodyAsString()) + ", expected " + answer.allowed());
      }
      return view(ctx).map(view -> {
        JsonObject before = baseline.views().stream().filter(v -> ctx.equals(v.getString("tenant"))).findFirst()
            .orElseThrow();
        return lasting(view).equals(before) ? null
            : ctx + " answered '" + answer.what() + "': the tenant changed from " + before + " to " + lasting(view);
      });
    });
  }

  /**
   * After a phase: no wrong answer, the engine still answers, nothing logged at ERROR, no tenant and no
   * worker changed.
   */
  private Future<Void> unharmed(VertxTestContext context, String phase, int cases, List<String> wrong) {
    context.verify(() -> assertThat(wrong)
        .as("%s: %d of %d hostile cases were answered wrongly (seed %d, rerun with -Dhostile.seed=%d); the first:%n%s",
            phase, wrong.size(), cases, SEED, SEED, wrong.stream().limit(15).collect(Collectors.joining("\n")))
        .isEmpty());
    return env.publicRequest(HttpMethod.GET, "/health")
        .compose(health -> {
          context.verify(() -> {
            assertThat(health.statusCode()).as("GET /health after the %s phase", phase).isEqualTo(200);
            assertThat(health.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
          });
          return storeUnharmed(context, phase);
        })
        .compose(v -> snapshot())
        .map(after -> {
          context.verify(() -> {
            assertThat(after.views()).as("every tenant after the %s phase (seed %d)", phase, SEED)
                .isEqualTo(baseline.views());
            assertThat(after.commands()).as("commands the workers heard during the %s phase (seed %d)", phase, SEED)
                .isEqualTo(baseline.commands());
            assertThat(errors.events()).as("logged at ERROR or with a stack trace during the %s phase (seed %d)",
                phase, SEED).isEmpty();
          });
          return null;
        });
  }

  /**
   * The store took every change of the phase (a row it refused would also have logged at ERROR), says it
   * is ready, and gives back each tenant as the engine holds it. A phase may end within the directory's
   * batching of a fresh engine's watches (R11 allows a second), so the store is asked until it lists the
   * watched tenants with nothing pending.
   */
  private Future<Void> storeUnharmed(VertxTestContext context, String phase) {
    Vertx vertx = env.vertx;
    List<String> expected = baseline.views().stream().map(v -> v.getString("tenant")).sorted().toList();
    return Eventually.until(vertx, () -> vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject())
            .map(reply -> reply.body()), h -> h.getBoolean("reachable") && h.getInteger("pendingWrites") == 0)
        .compose(h -> env.publicRequest(HttpMethod.GET, "/ready"))
        .compose(ready -> {
          context.verify(() -> assertThat(ready.statusCode()).as("GET /ready after the %s phase: %s", phase,
              ready.bodyAsString()).isEqualTo(200));
          return Eventually.until(vertx, () -> storedTenants(vertx), stored -> storedIds(stored).equals(expected));
        })
        .compose(stored -> {
          return Future.all(stored.stream().map(JsonObject.class::cast).map(tenant -> view(tenant.getString("tenant"))
              .map(view -> {
                context.verify(() -> {
                  JsonObject snapshot = tenant.getJsonObject("snapshot");
                  assertThat(snapshot).as("%s stored after the %s phase", tenant.getString("tenant"), phase).isNotNull();
                  assertThat(snapshot.getLong("seq")).as("%s's stored seq", tenant.getString("tenant"))
                      .isEqualTo(view.getLong("seq"));
                  // The view's history entries leave out the tenant, which the stored ones carry.
                  List<Object> history = snapshot.getJsonArray("history").stream()
                      .map(entry -> (Object) ((JsonObject) entry).copy().put("tenant", null)).toList();
                  List<Object> shown = view.getJsonArray("history").stream()
                      .map(entry -> (Object) ((JsonObject) entry).copy().put("tenant", null)).toList();
                  assertThat(history).as("%s's stored history", tenant.getString("tenant")).isEqualTo(shown);
                });
                return null;
              })).toList()).mapEmpty();
        });
  }

  /** Every tenant the store holds, once its pending writes are written. */
  private static Future<JsonArray> storedTenants(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_HEALTH, new JsonObject())
        .compose(health -> health.body().getInteger("pendingWrites") > 0 ? Future.succeededFuture(new JsonArray())
            : vertx.eventBus().<StoredPage>request(Addresses.STORE, new JsonObject().put("type", "restore"))
                .map(restored -> restored.body().toJson().getJsonArray("tenants")));
  }

  private static List<String> storedIds(JsonArray stored) {
    return stored.stream().map(t -> ((JsonObject) t).getString("tenant")).sorted().toList();
  }

  private Future<Snapshot> snapshot() {
    return admin(HttpMethod.GET, "/admin/tenants").compose(list -> {
      List<String> ids = new TreeSet<>(list.bodyAsJsonObject().getJsonArray("tenants").stream()
          .map(t -> ((JsonObject) t).getString("tenant")).toList()).stream().toList();
      return Future.all(ids.stream().map(this::view).toList())
          .map(views -> new Snapshot(views.<JsonObject>list().stream().map(HostileInputTest::lasting).toList(),
              worker.commands()));
    });
  }

  private Future<JsonObject> view(String ctx) {
    return admin(HttpMethod.GET, "/admin/tenants/" + ctx)
        .map(r -> r.statusCode() == 200 ? r.bodyAsJsonObject() : new JsonObject().put("status", r.statusCode()));
  }

  private Future<HttpResponse<Buffer>> admin(HttpMethod method, String path) {
    return env.admin(method, path, "Bearer " + ADMIN_TOKEN);
  }

  /** The fields that only a change of the tenant moves (not poll times or counters). */
  private static JsonObject lasting(JsonObject view) {
    JsonObject kept = new JsonObject();
    for (String field : VIEW_FIELDS) {
      kept.put(field, view.getValue(field));
    }
    return kept;
  }

  /** Sends a probe; answers null when its answer was one it deserves, else what went wrong. */
  private Future<String> send(int port, Probe generated) {
    Probe probe = generated.withSizeAllowances();
    HttpRequest<Buffer> request = client.request(probe.method(), port, "127.0.0.1", probe.uri());
    probe.headers().forEach(header -> request.headers().add(header[0], header[1]));
    Future<HttpResponse<Buffer>> sent = probe.body() == null ? request.send() : request.sendBuffer(probe.body());
    Function<HttpResponse<Buffer>, String> judge = response -> probe.allowed().contains(response.statusCode()) ? null
        : probe + " got " + response.statusCode() + " " + shortly(response.bodyAsString()) + ", expected "
            + new TreeSet<>(probe.allowed()).stream().limit(8).toList();
    return sent.map(judge).recover(failure -> Future.succeededFuture(probe + " got no answer: " + failure));
  }

  private static SplittableRandom random(int phase, int index) {
    return new SplittableRandom(SEED ^ (phase * 0x632BE59BD9B4E019L) ^ (index * 0x9E3779B97F4A7C15L));
  }

  private static String shortly(String text) {
    return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static String printable(Buffer bytes) {
    String text = bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    StringBuilder shown = new StringBuilder();
    for (char c : text.substring(0, Math.min(text.length(), 160)).toCharArray()) {
      shown.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02X", (int) c));
    }
    return "\"" + shown + (text.length() > 160 ? "...\" (" + text.length() + " bytes)" : "\"");
  }
}
