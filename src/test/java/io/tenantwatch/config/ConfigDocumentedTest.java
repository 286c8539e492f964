package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every configuration key the engine reads is in the configuration tables users read: the contract
 * ({@code docs/contracts.md}) and the README. The keys come from the options themselves (every section
 * writes each of its keys in {@code toJson}, and reads back what it wrote), so a new key that nobody
 * documented fails here.
 */
class ConfigDocumentedTest {

  private static final Pattern NAME = Pattern.compile("`([A-Za-z][A-Za-z.]*)`");

  @ParameterizedTest
  @ValueSource(strings = {"docs/contracts.md", "README.md"})
  void everyKeyIsInTheTable(String document) throws IOException {
    JsonObject all = TenantWatchOptions.defaults().toJson();
    assertThat(TenantWatchOptions.fromJson(all)).as("the options read back what they write")
        .isEqualTo(TenantWatchOptions.defaults());

    assertThat(documentedKeys(Path.of(document))).containsAll(keys(all, ""));
  }

  private static List<String> keys(JsonObject json, String prefix) {
    List<String> keys = new ArrayList<>();
    for (String name : json.fieldNames()) {
      if (json.getValue(name) instanceof JsonObject section) {
        keys.addAll(keys(section, prefix + name + "."));
      } else {
        keys.add(prefix + name);
      }
    }
    return keys;
  }

  /**
   * The keys named in the first column of the document's table rows. A row may name several keys of one
   * section, the first in full and the others by their last part: {@code `stateApi.retryMinMs` /
   * `retryMaxMs`}.
   */
  private static Set<String> documentedKeys(Path document) throws IOException {
    Set<String> keys = new TreeSet<>();
    for (String line : Files.readAllLines(document)) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String firstCell = line.substring(1, line.indexOf('|', 1));
      Matcher names = NAME.matcher(firstCell);
      String section = "";
      while (names.find()) {
        String name = names.group(1);
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
          section = name.substring(0, dot + 1);
          keys.add(name);
        } else {
          keys.add(section + name);
        }
      }
    }
    return keys;
  }
}
