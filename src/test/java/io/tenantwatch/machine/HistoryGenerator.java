package io.tenantwatch.machine;

import io.tenantwatch.domain.Symptom;
import io.tenantwatch.domain.TenantState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes random histories from a seed, the same ones for the same seed. Each history draws its own
 * settings (defaults or odd but valid ones: no jitter, no hold, a history of one) and its own mix of
 * moves, so some are storms of notifications, some long outages, some timers gone wild. Poll answers
 * come in every state, by name, by code, in odd case and with names nobody knows, with and without
 * {@code IsRunning}; failures of every kind with and without {@code Retry-After}; every ChangeType and
 * unknown ones; workers' symptom reports of every kind, about the current api, an old one or none, alone or in
 * storms; clock jumps from nothing to months; timers on time, late, early and twice.
 */
final class HistoryGenerator {
  static final int MAX_MOVES = 120;

  private static final String[] HOSTS = {"sod2.superoffice.com", "sod3.superoffice.com", "online.superoffice.com"};
  private static final String[] PUBLIC_ENDPOINTS = {"sod3.superoffice.com", "SOD2.SuperOffice.com",
      "https://online.superoffice.com/", "sod3.superoffice.com:443", "", "nowhere.example"};
  private static final String[] UNKNOWN_NAMES = {"Frozen", "", " ", "Unknown", "0", "7", "9", "99999999999",
      "Running2", "Ärgerlich", "offlinemaintenance "};
  private static final int[] UNKNOWN_CHANGE_TYPES = {6, 7, 42, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
  private static final int[] HTTP_STATUSES = {400, 404, 421, 429, 500, 502, 503};
  private static final long[] RETRY_AFTERS = {0, 1_000, 30_000, 600_000, 3 * 86_400_000L};

  private enum Kind { ADVANCE, POLL_OK, POLL_ERROR, NOTIFY, REPORT, FORCE, POLL_TIMER, HOLD_TIMER, START, UNWATCH }

  private HistoryGenerator() {
  }

  /** The history for one sequence's seed. */
  static HistoryRunner.History generate(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PollSettings settings = settings(rnd);
    long epoch = epoch(rnd);
    int[] weights = weights(rnd);
    int length = 1 + rnd.nextInt(MAX_MOVES);
    List<HistoryMove> moves = new ArrayList<>(length + 8);
    while (moves.size() < length) {
      HistoryMove move = move(rnd, pick(rnd, weights));
      moves.add(move);
      boolean timer = move instanceof HistoryMove.FirePollTimer || move instanceof HistoryMove.FireHoldTimer;
      if (timer && rnd.nextInt(5) == 0) {
        moves.add(move); // the same timer fires twice
      }
      if (move instanceof HistoryMove.Report && rnd.nextInt(4) == 0) {
        for (int storm = rnd.nextInt(20); storm > 0; storm--) {
          moves.add(rnd.nextBoolean() ? move : new HistoryMove.Advance(1 + rnd.nextInt(999))); // failing calls
        }
      }
    }
    return new HistoryRunner.History(settings, epoch, List.copyOf(moves));
  }

  /** A single node's 0 for a third of the histories; else a cluster owner's lease epoch, small or huge. */
  private static long epoch(SplittableRandom rnd) {
    return rnd.nextInt(3) == 0 ? 0 : pick(rnd, 1, 2, 17, 1L << 40, Long.MAX_VALUE);
  }

  /** How a poll answer names its state, for coverage labels. */
  static String stateLabel(HistoryMove.PollOk ok) {
    if (ok.state() instanceof Integer code) {
      return TenantState.byCode(code).map(s -> "code").orElse("unknown-code");
    }
    String name = (String) ok.state();
    return TenantState.byName(name.trim()).map(s -> s.displayName().equals(name) ? s.displayName() : "odd-case")
        .orElse("unknown-name");
  }

  private static PollSettings settings(SplittableRandom rnd) {
    if (rnd.nextInt(4) == 0) {
      return PollSettings.defaults();
    }
    long min = pick(rnd, 0, 50, 1_000, 5_000);
    long transitional = min + pick(rnd, 0, 150, 25_000);
    long max = transitional + pick(rnd, 0, 60_000, 3_600_000);
    long retryMin = pick(rnd, 0, 50, 1_000);
    long retryMax = retryMin + pick(rnd, 0, 150, 299_000);
    double jitter = new double[] {0, 0.1, 0.5, 1}[rnd.nextInt(4)];
    long hold = pick(rnd, 0, 400, 120_000);
    int historyLimit = (int) pick(rnd, 0, 1, 3, PollSettings.DEFAULT_HISTORY_LIMIT);
    return new PollSettings(Duration.ofMillis(min), Duration.ofMillis(max), Duration.ofMillis(transitional), jitter,
        Duration.ofMillis(retryMin), Duration.ofMillis(retryMax), Duration.ofMillis(hold), historyLimit);
  }

  /** This history's mix: every kind possible, in proportions of its own; unwatch and restart stay rare. */
  private static int[] weights(SplittableRandom rnd) {
    int[] weights = new int[Kind.values().length];
    for (Kind kind : Kind.values()) {
      weights[kind.ordinal()] = switch (kind) {
        case START -> rnd.nextInt(2);
        case UNWATCH -> rnd.nextInt(3) == 0 ? 1 : 0;
        default -> 1 + rnd.nextInt(12);
      };
    }
    return weights;
  }

  private static Kind pick(SplittableRandom rnd, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int roll = rnd.nextInt(total);
    for (Kind kind : Kind.values()) {
      roll -= weights[kind.ordinal()];
      if (roll < 0) {
        return kind;
      }
    }
    throw new IllegalStateException("weights do not add up");
  }

  private static HistoryMove move(SplittableRandom rnd, Kind kind) {
    return switch (kind) {
      case ADVANCE -> new HistoryMove.Advance(jump(rnd));
      case POLL_OK -> pollOk(rnd);
      case POLL_ERROR -> pollError(rnd);
      case NOTIFY -> notify(rnd);
      case REPORT -> new HistoryMove.Report(Symptom.values()[rnd.nextInt(Symptom.values().length)],
          HistoryMove.Report.ReportedApi.values()[rnd.nextInt(HistoryMove.Report.ReportedApi.values().length)]);
      case FORCE -> new HistoryMove.Force(rnd.nextBoolean());
      case POLL_TIMER -> new HistoryMove.FirePollTimer(rnd.nextInt(3) == 0 ? jump(rnd) : 0);
      case HOLD_TIMER -> new HistoryMove.FireHoldTimer(switch (rnd.nextInt(4)) {
        case 0 -> -jump(rnd);
        case 1 -> jump(rnd);
        default -> 0;
      });
      case START -> new HistoryMove.Start();
      case UNWATCH -> new HistoryMove.Unwatch();
    };
  }

  /** A clock jump: nothing, milliseconds, seconds, minutes, hours, or days to months. */
  private static long jump(SplittableRandom rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> 0;
      case 1 -> 1 + rnd.nextInt(999);
      case 2 -> 1_000 + rnd.nextInt(59_000);
      case 3 -> 60_000 + rnd.nextInt(3_540_000);
      case 4 -> 3_600_000 + rnd.nextLong(82_800_000);
      default -> 86_400_000 + rnd.nextLong(120L * 86_400_000);
    };
  }

  private static HistoryMove.PollOk pollOk(SplittableRandom rnd) {
    TenantState[] states = TenantState.values();
    TenantState state = states[rnd.nextInt(states.length)];
    if (state == TenantState.DELETED && rnd.nextInt(4) != 0) {
      state = TenantState.RUNNING; // Deleted ends a history's interesting part, so it stays rarer
    }
    Object value = switch (rnd.nextInt(10)) {
      case 0 -> state.code();
      case 1 -> state.displayName().toLowerCase(java.util.Locale.ROOT);
      case 2 -> UNKNOWN_NAMES[rnd.nextInt(UNKNOWN_NAMES.length)];
      case 3 -> rnd.nextBoolean() ? 7 : 9;
      default -> state.displayName();
    };
    Boolean isRunning = switch (rnd.nextInt(3)) {
      case 0 -> Boolean.TRUE;
      case 1 -> Boolean.FALSE;
      default -> null;
    };
    String endpointHost = rnd.nextInt(20) == 0 ? null : HOSTS[rnd.nextInt(HOSTS.length)];
    String apiHost = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? null : HOSTS[rnd.nextInt(HOSTS.length)])
        : endpointHost;
    long validIn = switch (rnd.nextInt(5)) {
      case 0 -> -jump(rnd);
      case 1 -> 0;
      default -> jump(rnd);
    };
    return new HistoryMove.PollOk(value, isRunning, endpointHost, apiHost, validIn, draw(rnd));
  }

  private static HistoryMove.PollError pollError(SplittableRandom rnd) {
    FailureKind kind = FailureKind.values()[rnd.nextInt(FailureKind.values().length)];
    int status = kind == FailureKind.HTTP_STATUS ? HTTP_STATUSES[rnd.nextInt(HTTP_STATUSES.length)] : 0;
    Long retryAfter = rnd.nextBoolean() ? null : RETRY_AFTERS[rnd.nextInt(RETRY_AFTERS.length)];
    return new HistoryMove.PollError(kind, status, retryAfter, draw(rnd));
  }

  private static HistoryMove.Notify notify(SplittableRandom rnd) {
    int code = rnd.nextInt(8) == 0 ? UNKNOWN_CHANGE_TYPES[rnd.nextInt(UNKNOWN_CHANGE_TYPES.length)] : rnd.nextInt(6);
    boolean withEndpoint = code == 5 ? rnd.nextInt(4) != 0 : rnd.nextInt(10) == 0;
    return new HistoryMove.Notify(code, withEndpoint ? PUBLIC_ENDPOINTS[rnd.nextInt(PUBLIC_ENDPOINTS.length)] : null);
  }

  /** The machine's random draw: the edges of [0, 1) as often as the inside. */
  private static double draw(SplittableRandom rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> 0.0;
      case 1 -> Math.nextDown(1.0);
      default -> rnd.nextDouble();
    };
  }

  private static long pick(SplittableRandom rnd, long... values) {
    return values[rnd.nextInt(values.length)];
  }
}
