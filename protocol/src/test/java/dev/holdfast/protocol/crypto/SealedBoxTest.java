package dev.holdfast.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class SealedBoxTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final byte[] AAD = "enroll device-17".getBytes(StandardCharsets.UTF_8);
  static final byte[] API_KEY = "hf_4kZpQw9bN2mX7vR1tY6uJ8cL3dF5gH0a1B2c3D".getBytes(StandardCharsets.UTF_8);

  static KeyPair p256() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return gen.generateKeyPair();
  }

  @Test
  void onlyTheRecipientsPrivateKeyOpensTheBox() throws Exception {
    KeyPair device = p256();
    byte[] box = SealedBox.seal(device.getPublic(), API_KEY, AAD, RANDOM);
    assertThat(SealedBox.open(device.getPrivate(), device.getPublic(), box, AAD)).isEqualTo(API_KEY);
    KeyPair other = p256();
    assertThatThrownBy(() -> SealedBox.open(other.getPrivate(), other.getPublic(), box, AAD))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void theBoxDoesNotContainThePlaintextAndTwoSealsDiffer() throws Exception {
    KeyPair device = p256();
    byte[] a = SealedBox.seal(device.getPublic(), API_KEY, AAD, RANDOM);
    byte[] b = SealedBox.seal(device.getPublic(), API_KEY, AAD, RANDOM);
    assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain("hf_4kZpQw9bN2mX7vR1");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void otherAssociatedDataOrAnyChangedByteFailsToOpen() throws Exception {
    KeyPair device = p256();
    byte[] box = SealedBox.seal(device.getPublic(), API_KEY, AAD, RANDOM);
    assertThatThrownBy(() -> SealedBox.open(device.getPrivate(), device.getPublic(), box,
        "enroll device-18".getBytes(StandardCharsets.UTF_8))).isInstanceOf(AuthenticationFailedException.class);
    for (int i = 0; i < box.length; i += 7) {
      byte[] bad = box.clone();
      bad[i] ^= 0x40;
      assertThatThrownBy(() -> SealedBox.open(device.getPrivate(), device.getPublic(), bad, AAD))
          .as("byte %d flipped", i).isInstanceOf(AuthenticationFailedException.class);
    }
  }

  @Test
  void truncatedBoxesAreRejectedNotCrashedOn() throws Exception {
    KeyPair device = p256();
    byte[] box = SealedBox.seal(device.getPublic(), API_KEY, AAD, RANDOM);
    for (int len : new int[] {0, 1, 2, 40, box.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(box, len);
      assertThatThrownBy(() -> SealedBox.open(device.getPrivate(), device.getPublic(), cut, AAD))
          .isInstanceOf(AuthenticationFailedException.class);
    }
  }

  @Test
  void aKeyThatIsNotP256IsRefusedWhenSealing() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertThatThrownBy(() -> SealedBox.seal(rsa.generateKeyPair().getPublic(), API_KEY, AAD, RANDOM))
        .hasMessageContaining("P-256");
  }
}
