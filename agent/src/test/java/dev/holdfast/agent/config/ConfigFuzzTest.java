package dev.holdfast.agent.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.holdfast.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration file, as {@code --config} reads it: any bytes give a validated {@link
 * AgentConfig} or a {@link ConfigException} whose message names what is wrong; any other exception
 * or a hang is a finding. (The file is written by the operator, but it is also what a package, a
 * provisioning script or a copy-paste from a web page produce.)
 */
class ConfigFuzzTest {
  private static Path file;

  private static synchronized Path file() throws Exception {
    if (file == null) {
      file = Files.createTempDirectory("holdfast-fuzz-config").resolve("agent.conf");
    }
    return file;
  }

  @FuzzTest
  void anyFileGivesAValidatedConfigurationOrAnErrorThatSaysWhy(byte[] content) throws Exception {
    Path path = file();
    Files.write(path, content);
    try {
      ConfigLoader.load(Optional.of(path), Map.of());
    } catch (ConfigException refused) {
      if (refused.getMessage() == null || refused.getMessage().isBlank()) {
        throw new AssertionError("a configuration error without a message");
      }
    }
  }
}
