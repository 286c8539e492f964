package io.tenantwatch.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The machine is pure (docs/contracts.md: the machine is where the rules live, tested without Vert.x): none of its own files may import Vert.x. */
class MachineHasNoVertxImportTest {
  private static final Path MACHINE_SOURCES = Path.of("src", "main", "java", "io", "tenantwatch", "machine");

  @Test
  @DisplayName("No file of the machine package imports io.vertx")
  void noVertxImport() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(MACHINE_SOURCES)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).as("the machine's sources, read from the project directory").isNotEmpty()
        .anyMatch(p -> p.endsWith("TenantMachine.java"));

    for (Path source : sources) {
      assertThat(Files.readString(source)).as(source.toString()).doesNotContain("import io.vertx");
    }
  }
}
