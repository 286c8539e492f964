package io.tenantwatch.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantwatch.TenantWatch;
import io.tenantwatch.support.ErrorLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak: the real engine with its embedded simulator, under seeded random faults (outages, hangs,
 * slow and garbage answers, state changes, endpoint moves, notification storms with replays, forced
 * re-polls, watch and unwatch), checked from outside all along and at the end (see {@link SoakInvariants},
 * {@link CommandStream} and, for a worker calling every tenant through {@link io.tenantwatch.worker.TenantClient},
 * {@link CallingWorker} for the rules). {@code scripts/test} runs it for {@code soak.seconds} (60 by
 * default); {@code scripts/soak SECONDS [SEED]} runs the same test longer. The seed is {@code soak.seed}
 * or drawn at random, and is printed at the start and with any failure. The faults follow from the seed;
 * the timing of a busy machine does not, so a rerun repeats the faults, not every interleaving.
 */
@ExtendWith(VertxExtension.class)
class SoakTest {
  private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
  private static final long SECONDS = Long.getLong("soak.seconds", 60);
  private static final long SEED = Long.getLong("soak.seed", ThreadLocalRandom.current().nextLong());
  /** Unwatched tenants are watched again by name (seq must go on rising); false watches fresh names only. */
  private static final boolean REWATCH = Boolean.parseBoolean(System.getProperty("soak.rewatch", "true"));
  /** Settling, the engine's start and its stop come on top of the faults' own time. */
  private static final Duration OVERHEAD = Duration.ofMinutes(3);

  @Test
  @DisplayName("Under a minute of random faults the engine keeps every promise workers and operators rely on")
  void soak(Vertx vertx) throws Exception {
    SoakPlan plan = new SoakPlan(SEED, Duration.ofSeconds(SECONDS), REWATCH);
    String rerun = "rerun with scripts/soak " + SECONDS + " " + SEED + (REWATCH ? "" : " -Dsoak.rewatch=false");
    LOG.info("soak: seed {}, {} s of faults ({})", SEED, SECONDS, rerun);
    SoakInvariants seen;
    SoakDriver driver;
    List<String> errors;
    try (ErrorLog errorLog = ErrorLog.capture()) {
      TenantWatch engine = await(TenantWatch.deploy(vertx, plan.config()), Duration.ofSeconds(60));
      try {
        await(engine.simulator().orElseThrow().setValidity(plan.validity()), Duration.ofSeconds(10));
        driver = new SoakDriver(engine, plan, Clock.systemUTC());
        await(vertx.deployVerticle(driver), Duration.ofSeconds(60));
        seen = await(driver.finished(), plan.duration().plus(OVERHEAD));
      } finally {
        await(engine.close(), Duration.ofSeconds(30));
      }
      errors = errorLog.events();
    }
    LOG.info("soak: seed {}, actions injected: {}", SEED, format(driver.actions()));
    LOG.info("soak: seed {}, observed: {}", SEED, format(seen.counts()));
    List<SoakViolation> broken = seen.violations();
    LOG.info("soak: seed {}, {}", SEED, broken.isEmpty() && errors.isEmpty() ? "every invariant held"
        : broken.size() + " invariant violations, " + errors.size() + " error log lines");
    assertThat(broken)
        .withFailMessage(() -> "soak seed " + SEED + " (" + rerun + "): " + broken.size() + " violations, first: "
            + broken.stream().limit(5).map(Throwable::getMessage).collect(Collectors.joining("\n  ", "\n  ", "")))
        .isEmpty();
    assertThat(errors)
        .withFailMessage(() -> "soak seed " + SEED + " (" + rerun + "): invariant 'no-error-log' broken: "
            + errors.stream().limit(5).collect(Collectors.joining("\n  ", "\n  ", "")))
        .isEmpty();
    assertThat(seen.counts()).as("the soak saw the engine at work").containsKeys("worker commands",
        "views checked against the state API", "listed gates met by the worker", "calls answered 200",
        "calls refused (closed)");
  }

  private static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String format(java.util.Map<String, Long> counts) {
    return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
