package example;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds up the jars of a runtime classpath, printing each, so the build shows the footprint. Shared by
 * the consumer projects under src/it: each compiles it among its test sources.
 */
final class Footprint {
  private Footprint() {
  }

  /**
   * @param classpathFile the file maven-dependency-plugin's build-classpath wrote
   * @param leftOut jars whose path contains this are the platform's own and are not counted (e.g. its logging)
   * @return the bytes of the counted jars
   */
  static long of(Path classpathFile, String leftOut) throws IOException {
    String classpath = Files.readString(classpathFile).trim();
    long total = 0;
    for (String entry : classpath.split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (entry.contains(leftOut)) {
        System.out.printf("footprint: (the platform's own, not counted) %s%n", jar.getFileName());
        continue;
      }
      long size = Files.size(jar);
      total += size;
      System.out.printf("footprint: %8d KB %s%n", size / 1024, jar.getFileName());
    }
    System.out.printf("footprint: %.1f MB in all (%s)%n", total / 1048576.0, classpathFile);
    return total;
  }
}
