package io.tenantwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding snippets are the sources of the consumer project {@code src/it/embed}, which
 * the build compiles against the installed artifact and runs (docs/testing.md, "Consumer projects"): each
 * snippet is preceded by a comment naming its file, and says exactly what that file says.
 */
class ReadmeSnippetsTest {
  private static final Path SOURCES = Path.of("src/it/embed/src/main/java");
  private static final Pattern SNIPPET = Pattern.compile(
      "<!-- snippet: (\\S+) -->\\n```(?:java|xml)\\n(.*?)```", Pattern.DOTALL);

  @Test
  @DisplayName("every source of the embed consumer project is in the README, word for word")
  void snippetsAreTheConsumerSources() throws IOException {
    Map<String, String> snippets = snippets(Files.readString(Path.of("README.md")));

    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String name = file.toString();
        assertThat(snippets).as("the README shows %s", name).containsKey(name);
        assertThat(snippets.get(name)).as("the README's %s", name).isEqualTo(Files.readString(file));
      }
    }
    for (String name : snippets.keySet()) {
      assertThat(Path.of(name)).as("the README's snippet names a file").exists();
    }
  }

  private static Map<String, String> snippets(String readme) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher matcher = SNIPPET.matcher(readme);
    while (matcher.find()) {
      found.put(matcher.group(1), matcher.group(2));
    }
    return found;
  }
}
