package io.tenantwatch.node;

import io.tenantwatch.Main;
import io.tenantwatch.RecordingNodeMain;
import io.tenantwatch.support.ChildMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine node as an operator runs it: the real {@code io.tenantwatch.Main} with its own config file,
 * in a JVM of its own, which a test can kill (SIGKILL), freeze and thaw (SIGSTOP, SIGCONT), stop
 * (SIGTERM, a graceful leave) and start again on the same file. Its output is read as it comes: each line
 * goes to this JVM's log prefixed with the node's name (so a failed run's report shows every node), and
 * the current run's lines are kept for the test to look for and to quote in failure messages. A node with a
 * {@link Recording} runs {@link RecordingNodeMain} instead: the same main with a recording worker beside the
 * engine.
 */
final class NodeProcess {
  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);
  /** The line {@code Main} logs once the engine is deployed. */
  static final String RUNNING = "tenantwatch is running";
  /**
   * A small heap, the serial collector and C1 only: four JVMs (three nodes and the test) share two cores,
   * and C2's compiler threads at start would take the CPU the nodes' heartbeats and lease renewals need.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final int TAIL_LINES = 60;
  /** A line of Membership's naming the members this node sees; the first group lists them. */
  private static final Pattern MEMBERS = Pattern.compile("cluster member(?:s now | .*; members )\\[([^\\]]*)\\]");

  private final String name;
  private final String nodeId;
  private final Path configFile;
  private final int httpPort;
  private final int adminPort;
  private final Optional<Recording> recording;
  private volatile Run run;

  /**
   * Where a node's recording worker writes what it receives and applies (every run of the node appends to the
   * one file), and the loopback port it serves its gate's view on.
   */
  record Recording(Path file, int gatePort) {
  }

  /** One start of the node's JVM, with its output. */
  private static final class Run {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    /** When each line arrived here, by {@link System#nanoTime()}. */
    private final List<Long> arrivals = new ArrayList<>();
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    /** Done once the output has ended (the JVM has exited) and every line of it is kept. */
    private final CompletableFuture<Void> read = new CompletableFuture<>();

    private Run(Process process) {
      this.process = process;
    }

    private synchronized void add(String line) {
      lines.add(line);
      arrivals.add(System.nanoTime());
    }

    private synchronized Optional<Long> firstArrival(String fragment, long sinceNanos) {
      for (int i = 0; i < lines.size(); i++) {
        if (arrivals.get(i) - sinceNanos >= 0 && lines.get(i).contains(fragment)) {
          return Optional.of(arrivals.get(i));
        }
      }
      return Optional.empty();
    }

    private synchronized List<String> lines() {
      return List.copyOf(lines);
    }
  }

  NodeProcess(String name, String nodeId, Path configFile, int httpPort, int adminPort,
      Optional<Recording> recording) {
    this.name = name;
    this.nodeId = nodeId;
    this.configFile = configFile;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
    this.recording = recording;
  }

  String name() {
    return name;
  }

  /** The node's {@code cluster.nodeId}, as the lease table names it. */
  String nodeId() {
    return nodeId;
  }

  int adminPort() {
    return adminPort;
  }

  /** The public listener's port: {@code /ready} and the webhook. */
  int httpPort() {
    return httpPort;
  }

  /** The node's recording worker, when it runs one. */
  Optional<Recording> recording() {
    return recording;
  }

  /** Starts the JVM; {@link #awaitRunning} waits for the engine. A node whose JVM runs cannot start again. */
  void start() throws IOException {
    Run current = run;
    if (current != null && current.process.isAlive()) {
      throw new IllegalStateException(name + " is running already");
    }
    List<String> options = new ArrayList<>(ChildMain.hazelcastFlags());
    options.addAll(JVM_OPTIONS);
    recording.ifPresent(r -> options.addAll(List.of("-D" + RecordingNodeMain.RECORD_FILE + "=" + r.file(),
        "-D" + RecordingNodeMain.GATE_PORT + "=" + r.gatePort())));
    Class<?> main = recording.isPresent() ? RecordingNodeMain.class : Main.class;
    Run next = new Run(ChildMain.startMain(main, options, configFile.toString()));
    run = next;
    Thread reader = new Thread(() -> read(next), name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Run current) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(current.process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        current.add(line);
        LOG.info("{} | {}", name, line);
        if (line.contains(RUNNING)) {
          current.running.complete(null);
        }
      }
    } catch (IOException e) {
      // The stream of a killed process may end this way; what was read is kept.
      current.running.completeExceptionally(new UncheckedIOException(e));
    }
    current.running.completeExceptionally(new IllegalStateException(name + " exited before it was running"));
    current.read.complete(null);
  }

  /** Waits until the engine logs that it is running; fails with the output's tail when it exits or does not. */
  void awaitRunning(Duration limit) throws Exception {
    try {
      run.running.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new AssertionError(name + " is not running after " + limit.toSeconds() + " s (" + e + "); its output:\n"
          + tail(), e);
    }
  }

  boolean isAlive() {
    return run != null && run.process.isAlive();
  }

  long pid() {
    return run.process.pid();
  }

  /*
   * The signals go through the ProcessHandle: Process.destroy() and destroyForcibly() also close this side
   * of the output pipe, so whatever the node logs while it stops would be lost.
   */

  /** SIGKILL: no leave, no release, no last write; returns once the JVM is gone. */
  void kill(Duration limit) throws Exception {
    run.process.toHandle().destroyForcibly();
    awaitExit(limit);
  }

  /** SIGTERM: {@code Main}'s hook stops the engine (a graceful leave); returns the exit code. */
  int terminate(Duration limit) throws Exception {
    run.process.toHandle().destroy();
    return awaitExit(limit);
  }

  /** SIGSTOP: the JVM freezes where it is, its sockets open, its timers overdue when it wakes. */
  void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze}. */
  void thaw() throws Exception {
    signal("CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Waits for the JVM's exit and for the last of its output, so that {@link #lines()} has all of it. */
  private int awaitExit(Duration limit) throws Exception {
    if (!run.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + limit.toSeconds() + " s; its output:\n" + tail());
    }
    run.read.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    return run.process.exitValue();
  }

  /** Kills the JVM if it runs (frozen or not: SIGKILL ends a stopped process too). For clean-up. */
  void destroy() throws InterruptedException {
    Run current = run;
    if (current != null && current.process.isAlive()) {
      current.process.destroyForcibly();
      current.process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The current run's output so far. */
  List<String> lines() {
    return run == null ? List.of() : run.lines();
  }

  /** The current run's lines containing {@code fragment}. */
  List<String> linesWith(String fragment) {
    return lines().stream().filter(line -> line.contains(fragment)).toList();
  }

  /**
   * When the current run's first line containing {@code fragment} arrived here, of those that arrived at
   * or after {@code sinceNanos} ({@link System#nanoTime()}).
   */
  Optional<Long> firstLineWith(String fragment, long sinceNanos) {
    return run == null ? Optional.empty() : run.firstArrival(fragment, sinceNanos);
  }

  /**
   * The members the current run's Membership logged last (its Hazelcast view): at its start ({@code cluster member
   * a (32 shards); members [a, b]}) or at a change ({@code cluster members now [a, b] (were [a, b, c])}); empty
   * before it logged any.
   */
  Optional<String> lastMembers() {
    String last = null;
    for (String line : lines()) {
      Matcher members = MEMBERS.matcher(line);
      if (members.find()) {
        last = members.group(1);
      }
    }
    return Optional.ofNullable(last);
  }

  /** The current run's last lines, for failure messages. */
  String tail() {
    List<String> lines = lines();
    return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).stream()
        .map(line -> "  " + name + " | " + line).collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return name + " (" + nodeId + ")";
  }
}
