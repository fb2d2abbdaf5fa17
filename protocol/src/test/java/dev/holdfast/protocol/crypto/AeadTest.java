package dev.holdfast.protocol.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AeadTest {
  private final SecureRandom random = new SecureRandom();
  private final Aead aead = new Aead(key(1), random);

  private static Secret key(int fill) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) fill);
    return Secret.wrap(k);
  }

  @Test
  void opensWhatItSealedWithTheSameAssociatedData() throws Exception {
    byte[] sealed = aead.seal("hello".getBytes(UTF_8), "secrets/name".getBytes(UTF_8));
    assertThat(aead.open(sealed, "secrets/name".getBytes(UTF_8))).isEqualTo("hello".getBytes(UTF_8));
    assertThat(sealed).hasSize(Aead.OVERHEAD + 5);
  }

  @Test
  void sealingTheSameMessageTwiceGivesDifferentBytes() {
    byte[] a = aead.seal(new byte[16], new byte[0]);
    byte[] b = aead.seal(new byte[16], new byte[0]);
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void refusesOtherAssociatedData() {
    byte[] sealed = aead.seal("hello".getBytes(UTF_8), "secrets/a".getBytes(UTF_8));
    assertThatThrownBy(() -> aead.open(sealed, "secrets/b".getBytes(UTF_8)))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void refusesAnotherKey() {
    byte[] sealed = aead.seal("hello".getBytes(UTF_8), new byte[0]);
    assertThatThrownBy(() -> new Aead(key(2), random).open(sealed, new byte[0]))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void refusesEverySingleFlippedBit() {
    byte[] sealed = aead.seal("hello world".getBytes(UTF_8), new byte[0]);
    for (int i = 0; i < sealed.length * 8; i++) {
      byte[] copy = sealed.clone();
      copy[i / 8] ^= (byte) (1 << (i % 8));
      assertThatThrownBy(() -> aead.open(copy, new byte[0]))
          .isInstanceOf(AuthenticationFailedException.class);
    }
  }

  @Test
  void refusesTruncatedInput() {
    assertThatThrownBy(() -> aead.open(new byte[Aead.OVERHEAD - 1], new byte[0]))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void refusesAKeyOfTheWrongLength() {
    assertThatThrownBy(() -> new Aead(Secret.wrap(new byte[16]), random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32-byte");
  }
}
