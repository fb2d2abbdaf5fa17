package dev.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MosquittoConfigTest {
  private static final BrokerFiles FILES = new BrokerFiles(Path.of("/t/ca.pem"), Path.of("/t/server.pem"),
      Path.of("/t/server.key"), Path.of("/t/crl.pem"), Path.of("/t/acl"));

  @Test
  void keepsEveryShippedLineAndReplacesOnlyTheListenerAndTheFilePaths() {
    String shipped = MosquittoConfig.readShipped(ShippedFiles.conf());
    String rendered = MosquittoConfig.render(shipped, FILES, 12345, Path.of("/t/log"), null);

    String[] shippedLines = shipped.split("\n");
    String[] renderedLines = rendered.split("\n");
    int changed = 0;
    for (int i = 0; i < shippedLines.length; i++) {
      if (!shippedLines[i].equals(renderedLines[i])) {
        changed++;
        assertThat(renderedLines[i]).matches("listener 12345 127\\.0\\.0\\.1|(cafile|certfile|keyfile|crlfile|acl_file) /t/.*");
      }
    }
    assertThat(changed).isEqualTo(6);
    assertThat(rendered).contains("log_dest file /t/log", "persistence false").doesNotContain("user root");
  }

  @Test
  void appendsTheUserToRunAsWhenOneIsGiven() {
    String shipped = MosquittoConfig.readShipped(ShippedFiles.conf());
    assertThat(MosquittoConfig.render(shipped, FILES, 1, Path.of("/t/log"), "root")).endsWith("user root\n");
  }

  @Test
  void refusesAShippedFileThatNoLongerHasTheExpectedOptions() {
    assertThatThrownBy(() -> MosquittoConfig.render("listener 8883\ncafile /etc/mosquitto/holdfast/ca-chain.pem\n",
        FILES, 1, Path.of("/t/log"), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("certfile");
    assertThatThrownBy(() -> MosquittoConfig.render(
        "listener 8883\ncafile a\ncertfile b\nkeyfile c\ncrlfile d\nacl_file e\npassword_file /etc/mosquitto/holdfast/pw\n",
        FILES, 1, Path.of("/t/log"), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("/etc/mosquitto/holdfast/");
  }

  @Test
  void theShippedFilesAreFoundFromAModuleDirectory() {
    assertThat(ShippedFiles.conf()).isRegularFile().endsWith(Path.of("systemd/mosquitto/holdfast.conf"));
    assertThat(ShippedFiles.acl()).isRegularFile();
  }
}
