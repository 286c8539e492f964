package io.tenantwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

  @Test
  @DisplayName("JSON reads as Vert.x reads it: objects, arrays, scalars, nested members of the same name apart")
  void readsJson() {
    assertThat(StrictJson.decode(Buffer.buffer("{\"a\":1,\"b\":[{\"c\":1},{\"c\":2}]}")))
        .isEqualTo(new JsonObject().put("a", 1).put("b", new JsonArray().add(new JsonObject().put("c", 1))
            .add(new JsonObject().put("c", 2))));
    assertThat(StrictJson.decode(Buffer.buffer("[1,2]"))).isEqualTo(new JsonArray().add(1).add(2));
    assertThat(StrictJson.decode(Buffer.buffer("\"text\""))).isEqualTo("text");
    assertThat(StrictJson.decode(Buffer.buffer("{\"A\":1,\"a\":2}"))).isEqualTo(new JsonObject().put("A", 1).put("a", 2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":1}", "{\"x\":{\"b\":true,\"b\":false}}",
      "[{\"c\":1,\"c\":null}]"})
  @DisplayName("An object naming a member twice is refused, at any depth, even with the same value")
  void refusesDuplicates(String text) {
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(text))).isInstanceOf(StrictJson.DuplicateMember.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":", "not json", "{\"a\":1} trailing", "{'a':1}"})
  @DisplayName("Text that is not JSON is refused as such, not as a duplicate")
  void refusesNonJson(String text) {
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(text))).isInstanceOf(DecodeException.class)
        .isNotInstanceOf(StrictJson.DuplicateMember.class);
  }

  @Test
  @DisplayName("Bytes that are not UTF-8 are refused, even in a member name where Jackson would let them pass")
  void refusesNonUtf8() {
    byte[] damagedName = "{\"IsRunnin\u0000g\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    damagedName[10] = (byte) 0xFF;
    byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};

    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(damagedName))).isInstanceOf(DecodeException.class)
        .isNotInstanceOf(StrictJson.DuplicateMember.class);
    assertThatThrownBy(() -> StrictJson.decode(Buffer.buffer(encodedSurrogate))).isInstanceOf(DecodeException.class);
    assertThat(StrictJson.decode(Buffer.buffer("{\"Name\":\"K\u00f8benhavn \u2603\"}")))
        .isEqualTo(new JsonObject().put("Name", "K\u00f8benhavn \u2603"));
  }

  @Test
  @DisplayName("A NUL or other control character (tab, LF, CR aside) or a lone surrogate, in a name or a string, is refused")
  void refusesUnsafeText() {
    for (String text : new String[] {"{\"a\":\"x\\u0000\"}", "{\"a\\u0000\":1}", "[\"\\u001b\"]",
        "{\"a\":[\"\\ud800\"]}", "\"\\udc00x\"", "\"\\u007f\\u0000\""}) {
      assertThat(catchThrowable(() -> StrictJson.decode(Buffer.buffer(text))))
          .as(text).isInstanceOf(StrictJson.UnsafeText.class);
    }
    assertThat(StrictJson.decode(Buffer.buffer("\"a\\tb\\nc\\r \\ud83d\\ude00\""))).isEqualTo("a\tb\nc\r \ud83d\ude00");
  }
}
