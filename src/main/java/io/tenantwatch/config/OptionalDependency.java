package io.tenantwatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * A dependency that the library leaves out of a platform's build because only some settings need it, and
 * that the runnable jar carries. A setting that needs one refuses the start while it is missing, naming
 * its Maven coordinates as the build that made this jar knew them (the filtered resource
 * {@code optional-dependencies.properties}), so the fix can be pasted into a build file.
 */
final class OptionalDependency {
  private static final String COORDINATES_RESOURCE = "optional-dependencies.properties";
  private static final Properties KNOWN = readCoordinates();

  /** {@code store.type: embedded}: about 74 MB of PostgreSQL binaries the engine starts itself. */
  static final OptionalDependency EMBEDDED_STORE =
      known("embeddedStore", "io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
  /** {@code cluster.enabled} when the engine builds its own clustered Vertx: the Hazelcast cluster manager. */
  static final OptionalDependency HAZELCAST =
      known("hazelcast", "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager");

  private final String coordinates;
  private final String probe;

  /**
   * @param coordinates {@code group:artifact:version}
   * @param probe a class that is on the classpath exactly when the dependency is
   */
  OptionalDependency(String coordinates, String probe) {
    this.coordinates = coordinates;
    this.probe = probe;
  }

  /** Its Maven coordinates, {@code group:artifact:version}. */
  String coordinates() {
    return coordinates;
  }

  /** Whether the dependency is on the classpath that loaded the engine. */
  boolean isPresent() {
    try {
      Class.forName(probe, false, OptionalDependency.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The refusal of a setting that needs this dependency while it is missing:
   * {@code <key>: <what> needs the optional dependency <coordinates> on the classpath: add it to your build<alternative>}.
   *
   * @param alternative what else the operator could do, starting with {@code ", or"}; empty for nothing
   */
  ConfigException missing(String key, String what, String alternative) {
    return ConfigException.of(key, what + " needs the optional dependency " + coordinates
        + " on the classpath: add it to your build" + alternative);
  }

  private static OptionalDependency known(String name, String probe) {
    String coordinates = KNOWN.getProperty(name);
    if (coordinates == null) {
      throw new IllegalStateException(COORDINATES_RESOURCE + " names no dependency '" + name + "'");
    }
    return new OptionalDependency(coordinates, probe);
  }

  private static Properties readCoordinates() {
    try (InputStream in = OptionalDependency.class.getResourceAsStream(COORDINATES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(COORDINATES_RESOURCE + " is missing from the jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
