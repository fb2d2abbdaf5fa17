package dev.holdfast.provisioning.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.provisioning.testing.TestRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChecksummedTokenTest {
  final ChecksummedToken format = new ChecksummedToken("hf_", 30, 8);

  @Test
  void generatesPrefixThirtyRandomBase62AndSixChecksumCharacters() {
    String key = format.generate(TestRandom.seeded(1));

    assertThat(key).matches("hf_[0-9A-Za-z]{36}");
    assertThat(key.substring(33)).isEqualTo(ChecksummedToken.checksum(key.substring(3, 33)));
    assertThat(format.defect(key)).isEmpty();
    assertThat(format.idOf(key)).isEqualTo(key.substring(3, 11));
  }

  @Test
  void rejectsATypoOfflineByItsChecksum() {
    String key = format.generate(TestRandom.seeded(2));
    char c = key.charAt(10);
    String typo = key.substring(0, 10) + (c == 'a' ? 'b' : 'a') + key.substring(11);

    assertThat(format.defect(typo)).contains(ChecksummedToken.Defect.BAD_CHECKSUM);
  }

  @Test
  void rejectsWrongPrefixLengthAndCharactersAsMalformed() {
    String key = format.generate(TestRandom.seeded(3));
    for (String bad : new String[] {"", "hf_", key + "x", "xx" + key.substring(2), key.substring(0, 20) + "-" + key.substring(21)}) {
      assertThat(format.defect(bad)).as(bad).contains(ChecksummedToken.Defect.MALFORMED);
    }
    assertThat(format.defect(null)).isEqualTo(Optional.of(ChecksummedToken.Defect.MALFORMED));
  }

  @Test
  void writesTheLargestCrc32InSixBase62Digits() {
    assertThat(Base62.fixedWidth(0xFFFFFFFFL, 6)).hasSize(6).isEqualTo("4gfFC3");
    assertThat(Base62.fixedWidth(0, 6)).isEqualTo("000000");
  }
}
