package dev.holdfast.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.protocol.crypto.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files hold what 'vault keygen' writes (64 hex digits and a newline) and nothing else. */
class KeyFilesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"correct horse battery staple 123", "0123456789abcdef0123456789abcdef"})
  void thirtyTwoPrintableCharactersAreRefusedNotTakenAsAnUnstretchedRawKey(String text) {
    assertThat(text).hasSize(32);
    assertThatThrownBy(() -> KeyFiles.parse(text.getBytes(StandardCharsets.US_ASCII), "key file k"))
        .isInstanceOf(VaultException.class).hasMessageContaining("64 hex digits")
        .hasMessageNotContaining(text)
        .extracting(e -> ((VaultException) e).reason()).isEqualTo(VaultException.Reason.BAD_KEY_FILE);
  }

  @Test
  void thirtyTwoRawBytesAreRefusedWithTheCommandThatConvertsThem() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    assertThatThrownBy(() -> KeyFiles.parse(raw, "key file k")).isInstanceOf(VaultException.class)
        .hasMessageContaining("xxd -p -c 32");
  }

  @Test
  void acceptsWhatKeygenWritesAndTheSameWithoutItsNewline() throws Exception {
    Path file = dir.resolve("store.key");
    KeyFiles.generate(file, new SecureRandom());
    byte[] written = Files.readAllBytes(file);
    assertThat(written).hasSize(65).endsWith((byte) '\n');
    Secret key = KeyFiles.read(file);
    assertThat(key.length()).isEqualTo(32);
    assertThat(HexFormat.of().formatHex(key.bytes())).isEqualTo(new String(written, 0, 64, StandardCharsets.US_ASCII));
    assertThat(KeyFiles.parse(java.util.Arrays.copyOf(written, 64), "credential").bytes()).isEqualTo(key.bytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n\n", " \n", "\t", "x", "\r\r\n"})
  void refusesAnythingElseAfterTheHexDigits(String tail) {
    String hex = "ab".repeat(32);
    assertThatThrownBy(() -> KeyFiles.parse((hex + tail).getBytes(StandardCharsets.US_ASCII), "key file k"))
        .isInstanceOf(VaultException.class).hasMessageNotContaining(hex);
  }

  @Test
  void acceptsACrLfLineEndAsTheNewline() throws Exception {
    String hex = "cd".repeat(32);
    assertThat(KeyFiles.parse((hex + "\r\n").getBytes(StandardCharsets.US_ASCII), "k").bytes())
        .isEqualTo(HexFormat.of().parseHex(hex));
  }
}
