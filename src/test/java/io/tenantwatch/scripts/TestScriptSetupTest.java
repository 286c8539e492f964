package io.tenantwatch.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code scripts/test} does its own set-up on a fresh machine: it installs the browser
 * test's Chromium and chromedriver when it may, and otherwise stops at once with the one command to
 * run. The real script runs with the browser pointed at a path that does not exist and with
 * {@code id}, {@code sudo}, {@code apt-get} and {@code mvn} on the PATH replaced by recorders, so it
 * neither installs anything nor starts a second test run.
 */
class TestScriptSetupTest {
  private static final Path SCRIPT = Path.of("scripts/test").toAbsolutePath();

  @TempDir
  Path dir;
  private Path bin;
  private Path calls;

  @BeforeEach
  void tools() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    calls = dir.resolve("calls.log");
    Files.createFile(calls);
    // Each recorder writes its name and arguments to calls.log.
    for (String tool : List.of("mvn", "apt-get")) {
      tool(tool, "echo \"" + tool + " $*\" >> " + calls + "\nexit 0");
    }
  }

  @Test
  @DisplayName("without root and without passwordless sudo it stops at once with the one command to run")
  void stopsWithTheCommandWhereItCannotInstall() throws Exception {
    tool("id", "echo 1000");
    tool("sudo", "echo \"sudo $*\" >> " + calls + "\nexit 1");

    Run run = runScript();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains("needs Debian's Chromium and chromedriver")
        .contains("run: sudo sh -c 'apt-get update -q && apt-get install -y -q chromium chromium-driver'");
    assertThat(Files.readAllLines(calls)).as("neither an install nor a test run").containsOnly("sudo -n true");
  }

  @Test
  @DisplayName("as root it installs Debian's chromium and chromium-driver, then runs the tests")
  void installsAsRootThenRunsTheTests() throws Exception {
    tool("id", "echo 0");

    Run run = runScript("-Dtest=Nothing");

    assertThat(run.exitCode()).isZero();
    assertThat(Files.readAllLines(calls)).containsExactly(
        "apt-get update -q", "apt-get install -y -q chromium chromium-driver", "mvn -B verify -Dtest=Nothing");
  }

  @Test
  @DisplayName("with passwordless sudo it installs through sudo")
  void installsThroughPasswordlessSudo() throws Exception {
    tool("id", "echo 1000");
    tool("sudo", "echo \"sudo $*\" >> " + calls + "\nif [ \"$2\" = true ]; then exit 0; fi\nshift\nexec \"$@\"");

    Run run = runScript();

    assertThat(run.exitCode()).isZero();
    assertThat(Files.readAllLines(calls)).containsExactly("sudo -n true",
        "sudo -n apt-get update -q", "apt-get update -q",
        "sudo -n apt-get install -y -q chromium chromium-driver", "apt-get install -y -q chromium chromium-driver",
        "mvn -B verify");
  }

  private void tool(String name, String body) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Run runScript(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TENANTWATCH_CHROMIUM", dir.resolve("no-chromium").toString());
    env.put("TENANTWATCH_CHROMEDRIVER", dir.resolve("no-chromedriver").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("scripts/test ended: %s", output).isTrue();
    return new Run(process.exitValue(), output);
  }

  private record Run(int exitCode, String output) {}
}
