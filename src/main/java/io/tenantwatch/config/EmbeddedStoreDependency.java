package io.tenantwatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The optional dependency that {@code store.type: embedded} needs: the PostgreSQL binaries the engine
 * starts itself. The library does not bring them (they are most of its size); the runnable jar does.
 */
final class EmbeddedStoreDependency {
  /** The class that is on the classpath exactly when the dependency is. */
  private static final String PROBE = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

  /** Its Maven coordinates, {@code group:artifact:version}, as the build that made this jar knew them. */
  static final String COORDINATES = readCoordinates();

  private EmbeddedStoreDependency() {
  }

  /** Whether the dependency is on the classpath that loaded the engine. */
  static boolean isPresent() {
    try {
      Class.forName(PROBE, false, EmbeddedStoreDependency.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String readCoordinates() {
    try (InputStream in = EmbeddedStoreDependency.class.getResourceAsStream("embedded-store.properties")) {
      if (in == null) {
        throw new IllegalStateException("embedded-store.properties is missing from the jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("coordinates");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
