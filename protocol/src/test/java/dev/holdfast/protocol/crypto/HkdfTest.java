package dev.holdfast.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void matchesTheFirstTestVectorOfRfc5869() {
    Secret ikm = Secret.wrap(HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
    Secret okm =
        Hkdf.derive(
            ikm, HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertThat(HEX.formatHex(okm.bytes()))
        .isEqualTo(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }

  @Test
  void differentInfoGivesIndependentKeys() {
    Secret ikm = Secret.wrap(new byte[32]);
    assertThat(Hkdf.derive(ikm, new byte[0], new byte[] {1}, 32).bytes())
        .isNotEqualTo(Hkdf.derive(ikm, new byte[0], new byte[] {2}, 32).bytes());
  }
}
