package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.ConfigLoader;
import dev.holdfast.agent.config.GpioSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** GPIO settings made the way the agent makes them: from configuration text through the real loader. */
final class GpioFixtures {
  private GpioFixtures() {}

  static GpioSettings settings(Path dir, String text) throws Exception {
    Path file = Files.writeString(Files.createTempFile(dir, "agent", ".conf"), text);
    return ConfigLoader.load(Optional.of(file), Map.of()).gpio();
  }
}
