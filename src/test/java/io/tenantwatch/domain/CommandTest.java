package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.tenantwatch.cluster.Fence;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommandTest {

  private static final Instant AT = Instant.parse("2026-02-23T09:52:01.934296500Z");

  private static final Command RESUME = new Command(CommandType.RESUME, "Cust12345", "Running", true,
      "https://online2.superoffice.com/Cust12345", "https://online2.superoffice.com/Cust12345/api",
      "notification:Resume", 7, 3, AT);

  @Test
  @DisplayName("toJson writes every field under its documented name")
  void toJsonShape() {
    assertThat(RESUME.toJson()).isEqualTo(new JsonObject()
        .put("type", "resume")
        .put("tenant", "Cust12345")
        .put("state", "Running")
        .put("running", true)
        .put("endpoint", "https://online2.superoffice.com/Cust12345")
        .put("api", "https://online2.superoffice.com/Cust12345/api")
        .put("reason", "notification:Resume")
        .put("seq", 7L)
        .put("epoch", 3L)
        .put("at", "2026-02-23T09:52:01.934296500Z"));
  }

  @ParameterizedTest
  @EnumSource(CommandType.class)
  @DisplayName("every command type survives the JSON round trip, also through its encoded text")
  void roundTrip(CommandType type) {
    Command command = new Command(type, "Cust1", "Suspended", false, null, null, "poll", Long.MAX_VALUE, Long.MAX_VALUE, AT);

    assertThat(Command.fromJson(command.toJson())).isEqualTo(command);
    assertThat(Command.fromJson(new JsonObject(command.toJson().encode()))).isEqualTo(command);
  }

  @Test
  @DisplayName("a full command survives the round trip through its encoded text")
  void fullRoundTrip() {
    assertThat(Command.fromJson(new JsonObject(RESUME.toJson().encode()))).isEqualTo(RESUME);
  }

  @Test
  @DisplayName("a command stands at (epoch, seq): a new owner's low seq is above an old owner's high one")
  void fenceOrdersByEpochThenSeq() {
    Command oldOwner = new Command(CommandType.PAUSE, "Cust1", "Running", false, null, null, "poll", 900, 1, AT);
    Command newOwner = new Command(CommandType.RESUME, "Cust1", "Running", true, null, null, "handover", 5, 2, AT);

    assertThat(newOwner.fence()).isEqualTo(new Fence(2, 5));
    assertThat(newOwner.fence().isAbove(oldOwner.fence())).isTrue();
    assertThat(oldOwner.fence().isAbove(newOwner.fence())).isFalse();
  }

  @Test
  @DisplayName("a command with a negative epoch cannot be made")
  void negativeEpochRefused() {
    assertThatThrownBy(() -> new Command(CommandType.PAUSE, "Cust1", "Running", false, null, null, "poll", 1, -1, AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
  }

  @Test
  @DisplayName("command types have lower-case wire names and say what they do to the gate")
  void commandTypes() {
    assertThat(CommandType.values()).extracting(CommandType::wireName)
        .containsExactly("pause", "resume", "endpoint", "resync", "retire");
    assertThat(CommandType.byWireName("PAUSE")).isEmpty();
    assertThat(CommandType.byWireName(null)).isEmpty();
    assertThat(CommandType.RESUME.opensGate()).contains(true);
    assertThat(CommandType.PAUSE.opensGate()).contains(false);
    assertThat(CommandType.RETIRE.opensGate()).contains(false);
    assertThat(CommandType.ENDPOINT.opensGate()).isEmpty();
    assertThat(CommandType.RESYNC.opensGate()).isEmpty();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        arguments("missing type", RESUME.toJson().put("type", null)),
        arguments("unknown type", RESUME.toJson().put("type", "stop")),
        arguments("missing tenant", RESUME.toJson().put("tenant", null)),
        arguments("bad tenant", RESUME.toJson().put("tenant", "Cust1/../x")),
        arguments("missing seq", RESUME.toJson().put("seq", null)),
        arguments("seq a string", RESUME.toJson().put("seq", "7")),
        arguments("missing running", RESUME.toJson().put("running", null)),
        arguments("running a string", RESUME.toJson().put("running", "yes")),
        arguments("missing at", RESUME.toJson().put("at", null)),
        arguments("bad at", RESUME.toJson().put("at", "yesterday")),
        arguments("at a number", RESUME.toJson().put("at", 1771840321)),
        arguments("seq a fraction", RESUME.toJson().put("seq", 1.5)),
        arguments("seq a string", RESUME.toJson().put("seq", "7")),
        arguments("seq zero", RESUME.toJson().put("seq", 0)),
        arguments("missing epoch", without(RESUME.toJson(), "epoch")),
        arguments("epoch null", RESUME.toJson().put("epoch", null)),
        arguments("epoch a string", RESUME.toJson().put("epoch", "3")),
        arguments("epoch a fraction", RESUME.toJson().put("epoch", 0.5)),
        arguments("epoch negative", RESUME.toJson().put("epoch", -1)));
  }

  private static JsonObject without(JsonObject json, String key) {
    json.remove(key);
    return json;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  @DisplayName("a malformed command is refused with an IllegalArgumentException")
  void malformedRefused(String description, JsonObject json) {
    assertThatThrownBy(() -> Command.fromJson(json)).as(description).isInstanceOf(IllegalArgumentException.class);
  }
}
