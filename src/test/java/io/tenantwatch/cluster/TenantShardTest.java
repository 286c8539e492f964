package io.tenantwatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantShardTest {

  @ParameterizedTest(name = "shard({0}, {1}) = {2}")
  @DisplayName("Pinned values: a change of the shard function fails here")
  @CsvSource({
      "Cust0, 128, 0", "Cust1, 128, 1", "Cust127, 128, 127", "Cust128, 128, 0", "Cust12345, 128, 57",
      "Cust12345, 1, 0", "Cust12345, 7, 4", "Cust007, 128, 7", "Cust999999999999, 128, 127",
      "Cust999999999999, 1000, 999", "Cust26759, 64, 7", "Cust4294967296, 2147483647, 2",
      "Cust18446744073709551616, 1000, 616"})
  void pinnedValues(String contextId, int shards, int expected) {
    assertThat(TenantShard.shard(contextId, shards)).isEqualTo(expected);
  }

  @Test
  @DisplayName("100,000 sequential ids fill 128 shards perfectly evenly")
  void sequentialIdsSpreadEvenly() {
    int[] counts = new int[128];
    for (int n = 10_000; n < 110_000; n++) {
      counts[TenantShard.shard("Cust" + n, 128)]++;
    }
    // 100,000 / 128 = 781.25: every shard gets 781 or 782.
    assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(781, 782));
  }

  @Test
  @DisplayName("100,000 random ids of 1 to 12 digits spread within 15% of the mean, and all are in range")
  void randomIdsSpreadEvenly() {
    Random random = new Random(16);
    int[] counts = new int[128];
    for (int i = 0; i < 100_000; i++) {
      long number = Math.floorMod(random.nextLong(), 1_000_000_000_000L);
      int shard = TenantShard.shard("Cust" + number, 128);
      assertThat(shard).isBetween(0, 127);
      counts[shard]++;
    }
    // Mean 781.25, binomial sd about 28: 15% is more than 4 sd.
    assertThat(java.util.Arrays.stream(counts).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(664, 899));
  }

  @Test
  @DisplayName("Every result is in [0, shards) for many shard counts, and equals the number mod shards")
  void inRangeAndEqualToTheRemainder() {
    Random random = new Random(5701);
    for (int i = 0; i < 20_000; i++) {
      int shards = 1 + random.nextInt(i % 2 == 0 ? 1_000 : Integer.MAX_VALUE);
      long number = Math.floorMod(random.nextLong(), 1_000_000_000_000L);
      int shard = TenantShard.shard("Cust" + number, shards);
      assertThat(shard).isBetween(0, shards - 1).isEqualTo((int) (number % shards));
    }
  }

  @ParameterizedTest(name = "{0} digits")
  @DisplayName("Ids far longer than a long can hold are reduced digit by digit")
  @ValueSource(ints = {13, 19, 20, 40, 1_000, 100_000})
  void veryLongIds(int digits) {
    Random random = new Random(digits);
    StringBuilder number = new StringBuilder().append(1 + random.nextInt(9));
    while (number.length() < digits) {
      number.append(random.nextInt(10));
    }
    BigInteger reference = new BigInteger(number.toString());
    for (int shards : new int[] {1, 2, 7, 128, 1_000_003, Integer.MAX_VALUE}) {
      assertThat(TenantShard.shard("Cust" + number, shards))
          .isEqualTo(reference.mod(BigInteger.valueOf(shards)).intValueExact());
    }
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("Anything but Cust followed by digits is refused, without repeating the input")
  @ValueSource(strings = {"", "Cust", "cust123", "CUST123", "Cust12a", "Cust-1", "Cust 1", "Cust1.5",
      "123", "XCust1", "Cust\u0661\u0662"})
  void refusesWhatIsNotAContextId(String candidate) {
    assertThatThrownBy(() -> TenantShard.shard(candidate, 128))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a context identifier");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> TenantShard.shard(null, 128))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a context identifier");
  }

  @ParameterizedTest(name = "shards = {0}")
  @DisplayName("A shard count below 1 is refused, naming the count")
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void refusesAShardCountBelowOne(int shards) {
    assertThatThrownBy(() -> TenantShard.shard("Cust12345", shards))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard count must be at least 1").hasMessageContaining(String.valueOf(shards));
  }
}
