package io.tenantwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  @DisplayName("a valid file loads into the options it describes")
  void loadsFile() throws IOException {
    Path file = write("tw.json", "{\"environment\": \"online\", \"tenants\": [\"Cust7\"]}");

    TenantWatchOptions options = ConfigLoader.load(file);

    assertThat(options.environment()).isEqualTo(Environment.ONLINE);
    assertThat(options.tenants()).containsExactly("Cust7");
  }

  @Test
  @DisplayName("a file holding an empty object gives every default")
  void emptyObject() throws IOException {
    assertThat(ConfigLoader.load(write("tw.json", "{ }"))).isEqualTo(TenantWatchOptions.defaults());
  }

  @Test
  @DisplayName("a missing file is refused naming the path")
  void missingFile() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isNull())
        .hasMessage("configuration file " + missing + " does not exist");
  }

  @Test
  @DisplayName("a path that cannot be read as a file is refused naming the path")
  void unreadable() {
    assertThatThrownBy(() -> ConfigLoader.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cannot read configuration file " + dir);
  }

  @Test
  @DisplayName("a file that is not UTF-8 is refused naming the path")
  void notUtf8() throws IOException {
    Path file = Files.write(dir.resolve("latin1.json"), "{\"http\": {\"host\": \"h\u00e9\"}}"
        .getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage("configuration file " + file + " is not UTF-8 text");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"environment\": ", "{environment: sod}", "not json", "{\"a\": 1} trailing"})
  @DisplayName("a file that is not JSON is refused as not valid JSON, naming the path")
  void notJson(String content) throws IOException {
    Path file = write("bad.json", content);

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("not valid JSON: ")
        .hasMessageContaining("at line 1, column ")
        .hasMessageContaining(file.toString())
        .hasMessageNotContaining("REDACTED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  \n", "[]", "42", "\"sod\"", "null"})
  @DisplayName("an empty file or a JSON value other than an object is refused as not valid JSON")
  void notAnObject(String content) throws IOException {
    Path file = write("odd.json", content);

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("not valid JSON: configuration file " + file);
  }

  @Test
  @DisplayName("a bad value in a file is refused naming the key")
  void badValueInFile() throws IOException {
    Path file = write("tw.json", "{\"stateApi\": {\"maxPollsPerSecond\": -3}}");

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .hasMessage("stateApi.maxPollsPerSecond: must be a positive integer, got -3");
  }

  @Test
  @DisplayName("the demo configuration loads: sod, the simulator with 12 tenants, the demo worker, short intervals")
  void demoConfiguration() {
    TenantWatchOptions options = ConfigLoader.load(ConfigLoader.DEFAULT_PATH);

    assertThat(options.environment()).isEqualTo(Environment.SOD);
    assertThat(options.simulator()).isEqualTo(new SimulatorSection(true, 8090, 12, 42));
    assertThat(options.demoWorker()).isTrue();
    assertThat(options.http()).isEqualTo(new HttpOptions("127.0.0.1", 8080));
    assertThat(options.admin()).isEqualTo(new AdminOptions("127.0.0.1", 8081, null));
    assertThat(options.store()).isEqualTo(new StoreOptions("embedded", "data", null));
    assertThat(options.stateApi().baseUrl()).isNull();
    assertThat(options.stateApi().minPollIntervalMs()).isEqualTo(1000);
    assertThat(options.stateApi().transitionalPollIntervalMs()).isEqualTo(3000);
    assertThat(options.stateApi().retryMinMs()).isEqualTo(500);
    assertThat(options.stateApi().retryMaxMs()).isEqualTo(10000);
    assertThat(options.stateApi().notificationHoldMs()).isEqualTo(10000);
    assertThat(options.stateApi().requestTimeoutMs()).isEqualTo(2000);
    assertThat(options.stateApiBaseUrl("http://127.0.0.1:8090/api/state/"))
        .isEqualTo("http://127.0.0.1:8090/api/state/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sod", "online"})
  @DisplayName("each example configuration loads, with its environment's certificate present on disk")
  void examples(String name) {
    TenantWatchOptions options = ConfigLoader.load(Path.of("conf", "examples", name + ".json"));

    assertThat(options.environment().jsonName()).isEqualTo(name);
    assertThat(options.simulator().enabled()).isFalse();
    assertThat(options.http().host()).isEqualTo("0.0.0.0");
    assertThat(options.admin().host()).isEqualTo("127.0.0.1");
    assertThat(options.admin().token()).isNull();
    assertThat(options.tenants()).isNotEmpty();
    assertThat(options.stateApiBaseUrl(null)).isEqualTo("https://" + name + ".superoffice.com/api/state/");
    assertThat(options.webhook().certificates()).containsExactlyElementsOf(options.environment().certificates());
  }
}
