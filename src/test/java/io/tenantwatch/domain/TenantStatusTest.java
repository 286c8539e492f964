package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantStatusTest {

  /** The example in SuperOffice's original description (reference/seed-tenant-status.txt): no Version. */
  private static final String SEED_EXAMPLE = """
      {
      "ContextIdentifier": "Cust37911",
      "Endpoint": "https://sod2.superoffice.com/Cust37911",
      "State": "Running",
      "IsRunning": true,
      "ValidUntil": "2020-10-05T09:52:01.9342965Z",
      "Api": "https://sod2.superoffice.com/Cust37911/api"
      }
      """;

  /** The current example (reference/superoffice.md), with the 2026 Version field. */
  private static final String VERSIONED_EXAMPLE = """
      { "ContextIdentifier": "Cust12345",
        "Endpoint": "https://online2.superoffice.com/Cust12345",
        "State": "Running",
        "IsRunning": true,
        "ValidUntil": "2026-02-23T09:52:01.9342965Z",
        "Api": "https://online2.superoffice.com/Cust12345/api",
        "Version": "Release_11.10_2026.02.24-02" }
      """;

  private static final Instant SEED_VALID_UNTIL =
      LocalDateTime.of(2020, 10, 5, 9, 52, 1, 934_296_500).toInstant(ZoneOffset.UTC);
  private static final Instant VERSIONED_VALID_UNTIL =
      LocalDateTime.of(2026, 2, 23, 9, 52, 1, 934_296_500).toInstant(ZoneOffset.UTC);

  private static TenantStatus parse(String body) throws StatusParseException {
    return TenantStatus.parse(Buffer.buffer(body));
  }

  /** The versioned example with one field replaced (or removed, when {@code value} is {@link #ABSENT}). */
  private static String with(String field, Object value) {
    JsonObject json = new JsonObject(VERSIONED_EXAMPLE);
    if (value == ABSENT) {
      json.remove(field);
    } else {
      json.put(field, value);
    }
    return json.encode();
  }

  private static final Object ABSENT = new Object();

  private static String without(String field, String body) {
    JsonObject json = new JsonObject(body);
    json.remove(field);
    return json.encode();
  }

  @Test
  @DisplayName("the original documented example parses, without a Version")
  void seedExample() throws StatusParseException {
    TenantStatus status = parse(SEED_EXAMPLE);

    assertThat(status).isEqualTo(new TenantStatus("Cust37911", "https://sod2.superoffice.com/Cust37911",
        TenantState.RUNNING, "Running", true, SEED_VALID_UNTIL, "https://sod2.superoffice.com/Cust37911/api", null));
    assertThat(status.running()).isTrue();
  }

  @Test
  @DisplayName("the current documented example parses, with its Version")
  void versionedExample() throws StatusParseException {
    TenantStatus status = parse(VERSIONED_EXAMPLE);

    assertThat(status).isEqualTo(new TenantStatus("Cust12345", "https://online2.superoffice.com/Cust12345",
        TenantState.RUNNING, "Running", true, VERSIONED_VALID_UNTIL,
        "https://online2.superoffice.com/Cust12345/api", "Release_11.10_2026.02.24-02"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"OfflineMaintenance", "offlinemaintenance", "OFFLINEMAINTENANCE", " OfflineMaintenance "})
  @DisplayName("State is read as a name in any case, and the raw value is kept")
  void stateNameAnyCase(String name) throws StatusParseException {
    TenantStatus status = parse(with("State", name));

    assertThat(status.state()).isEqualTo(TenantState.OFFLINE_MAINTENANCE);
    assertThat(status.rawState()).isEqualTo(name);
  }

  @Test
  @DisplayName("State is read as a JSON number")
  void stateNumber() throws StatusParseException {
    TenantStatus status = parse(with("State", 5));

    assertThat(status.state()).isEqualTo(TenantState.ONLINE_MAINTENANCE);
    assertThat(status.rawState()).isEqualTo("5");
  }

  @Test
  @DisplayName("State is read as a numeric string")
  void stateNumericString() throws StatusParseException {
    TenantStatus status = parse(with("State", "12"));

    assertThat(status.state()).isEqualTo(TenantState.MIGRATION_PENDING);
    assertThat(status.rawState()).isEqualTo("12");
  }

  static Stream<Arguments> unknownStates() {
    return Stream.of(
        arguments("Frozen", "Frozen"),
        arguments(7, "7"),
        arguments(9, "9"),
        arguments(99, "99"),
        arguments("7", "7"),
        arguments("9", "9"),
        arguments("99", "99"),
        arguments(-1, "-1"),
        arguments(5_000_000_000L, "5000000000"));
  }

  @ParameterizedTest
  @MethodSource("unknownStates")
  @DisplayName("an unknown state name or code is Unknown, not running, with the raw value kept")
  void unknownState(Object value, String raw) throws StatusParseException {
    TenantStatus status = parse(without("IsRunning", with("State", value)));

    assertThat(status.state()).isEqualTo(TenantState.UNKNOWN);
    assertThat(status.rawState()).isEqualTo(raw);
    assertThat(status.isRunning()).isNull();
    assertThat(status.running()).isFalse();
  }

  @Test
  @DisplayName("a State number beyond any code is Unknown with the raw number kept, not a parse error")
  void hugeStateNumberIsUnknown() throws StatusParseException {
    TenantStatus status = TenantStatus.parse(Buffer.buffer(SEED_EXAMPLE.replace("\"Running\"", "123456789012345678901234567890")));

    assertThat(status.state()).isEqualTo(TenantState.UNKNOWN);
    assertThat(status.rawState()).isEqualTo("123456789012345678901234567890");
  }

  @Test
  @DisplayName("an unknown state with IsRunning true is running: the gate follows IsRunning")
  void unknownStateFollowsIsRunning() throws StatusParseException {
    TenantStatus status = parse(with("State", "Frozen"));

    assertThat(status.state()).isEqualTo(TenantState.UNKNOWN);
    assertThat(status.running()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Running", "OnlineMaintenance", "Suspended", "Deleted", "OfflineMaintenance"})
  @DisplayName("without IsRunning, running follows the state")
  void runningFromState(String name) throws StatusParseException {
    TenantStatus status = parse(without("IsRunning", with("State", name)));

    assertThat(status.isRunning()).isNull();
    assertThat(status.running()).isEqualTo(TenantState.byName(name).orElseThrow().running());
  }

  @Test
  @DisplayName("IsRunning wins over the state when they disagree")
  void isRunningWins() throws StatusParseException {
    assertThat(parse(with("IsRunning", false)).running()).isFalse();
    assertThat(parse(with("State", "Suspended")).running()).isTrue();
  }

  @Test
  @DisplayName("IsRunning null counts as absent")
  void isRunningNull() throws StatusParseException {
    TenantStatus status = parse(with("IsRunning", null));

    assertThat(status.isRunning()).isNull();
    assertThat(status.running()).isTrue();
  }

  @Test
  @DisplayName("ValidUntil with seven fractional digits is read to the exact instant")
  void validUntilSevenDigits() throws StatusParseException {
    assertThat(parse(with("ValidUntil", "2026-02-23T09:52:01.0000001Z")).validUntil())
        .isEqualTo(Instant.ofEpochSecond(VERSIONED_VALID_UNTIL.getEpochSecond(), 100));
    assertThat(parse(VERSIONED_EXAMPLE).validUntil()).isEqualTo(VERSIONED_VALID_UNTIL);
  }

  @Test
  @DisplayName("ValidUntil with an offset is converted to UTC")
  void validUntilOffset() throws StatusParseException {
    assertThat(parse(with("ValidUntil", "2026-02-23T10:52:01.9342965+01:00")).validUntil())
        .isEqualTo(VERSIONED_VALID_UNTIL);
  }

  @Test
  @DisplayName("ValidUntil without a zone is read as UTC")
  void validUntilNoZone() throws StatusParseException {
    assertThat(parse(with("ValidUntil", "2026-02-23T09:52:01.9342965")).validUntil())
        .isEqualTo(VERSIONED_VALID_UNTIL);
    assertThat(parse(with("ValidUntil", "2026-02-23T09:52:01")).validUntil())
        .isEqualTo(Instant.parse("2026-02-23T09:52:01Z"));
  }

  @Test
  @DisplayName("unknown fields are ignored")
  void unknownFieldsIgnored() throws StatusParseException {
    JsonObject json = new JsonObject(VERSIONED_EXAMPLE)
        .put("Region", "eu-north")
        .put("Extra", new JsonObject().put("a", 1))
        .put("Tags", new JsonArray());

    assertThat(parse(json.encode())).isEqualTo(parse(VERSIONED_EXAMPLE));
  }

  @Test
  @DisplayName("Endpoint and Api may be null, as SuperOffice sends for a tenant without an installation")
  void nullEndpointAndApi() throws StatusParseException {
    TenantStatus status = parse(new JsonObject(VERSIONED_EXAMPLE).putNull("Endpoint").putNull("Api").encode());

    assertThat(status.endpoint()).isNull();
    assertThat(status.api()).isNull();
  }

  static Stream<Arguments> malformedFields() {
    return Stream.of(
        arguments("missing ContextIdentifier", with("ContextIdentifier", ABSENT), "ContextIdentifier"),
        arguments("null ContextIdentifier", with("ContextIdentifier", null), "ContextIdentifier"),
        arguments("bad ContextIdentifier", with("ContextIdentifier", "Cust12345/../admin"), "ContextIdentifier"),
        arguments("lower-case ContextIdentifier", with("ContextIdentifier", "cust12345"), "ContextIdentifier"),
        arguments("numeric ContextIdentifier", with("ContextIdentifier", 12345), "ContextIdentifier"),
        arguments("missing State", with("State", ABSENT), "State"),
        arguments("null State", with("State", null), "State"),
        arguments("State true", with("State", true), "State"),
        arguments("State 2.5", with("State", 2.5), "State"),
        arguments("State an object", with("State", new JsonObject().put("Name", "Running")), "State"),
        arguments("State an array", with("State", new JsonArray().add(2)), "State"),
        arguments("missing ValidUntil", with("ValidUntil", ABSENT), "ValidUntil"),
        arguments("null ValidUntil", with("ValidUntil", null), "ValidUntil"),
        arguments("bad ValidUntil", with("ValidUntil", "tomorrow"), "ValidUntil"),
        arguments("date-only ValidUntil", with("ValidUntil", "2026-02-23"), "ValidUntil"),
        arguments("impossible ValidUntil", with("ValidUntil", "2026-02-30T09:52:01Z"), "ValidUntil"),
        arguments("numeric ValidUntil", with("ValidUntil", 1771840321), "ValidUntil"),
        arguments("IsRunning \"yes\"", with("IsRunning", "yes"), "IsRunning"),
        arguments("IsRunning \"true\"", with("IsRunning", "true"), "IsRunning"),
        arguments("IsRunning 1", with("IsRunning", 1), "IsRunning"),
        arguments("missing Endpoint", with("Endpoint", ABSENT), "Endpoint"),
        arguments("Endpoint a number", with("Endpoint", 42), "Endpoint"),
        arguments("missing Api", with("Api", ABSENT), "Api"),
        arguments("Api an object", with("Api", new JsonObject().put("v1", "x")), "Api"),
        arguments("Version a number", with("Version", 11.1), "Version"),
        arguments("Version an object", with("Version", new JsonObject()), "Version"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFields")
  @DisplayName("a malformed field is refused naming that field")
  void malformedField(String description, String body, String field) {
    StatusParseException refusal = catchThrowableOfType(StatusParseException.class, () -> parse(body));

    assertThat(refusal).as(description).isNotNull();
    assertThat(refusal.field()).isEqualTo(field);
    assertThat(refusal.getMessage()).startsWith(field + ": ");
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        arguments("not JSON", "<html>503 Service Unavailable</html>"),
        arguments("an array", "[" + VERSIONED_EXAMPLE + "]"),
        arguments("a string", "\"Running\""),
        arguments("a number", "2"),
        arguments("null", "null"),
        arguments("empty", ""),
        arguments("truncated", VERSIONED_EXAMPLE.substring(0, VERSIONED_EXAMPLE.length() / 2)),
        arguments("ten thousand nested arrays", "[".repeat(10_000) + "]".repeat(10_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  @DisplayName("a body that is not a JSON object is refused with no field named")
  void malformedBody(String description, String body) {
    StatusParseException refusal = catchThrowableOfType(StatusParseException.class, () -> parse(body));

    assertThat(refusal).as(description).isNotNull();
    assertThat(refusal.field()).isNull();
  }

  @Test
  @DisplayName("a body naming a field twice is refused, whichever value would have counted")
  void fieldTwice() {
    String body = VERSIONED_EXAMPLE.substring(0, VERSIONED_EXAMPLE.lastIndexOf('}')) + ",\"State\":\"Suspended\"}";

    StatusParseException refusal = catchThrowableOfType(StatusParseException.class, () -> parse(body));

    assertThat(refusal).isNotNull();
    assertThat(refusal.field()).isNull();
    assertThat(refusal).hasMessage("the body names a field twice");
  }

  @Test
  @DisplayName("a null body is refused as empty")
  void nullBody() {
    StatusParseException refusal = catchThrowableOfType(StatusParseException.class, () -> TenantStatus.parse(null));

    assertThat(refusal.field()).isNull();
    assertThat(refusal).hasMessage("the body is empty");
  }

  @Test
  @DisplayName("toJson writes ValidUntil as UTC with seven fractional digits and reads back equal")
  void roundTrip() throws StatusParseException {
    TenantStatus status = parse(VERSIONED_EXAMPLE);

    JsonObject json = status.toJson();

    assertThat(json.getString("ValidUntil")).isEqualTo("2026-02-23T09:52:01.9342965Z");
    assertThat(json).isEqualTo(new JsonObject(VERSIONED_EXAMPLE));
    assertThat(TenantStatus.fromJson(json)).isEqualTo(status);
  }

  @Test
  @DisplayName("toJson pads ValidUntil to seven digits, converts an offset to Z and omits an absent Version")
  void toJsonShape() throws StatusParseException {
    JsonObject body = new JsonObject(with("ValidUntil", "2026-02-23T10:52:01+01:00"));
    body.remove("Version");
    TenantStatus status = parse(body.encode());

    JsonObject json = status.toJson();

    assertThat(json.getString("ValidUntil")).isEqualTo("2026-02-23T09:52:01.0000000Z");
    assertThat(json.containsKey("Version")).isFalse();
    assertThat(TenantStatus.fromJson(json)).isEqualTo(status);
  }

  @Test
  @DisplayName("an unknown state survives the round trip with its raw value")
  void unknownStateRoundTrip() throws StatusParseException {
    TenantStatus status = parse(with("State", "Frozen"));

    TenantStatus again = TenantStatus.fromJson(status.toJson());

    assertThat(again.state()).isEqualTo(TenantState.UNKNOWN);
    assertThat(again.rawState()).isEqualTo("Frozen");
    assertThat(again).isEqualTo(status);
  }

  @Test
  @DisplayName("of builds a status from the table with IsRunning as SuperOffice sets it")
  void ofState() {
    TenantStatus status = TenantStatus.of("Cust1", TenantState.ONLINE_MAINTENANCE, "https://e/Cust1",
        "https://e/Cust1/api", VERSIONED_VALID_UNTIL, null);

    assertThat(status.rawState()).isEqualTo("OnlineMaintenance");
    assertThat(status.isRunning()).isTrue();
    assertThat(status.toJson().getString("State")).isEqualTo("OnlineMaintenance");
    assertThat(TenantStatus.formatValidUntil(Instant.parse("2020-01-01T00:00:00.123456789Z")))
        .isEqualTo("2020-01-01T00:00:00.1234567Z");
  }
}
