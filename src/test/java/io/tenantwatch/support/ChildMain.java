package io.tenantwatch.support;

import io.tenantwatch.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real main in a JVM of its own, on this test run's class path, its output and errors merged. */
public final class ChildMain {
  private ChildMain() {
  }

  /** Starts {@code Main configFile} with {@code jvmOptions} (such as {@code -Dlogback.configurationFile=...}). */
  public static Process start(Path configFile, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), configFile.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }
}
