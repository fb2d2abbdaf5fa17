package dev.holdfast.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {
  @Test
  void toStringNeverShowsTheBytes() {
    Secret secret = Secret.copyOf("hunter2-hunter2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(secret.toString()).doesNotContain("hunter2").contains("redacted");
  }

  @Test
  void destroyWipesTheBytesAndRefusesFurtherUse() {
    byte[] raw = {1, 2, 3};
    Secret secret = Secret.wrap(raw);
    secret.destroy();
    assertThat(raw).containsOnly(0);
    assertThat(secret.isDestroyed()).isTrue();
    assertThatThrownBy(secret::bytes).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void handsOutCopiesSoWipingOneLeavesTheSecretIntact() {
    Secret secret = Secret.copyOf(new byte[] {7, 7});
    byte[] copy = secret.bytes();
    java.util.Arrays.fill(copy, (byte) 0);
    assertThat(secret.bytes()).containsExactly(7, 7);
  }
}
