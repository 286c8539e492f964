package io.tenantwatch;

import java.nio.file.Path;

/**
 * A cluster node for the tests: the runnable main ({@link Main#run}), the same start and the same SIGTERM hook,
 * and beside the engine a worker as a platform registers one, a {@link RecordingGate}. It writes one JSON line
 * per command its gate applies and per command that reaches the gate's address, to the file
 * {@value #RECORD_FILE} names (appended to, so one file holds every run of the node), and answers its gate's view
 * at {@code GET http://127.0.0.1:<}{@value #GATE_PORT}{@code >/gate}.
 */
public final class RecordingNodeMain {
  /** The system property naming the file the records go to. */
  public static final String RECORD_FILE = "tenantwatch.test.recordFile";
  /** The system property with the loopback port the gate's view is served on. */
  public static final String GATE_PORT = "tenantwatch.test.gatePort";

  private RecordingNodeMain() {
  }

  public static void main(String[] args) {
    Path file = Path.of(required(RECORD_FILE));
    int port = Integer.parseInt(required(GATE_PORT));
    Main.run(args, (vertx, options) -> vertx.deployVerticle(new RecordingGate(file, port, options.cluster().nodeId())));
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("RecordingNodeMain needs -D" + property);
    }
    return value;
  }
}
