package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tenantwatch.bus.Addresses;
import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.simulator.Simulator;
import io.tenantwatch.simulator.SimulatorOptions;
import io.tenantwatch.support.Eventually;
import io.tenantwatch.support.TestEngine;
import io.tenantwatch.tenant.TenantMessages;
import io.tenantwatch.tenant.TenantVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * R9 under a herd: 20,000 tenants whose answers all carry the same {@code ValidUntil}, so every one of
 * them falls due at the same instant. The state API must never see more than {@code maxPollsPerSecond}
 * (with a small tolerance) in any second, neither in the start-up wave nor in the herd, and a forced
 * poll and a notification's poll for tenants at the back of the herd must still go first. Everything is
 * counted at the simulator: requests per second, and how much of the herd had been served when the
 * urgent polls were; nothing is timed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 150, timeUnit = TimeUnit.SECONDS)
class HerdTest {
  private static final Logger LOG = LoggerFactory.getLogger(HerdTest.class);
  private static final int TENANTS = 20_000;
  private static final long FIRST_TENANT = 50_001;
  private static final int MAX_POLLS_PER_SECOND = 1_000;
  /** The limiter's own burst is a twentieth of the rate; the tolerance covers it and a few polls' jitter. */
  private static final double TOLERANCE = 1.10;
  /**
   * About enough for the tenants to deploy and the start-up wave to pass before the herd falls due. On a
   * slower machine the two overlap: tenants polled after the herd's ValidUntil are due again a
   * {@code minPollIntervalMs} later and join it, and the limits hold all the same.
   */
  private static final Duration HERD_AFTER = Duration.ofSeconds(8)
      .plusMillis(1_250L * TENANTS / MAX_POLLS_PER_SECOND);

  private final ch.qos.logback.classic.Logger tenantLog =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(TenantVerticle.class);
  private Level tenantLevel;
  private TenantWatch engine;

  @BeforeEach
  void quietTenants() {
    // 20,000 "Unknown -> Running" lines would drown the report; the steps are checked by count instead.
    tenantLevel = tenantLog.getLevel();
    tenantLog.setLevel(Level.WARN);
  }

  @AfterEach
  void stop(VertxTestContext context) {
    tenantLog.setLevel(tenantLevel);
    (engine == null ? Future.succeededFuture() : engine.close()).onComplete(context.succeedingThenComplete());
  }

  private static String tenant(int index) {
    return "Cust" + (FIRST_TENANT + index);
  }

  private static JsonObject config(String baseUrl) {
    JsonArray tenants = new JsonArray();
    for (int i = 0; i < TENANTS; i++) {
      tenants.add(tenant(i));
    }
    return TestEngine.config(baseUrl).put("tenants", tenants)
        .put("stateApi", TestEngine.config(baseUrl).getJsonObject("stateApi")
            .put("maxPollsPerSecond", MAX_POLLS_PER_SECOND)
            .put("maxConcurrentPolls", 32)
            .put("requestTimeoutMs", 5_000)
            .put("minPollIntervalMs", 1_000)
            .put("transitionalPollIntervalMs", 30_000)
            .put("maxPollIntervalMs", 3_600_000));
  }

  /** Completes once the simulator has served at least this many requests in all. */
  private static Future<Long> requestsReach(Vertx vertx, Simulator simulator, long count) {
    return Eventually.until(vertx, () -> Future.succeededFuture(simulator.requestCount()), n -> n >= count);
  }

  /** Completes once every tenant has been polled at least once; asked only when that is about to be true. */
  private static Future<Long> everyTenantPolled(Vertx vertx, Simulator simulator) {
    return Eventually.until(vertx,
        () -> Future.succeededFuture(IntStream.range(0, TENANTS)
            .filter(i -> simulator.requestCount(tenant(i)) == 0).count()),
        unpolled -> unpolled == 0);
  }

  @Test
  @DisplayName("R9: 20,000 tenants due at once are polled at maxPollsPerSecond, and forced and notification polls still go first")
  void herdIsSpreadAndUrgentPollsGoFirst(Vertx vertx, VertxTestContext context) {
    Simulator simulator = new Simulator(SimulatorOptions.defaults().withPort(0).withTenants(TENANTS)
        .withFirstTenant(FIRST_TENANT).withScripted(false), Clock.systemUTC());
    Instant herdAt = Instant.now().plus(HERD_AFTER);
    WebClient client = WebClient.create(vertx);
    Urgent urgent = new Urgent();
    vertx.deployVerticle(simulator)
        .compose(id -> simulator.setValidUntil(herdAt))
        .compose(v -> TenantWatch.deploy(vertx, config(simulator.stateApiBaseUrl())))
        .compose(started -> {
          engine = started;
          return requestsReach(vertx, simulator, TENANTS);
        })
        .compose(most -> everyTenantPolled(vertx, simulator))
        // The herd's answers carry ValidUntils an hour ahead, so it is polled once, not again and again.
        .compose(startWave -> {
          urgent.startWave = simulator.requestCount();
          LOG.info("start-up wave done ({} requests); herd due at {}", urgent.startWave, herdAt);
          return simulator.setValidity(Duration.ofHours(1));
        })
        .compose(v -> requestsReach(vertx, simulator, urgent.startWave + 100))
        .compose(herdStarted -> {
          urgent.pick(simulator);
          context.verify(() -> assertThat(urgent.notified).as("two tenants still waiting in the herd").isNotNull());
          vertx.eventBus().send(Addresses.tenant(urgent.notified), TenantMessages.notification(
              new Notification(urgent.notified, ChangeType.RESUME, "Release_11", "11.1", null)));
          Future<Long> notificationPolled = Eventually.until(vertx,
                  () -> Future.succeededFuture(simulator.requestCount(urgent.notified)), n -> n >= 2)
              .map(n -> urgent.servedAtNotified = urgent.herdServed(simulator));
          Future<Long> forcedPolled = client.post(engine.adminPort(), "127.0.0.1",
                  "/admin/tenants/" + urgent.forced + "/poll").send()
              .map(answer -> {
                context.verify(() -> assertThat(answer.statusCode()).isEqualTo(200));
                return urgent.servedAtForced = urgent.herdServed(simulator);
              });
          return Future.all(forcedPolled, notificationPolled);
        })
        .compose(both -> requestsReach(vertx, simulator, urgent.startWave + TENANTS))
        .onComplete(context.succeeding(done -> context.verify(() -> {
          Map<Long, Long> perSecond = simulator.requestsPerSecond();
          LOG.info("requests per second: {}; herd polls served when the urgent polls were asked {}, "
              + "when the forced one was answered {}, when the notified one was polled {}", perSecond.values(),
              urgent.servedAtAsking, urgent.servedAtForced, urgent.servedAtNotified);
          assertThat(perSecond.values()).allSatisfy(count ->
              assertThat(count).isLessThanOrEqualTo((long) (MAX_POLLS_PER_SECOND * TOLERANCE)));
          // "Before most of the herd": well within its first quarter, with tens of thousands still waiting.
          assertThat(urgent.servedAtForced).isLessThan(urgent.servedAtAsking + TENANTS / 4);
          assertThat(urgent.servedAtNotified).isLessThan(urgent.servedAtAsking + TENANTS / 4);
          // A forced poll joins the tenant's place in the herd: one poll, not two.
          assertThat(simulator.requestCount(urgent.forced)).isEqualTo(2);
          // A notification for a tenant whose poll is under way earns one follow-up poll (R5), no more.
          assertThat(simulator.requestCount(urgent.notified)).isBetween(2L, 3L);
          context.completeNow();
        })));
  }

  /** The two tenants given urgent polls during the herd, and how much of the herd had been served. */
  private static final class Urgent {
    private long startWave;
    private String forced;
    private String notified;
    private long servedAtAsking;
    private long servedAtForced;
    private long servedAtNotified;

    /** Picks two tenants the herd has not reached yet, from the back of the list. */
    void pick(Simulator simulator) {
      List<String> waiting = IntStream.range(0, TENANTS).mapToObj(i -> tenant(TENANTS - 1 - i))
          .filter(ctx -> simulator.requestCount(ctx) == 1).limit(2).toList();
      if (waiting.size() == 2) {
        forced = waiting.get(0);
        notified = waiting.get(1);
      }
      servedAtAsking = herdServed(simulator);
    }

    long herdServed(Simulator simulator) {
      return simulator.requestCount() - startWave;
    }
  }
}
