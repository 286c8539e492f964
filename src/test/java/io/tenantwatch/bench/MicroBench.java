package io.tenantwatch.bench;

import io.tenantwatch.domain.ChangeType;
import io.tenantwatch.domain.Notification;
import io.tenantwatch.domain.StatusParseException;
import io.tenantwatch.domain.TenantState;
import io.tenantwatch.domain.TenantStatus;
import io.tenantwatch.machine.PollSettings;
import io.tenantwatch.machine.TenantEvent;
import io.tenantwatch.machine.TenantMachine;
import io.tenantwatch.machine.TenantSnapshot;
import io.tenantwatch.webhook.TestTokens;
import io.tenantwatch.webhook.TokenVerifier;
import io.tenantwatch.webhook.TokenVerifierOptions;
import io.tenantwatch.webhook.VerifiedToken;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4, item 5: JMH for the pure machine's {@code apply}, state-API body parsing and notification token
 * verification, each parsing and verification beside the cost of the library work underneath it.
 *
 * <p>Token verification: {@link TokenVerifier#verify} returns a future, but with pinned keys (no JWKS) it
 * does all its work before returning, so the benchmark calls it, insists that the future is already
 * complete (it throws otherwise, rather than time a pending future), and returns the result. The
 * verifier judges claims against a clock fixed at minting, so the token never expires mid-run.
 *
 * <p>Each row gives the median of the measured iterations (see {@link #median}).
 *
 * <p>{@code args[0]} {@code quick} (1 fork, 5 x 1 s warm-up, 5 x 1 s measured per benchmark: about 75 s)
 * or {@code full} (2 forks, 5 x 2 s, 5 x 3 s: about 5 minutes), {@code args[1]} the rows file to append to.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroBench {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBench.class);
  private static final String TENANT = "Cust12345";
  private static final Instant NOW = Instant.parse("2026-02-23T09:00:00Z");

  private final TenantMachine machine = new TenantMachine(PollSettings.defaults(), () -> 0.5);
  private TenantSnapshot open;
  private TenantEvent.PollSucceeded pollSucceeded;
  private TenantEvent.NotificationReceived upgrade;
  private Buffer statusBody;

  private Vertx vertx;
  private TokenVerifier verifier;
  private String token;
  private PublicKey publicKey;
  private byte[] signingInput;
  private byte[] signature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TenantStatus running = TenantStatus.of(TENANT, TenantState.RUNNING, "https://sod2.superoffice.com/" + TENANT,
        "https://sod2.superoffice.com/" + TENANT + "/api", NOW.plus(Duration.ofMinutes(10)),
        "Release_11.10_2026.02.24-02");
    pollSucceeded = new TenantEvent.PollSucceeded(running);
    open = machine.apply(TenantSnapshot.initial(TENANT), pollSucceeded, NOW).snapshot();
    if (!open.open()) {
      throw new IllegalStateException("the benchmark's tenant should be open after a Running poll");
    }
    upgrade = new TenantEvent.NotificationReceived(
        new Notification(TENANT, ChangeType.UPGRADE, "Release_11.10_2026.02.24-02", "", null));
    statusBody = running.toJson().toBuffer();

    Clock minted = Clock.fixed(NOW, ZoneOffset.UTC);
    TestTokens tokens = TestTokens.generate(minted);
    token = tokens.token(TENANT).claim("aud", SignedNotifications.AUDIENCE).claim("jti", "micro-1").sign();
    vertx = Vertx.vertx();
    verifier = TokenVerifier.create(vertx, new TokenVerifierOptions(List.of(), List.of(tokens.certificatePem()),
            null, List.of(TestTokens.ISSUER), SignedNotifications.AUDIENCE, true, 60, minted))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    publicKey = tokens.keyPair().getPublic();
    int lastDot = token.lastIndexOf('.');
    signingInput = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
    signature = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
    if (!rawSignatureCheck()) {
      throw new IllegalStateException("the raw signature check refuses the benchmark's token");
    }
    verify();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    verifier.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A poll that confirms what an open tenant already is: no command, the next poll planned. */
  @Benchmark
  public TenantMachine.Step machinePollSuccess() {
    return machine.apply(open, pollSucceeded, NOW);
  }

  /** An Upgrade notification on an open tenant: a pause, a hold, a confirming poll, a history entry. */
  @Benchmark
  public TenantMachine.Step machineUpgrade() {
    return machine.apply(open, upgrade, NOW);
  }

  @Benchmark
  public TenantStatus parseStatus() throws StatusParseException {
    return TenantStatus.parse(statusBody);
  }

  /** The baseline for {@link #parseStatus()}: only the JSON decoding of the same body. */
  @Benchmark
  public JsonObject parseJsonOnly() {
    return statusBody.toJsonObject();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public VerifiedToken verify() {
    Future<VerifiedToken> verified = verifier.verify(token, TENANT);
    if (!verified.isComplete()) {
      throw new IllegalStateException("verify went asynchronous; this benchmark times the synchronous path only");
    }
    if (verified.failed()) {
      throw new IllegalStateException("the benchmark's token was refused", verified.cause());
    }
    return verified.result();
  }

  /** The baseline for {@link #verify()}: the RS256 signature check alone (JDK, one fresh init per token). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean rawSignatureCheck() throws GeneralSecurityException {
    Signature check = Signature.getInstance("SHA256withRSA");
    check.initVerify(publicKey);
    check.update(signingInput);
    return check.verify(signature);
  }

  public static void main(String[] args) throws RunnerException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: MicroBench quick|full ROWS_FILE");
    }
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("^" + Pattern.quote(MicroBench.class.getName()) + "\\.")
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT);
    switch (args[0]) {
      case "quick" -> options.forks(1).warmupIterations(5).warmupTime(TimeValue.seconds(1))
          .measurementIterations(5).measurementTime(TimeValue.seconds(1));
      case "full" -> options.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(2))
          .measurementIterations(5).measurementTime(TimeValue.seconds(3));
      default -> throw new IllegalArgumentException("the mode is quick or full, not " + args[0]);
    }
    Map<String, Result<?>> scores = new HashMap<>();
    Collection<RunResult> results = new Runner(options.build()).run();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      Result<?> score = result.getPrimaryResult();
      scores.put(name.substring(name.lastIndexOf('.') + 1), score);
      LOG.info("{}: median {}, mean {} ± {} {}", name, median(score), score.getScore(), score.getScoreError(),
          score.getScoreUnit());
    }
    BenchReport rows = BenchReport.fromArgs(args);
    rows.row("micro: TenantMachine.apply, poll success on an open tenant", cost(scores.get("machinePollSuccess")), "-", null);
    rows.row("micro: TenantMachine.apply, Upgrade notification on an open tenant", cost(scores.get("machineUpgrade")), "-", null);
    rows.row("micro: TenantStatus.parse of a state-API body", cost(scores.get("parseStatus")),
        cost(scores.get("parseJsonOnly")) + " (Buffer.toJsonObject of the same body)",
        BenchReport.ratio(median(scores.get("parseStatus")), median(scores.get("parseJsonOnly"))), "-", null);
    rows.row("micro: TokenVerifier.verify of a valid RS256 token (synchronous path)", cost(scores.get("verify")),
        cost(scores.get("rawSignatureCheck")) + " (raw SHA256withRSA verify)",
        BenchReport.ratio(median(scores.get("verify")), median(scores.get("rawSignatureCheck"))), "-", null);
  }

  /**
   * The median of the measured iterations: on a shared machine an iteration that lost the CPU to another
   * process pulls the mean far off, the median stays put.
   */
  private static double median(Result<?> result) {
    return result.getStatistics().getPercentile(50);
  }

  /** {@code 412 ns/op}: the median iteration, with JMH's unit turned into a plain one. */
  private static String cost(Result<?> result) {
    String unit = result.getScoreUnit().replace("us/op", "µs/op");
    return BenchReport.decimal(median(result), unit);
  }
}
