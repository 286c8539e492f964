package io.tenantwatch.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.tenantwatch.domain.ChangeType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NotificationBodyTest {

  /** SuperOffice's documented example body (reference/superoffice.md), a Move. */
  private static final String MOVE = """
      { "ChangeType": 5, "ContextIdentifier": "Cust12345", "VersionName": "Release_10.3.8_2024.08.30-01",
        "FileVersion": "10.3.8.2024", "Token": "eyJ.x.y", "PublicEndpoint": "sod3.superoffice.com" }
      """;

  private static NotificationBody parse(String text) throws NotificationBody.Malformed {
    return NotificationBody.parse(Buffer.buffer(text));
  }

  @Test
  @DisplayName("the documented Move body parses with every field")
  void documentedMove() throws NotificationBody.Malformed {
    NotificationBody body = parse(MOVE);

    assertThat(body.token()).isEqualTo("eyJ.x.y");
    assertThat(body.notification().contextIdentifier()).isEqualTo("Cust12345");
    assertThat(body.notification().changeType()).isEqualTo(ChangeType.MOVE);
    assertThat(body.notification().versionName()).isEqualTo("Release_10.3.8_2024.08.30-01");
    assertThat(body.notification().fileVersion()).isEqualTo("10.3.8.2024");
    assertThat(body.notification().publicEndpoint()).isEqualTo("sod3.superoffice.com");
  }

  @Test
  @DisplayName("field names are matched in any case, FileVersion may be empty and PublicEndpoint absent")
  void anyCase() throws NotificationBody.Malformed {
    NotificationBody body = parse("""
        {"changetype":0,"CONTEXTIDENTIFIER":"Cust7","versionName":"Release 8.4 R08","fileversion":"","TOKEN":"t"}
        """);

    assertThat(body.notification().changeType()).isEqualTo(ChangeType.UPGRADE);
    assertThat(body.notification().contextIdentifier()).isEqualTo("Cust7");
    assertThat(body.notification().fileVersion()).isEmpty();
    assertThat(body.notification().publicEndpoint()).isNull();
    assertThat(body.token()).isEqualTo("t");
  }

  @Test
  @DisplayName("an unknown ChangeType is kept, not refused; a missing Token is left for the route to answer 401")
  void unknownChangeTypeKept() throws NotificationBody.Malformed {
    NotificationBody body = parse("{\"ChangeType\":42,\"ContextIdentifier\":\"Cust1\"}");

    assertThat(body.notification().changeType().code()).isEqualTo(42);
    assertThat(body.notification().changeType().known()).isEmpty();
    assertThat(body.token()).isNull();
  }

  static Stream<Arguments> malformed() {
    JsonObject valid = new JsonObject(MOVE);
    return Stream.of(
        arguments("", "bad-json"),
        arguments("not json", "bad-json"),
        arguments("{\"ChangeType\":", "bad-json"),
        arguments("[1,2]", "bad-json"),
        arguments(valid.copy().put("FileVersion", "v\u0000").encode(), "bad-json"),
        arguments(valid.copy().put("ContextIdentifier", "Cust\u00011").encode(), "bad-json"),
        arguments(valid.encode().replaceFirst("\\}$", ",\"Extra\":\"\\\\ud800\"}"), "bad-json"),
        arguments(valid.copy().put("ContextIdentifier", null).encode(), "missing-context-identifier"),
        arguments(without(valid, "ContextIdentifier"), "missing-context-identifier"),
        arguments(valid.copy().put("ContextIdentifier", "cust1").encode(), "bad-context-identifier"),
        arguments(valid.copy().put("ContextIdentifier", "Cust1/../x").encode(), "bad-context-identifier"),
        arguments(valid.copy().put("ContextIdentifier", 12345).encode(), "bad-context-identifier"),
        arguments(without(valid, "ChangeType"), "missing-change-type"),
        arguments(valid.copy().put("ChangeType", "5").encode(), "bad-change-type"),
        arguments(valid.copy().put("ChangeType", 5.5).encode(), "bad-change-type"),
        arguments(valid.copy().put("ChangeType", true).encode(), "bad-change-type"),
        arguments(valid.copy().put("Token", 7).encode(), "bad-token-field"),
        arguments(valid.copy().put("PublicEndpoint", "https://evil/../").encode(), "bad-public-endpoint"),
        arguments(valid.copy().put("VersionName", new JsonObject()).encode(), "bad-version-name"),
        arguments(valid.copy().put("FileVersion", "x".repeat(300)).encode(), "bad-file-version"),
        arguments("{\"ChangeType\":1,\"changetype\":2,\"ContextIdentifier\":\"Cust1\"}", "duplicate-field"),
        arguments("{\"ChangeType\":1,\"ChangeType\":2,\"ContextIdentifier\":\"Cust1\"}", "duplicate-field"),
        arguments("{\"ChangeType\":1,\"ContextIdentifier\":\"Cust2\",\"ContextIdentifier\":\"Cust1\"}",
            "duplicate-field"));
  }

  private static String without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy.encode();
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("malformed")
  @DisplayName("a malformed body is refused with a code that says why, never repeating the token")
  void refused(String text, String code) {
    NotificationBody.Malformed refused = catchThrowableOfType(NotificationBody.Malformed.class, () -> parse(text));

    assertThat(refused).isNotNull();
    assertThat(refused.code()).isEqualTo(code);
    assertThat(refused.getMessage()).doesNotContain("eyJ");
  }
}
