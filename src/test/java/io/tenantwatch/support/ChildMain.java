package io.tenantwatch.support;

import io.tenantwatch.Main;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The real main in a JVM of its own, on this test run's class path, its output and errors merged. */
public final class ChildMain {
  private ChildMain() {
  }

  /** Starts {@code Main configFile} with {@code jvmOptions} (such as {@code -Dlogback.configurationFile=...}). */
  public static Process start(Path configFile, String... jvmOptions) throws IOException {
    return new ProcessBuilder(command(configFile, jvmOptions)).redirectErrorStream(true).start();
  }

  /**
   * As {@link #start(Path, String...)}, in {@code workingDirectory} instead of this JVM's: as a platform
   * embeds the engine, far from the repository. The class path is made absolute for it.
   */
  public static Process startIn(Path workingDirectory, Path configFile, String... jvmOptions) throws IOException {
    return new ProcessBuilder(command(configFile.toAbsolutePath(), jvmOptions))
        .directory(workingDirectory.toFile()).redirectErrorStream(true).start();
  }

  /**
   * Another test-side main, {@code mainClass args}, in a JVM of its own on this run's class path, with the
   * JVM flags Hazelcast wants (the pom's {@code hazelcast.jvm.flags}, which surefire passes on).
   */
  public static Process startMain(Class<?> mainClass, String... args) throws IOException {
    return new ProcessBuilder(command(mainClass, List.of(args), hazelcastFlags().toArray(String[]::new)))
        .redirectErrorStream(true).start();
  }

  /**
   * Another test-side main, {@code mainClass args}, in a JVM of its own on this run's class path, with exactly
   * {@code jvmOptions} (Hazelcast's flags, when it joins a cluster, among them).
   */
  public static Process startMain(Class<?> mainClass, List<String> jvmOptions, String... args) throws IOException {
    return new ProcessBuilder(command(mainClass, List.of(args), jvmOptions.toArray(String[]::new)))
        .redirectErrorStream(true).start();
  }

  /**
   * The JVM flags Hazelcast wants (the pom's {@code hazelcast.jvm.flags}, which surefire passes on), for a
   * child that joins a cluster: {@link #start(Path, String...)} adds none of its own.
   */
  public static List<String> hazelcastFlags() {
    List<String> flags = new ArrayList<>();
    for (String flag : System.getProperty("hazelcast.jvm.flags", "").trim().split("\\s+")) {
      if (!flag.isEmpty()) {
        flags.add(flag);
      }
    }
    return flags;
  }

  private static List<String> command(Path configFile, String... jvmOptions) {
    return command(Main.class, List.of(configFile.toString()), jvmOptions);
  }

  private static List<String> command(Class<?> mainClass, List<String> args, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", absoluteClassPath(), mainClass.getName()));
    command.addAll(args);
    return command;
  }

  /** This test run's class path, every entry made absolute, for a JVM started from another directory. */
  public static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
