package io.tenantwatch.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An embedded PostgreSQL frozen with SIGSTOP, as a server that hangs (or a network that drops every
 * packet) looks to its clients: connections open and statements are sent, but nothing ever answers.
 * Every process of the server is stopped, its postmaster first so that it forks no new ones;
 * {@link #thaw()} lets them all go on.
 */
final class FrozenPostgres implements AutoCloseable {
  private final ProcessHandle postmaster;
  private final List<ProcessHandle> frozen = new ArrayList<>();

  private FrozenPostgres(ProcessHandle postmaster) {
    this.postmaster = postmaster;
  }

  /** Freezes the server running on {@code dataDir}. */
  static FrozenPostgres freeze(Path dataDir) throws IOException, InterruptedException {
    ProcessHandle postmaster = EmbeddedPostgresServer.postmaster(dataDir)
        .orElseThrow(() -> new IllegalStateException("no PostgreSQL runs on " + dataDir));
    FrozenPostgres server = new FrozenPostgres(postmaster);
    server.signal("STOP", postmaster);
    for (ProcessHandle child : postmaster.descendants().toList()) {
      server.signal("STOP", child);
    }
    return server;
  }

  private void signal(String signal, ProcessHandle process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
    if (signal.equals("STOP")) {
      frozen.add(process);
    }
  }

  /** Lets every frozen process go on (those that ended meanwhile are skipped). */
  void thaw() throws IOException, InterruptedException {
    for (ProcessHandle process : frozen) {
      if (process.isAlive()) {
        signal("CONT", process);
      }
    }
    frozen.clear();
  }

  /**
   * Thaws the server and waits for it to end (its store was closed, or told it to stop while it was frozen);
   * one still running past 30 s is killed, so no test leaves a server behind.
   */
  @Override
  public void close() throws Exception {
    thaw();
    try {
      postmaster.onExit().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      postmaster.destroyForcibly();
      postmaster.onExit().get(30, TimeUnit.SECONDS);
    }
  }
}
