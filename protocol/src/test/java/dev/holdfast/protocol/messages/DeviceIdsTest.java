package dev.holdfast.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdsTest {
  @ParameterizedTest(name = "{0} is a device id")
  @ValueSource(strings = {"dev-0123456789abcdef", "pump-7", "abc", "0ab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void acceptsWhatTheServiceAssignsAndWhatAnOperatorMayName(String id) {
    assertThat(DeviceIds.isValid(id)).isTrue();
  }

  @ParameterizedTest(name = "{0} is no device id")
  @ValueSource(strings = {"holdfast.provisioning", "holdfast.operator.alice", "a/#", "dev+1", "-dev", "ab", "Dev-1",
      "dev 1", ""})
  void refusesServiceAndOperatorNamesWildcardsAndOtherCharacters(String id) {
    assertThat(DeviceIds.isValid(id)).isFalse();
  }

  @Test
  void assignsDevAndSixteenBase32CharactersThatAreAlwaysValid() {
    SplittableRandom random = new SplittableRandom(3);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = DeviceIds.random(random);
      assertThat(id).matches("dev-[0-9a-hjkmnp-tv-z]{16}").matches(DeviceIds.ASSIGNED);
      assertThat(DeviceIds.isValid(id)).isTrue();
      ids.add(id);
    }
    assertThat(ids).hasSize(1000);
  }
}
