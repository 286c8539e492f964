package io.tenantwatch.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing history by delta debugging (Zeller's ddmin): cut the moves after the failing one, then
 * keep a chunk alone or drop it, chunks ever smaller, as long as the history still breaks the same rule,
 * down to single moves, until no single move can go and none does it alone. Moves are relative to
 * their moment, so what is left still means something.
 */
final class HistoryShrinker {
  private final HistoryRunner runner;

  HistoryShrinker(HistoryRunner runner) {
    this.runner = runner;
  }

  /** A shortest-found history that still breaks {@code failing}'s rule, run again with its trace. */
  HistoryRunner.Outcome shrink(HistoryRunner.Outcome failing) {
    String rule = failing.violation().rule();
    List<HistoryMove> moves = new ArrayList<>(failing.history().moves().subList(0, failing.failedAt() + 1));
    int chunks = 2;
    while (!moves.isEmpty()) {
      int size = moves.size();
      int chunk = Math.max(1, (size + chunks - 1) / chunks);
      boolean smaller = false;
      // First a chunk on its own (ddmin's subsets), then all but a chunk (its complements): without the
      // subsets a history can get stuck at a length where every single move matters to the others.
      for (boolean alone : new boolean[] {true, false}) {
        for (int from = 0; from < size && !smaller; from += chunk) {
          int to = Math.min(size, from + chunk);
          List<HistoryMove> fewer = new ArrayList<>();
          if (alone) {
            fewer.addAll(moves.subList(from, to));
          } else {
            fewer.addAll(moves.subList(0, from));
            fewer.addAll(moves.subList(to, size));
          }
          if (fewer.size() == size) {
            continue;
          }
          HistoryRunner.Outcome outcome = runner.run(failing.history().withMoves(fewer));
          if (outcome.failed() && outcome.violation().rule().equals(rule)) {
            smaller = true;
            moves = new ArrayList<>(fewer.subList(0, outcome.failedAt() + 1));
            chunks = alone ? 2 : Math.max(2, chunks - 1);
          }
        }
      }
      if (smaller) {
        continue;
      }
      if (chunk == 1) {
        break;
      }
      chunks = Math.min(size, chunks * 2);
    }
    // The moves kept end at the failing one: what came after it in the last run is not part of the failure.
    return runner.traced(failing.history().withMoves(moves));
  }
}
