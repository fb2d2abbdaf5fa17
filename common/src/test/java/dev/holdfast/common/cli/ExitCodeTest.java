package dev.holdfast.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.common.config.ConfigException;
import dev.holdfast.vault.VaultException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodeTest {
  @ParameterizedTest(name = "vault {0} -> {1}")
  @CsvSource({
      "MISSING, 66", "ALREADY_EXISTS, 73", "WRONG_KEY, 77", "INSECURE_KEY_FILE, 77", "INSECURE_PATH, 77", "BAD_KEY_FILE, 65",
      "NO_KEY, 78", "CORRUPT, 65", "NOT_A_VAULT, 65", "LOCKED, 75", "IO, 74",
  })
  void aVaultProblemExitsWithTheSameCodeOnBothSides(VaultException.Reason reason, int code) {
    assertThat(ExitCode.of(reason).code()).isEqualTo(code);
  }

  @Test
  void aMissingConfigurationFileIs66AndABadOne78() {
    assertThat(ExitCode.of(ConfigException.Kind.MISSING_FILE).code()).isEqualTo(66);
    assertThat(ExitCode.of(ConfigException.Kind.INVALID).code()).isEqualTo(78);
  }

  @Test
  void everyCodeIsDistinctAndInTheDocumentedRanges() {
    assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code).distinct().count())
        .isEqualTo(ExitCode.values().length);
    // 0 and 1 (status: unhealthy), sysexits 64-78, enrollment 79-88
    assertThat(ExitCode.values()).allSatisfy(c -> assertThat(c.code() <= 1 || (c.code() >= 64 && c.code() <= 88))
        .as(c.name()).isTrue());
  }
}
