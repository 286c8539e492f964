package io.tenantwatch.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing history by delta debugging (Zeller's ddmin): cut the moves after the failing one, then
 * drop ever smaller chunks of moves as long as the history still breaks the same rule, down to single
 * moves, until no single move can go. Moves are relative to their moment, so what is left still means
 * something.
 */
final class HistoryShrinker {
  private final HistoryRunner runner;

  HistoryShrinker(HistoryRunner runner) {
    this.runner = runner;
  }

  /** A shortest-found history that still breaks {@code failing}'s rule, run again with its trace. */
  HistoryRunner.Outcome shrink(HistoryRunner.Outcome failing) {
    String rule = failing.violation().rule();
    HistoryRunner.Outcome best = failing;
    List<HistoryMove> moves = new ArrayList<>(failing.history().moves().subList(0, failing.failedAt() + 1));
    int chunks = 2;
    while (!moves.isEmpty()) {
      int size = moves.size();
      int chunk = Math.max(1, (size + chunks - 1) / chunks);
      boolean dropped = false;
      for (int from = 0; from < size && !dropped; from += chunk) {
        List<HistoryMove> fewer = new ArrayList<>(moves.subList(0, from));
        fewer.addAll(moves.subList(Math.min(size, from + chunk), size));
        HistoryRunner.Outcome outcome = runner.run(failing.history().withMoves(fewer));
        if (outcome.failed() && outcome.violation().rule().equals(rule)) {
          best = outcome;
          moves = new ArrayList<>(fewer.subList(0, outcome.failedAt() + 1));
          chunks = Math.max(2, chunks - 1);
          dropped = true;
        }
      }
      if (!dropped) {
        if (chunk == 1) {
          break;
        }
        chunks = Math.min(size, chunks * 2);
      }
    }
    return runner.traced(best == failing ? failing.history().withMoves(moves) : best.history());
  }
}
