package dev.holdfast.agent.gpio;

import dev.holdfast.agent.config.GpioSettings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What this machine's GPIO must offer before Pi4J is loaded: a GPIO character device the agent
 * may open, on an ARM board. Each failure names the configured pins and what to do, so a
 * configuration copied to the wrong machine stops with one clear line instead of a native-library
 * stack trace.
 */
final class SystemGpio {
  private SystemGpio() {}

  static Pins open(List<GpioSettings.PinUse> uses) throws GpioException {
    check(Path.of("/dev"), System.getProperty("os.arch", ""), uses);
    return Pi4jPins.gpiod(uses);
  }

  /** The checks, against {@code dev} (normally /dev) and the JVM's {@code arch}. */
  static void check(Path dev, String arch, List<GpioSettings.PinUse> uses) throws GpioException {
    String pins = named(uses);
    List<Path> chips = chips(dev);
    if (chips.isEmpty()) {
      throw new GpioException(GpioException.Reason.NO_GPIO, pins + ": this machine has no GPIO (no " + dev
          + "/gpiochip* device); remove the gpio.* settings, or run the agent on the board the pins are wired to");
    }
    String a = arch.toLowerCase(Locale.ROOT);
    if (!(a.equals("arm") || a.equals("aarch64") || a.equals("arm64"))) {
      throw new GpioException(GpioException.Reason.UNSUPPORTED_BOARD, pins + ": GPIO is supported on Raspberry Pi "
          + "boards (arm or aarch64, Pi4J's gpiod provider); this machine is " + arch
          + "; remove the gpio.* settings here");
    }
    List<Path> closed = chips.stream().filter(c -> !Files.isReadable(c) || !Files.isWritable(c)).toList();
    if (closed.size() == chips.size()) {
      throw new GpioException(GpioException.Reason.NO_PERMISSION, pins + ": no permission to open "
          + closed.stream().map(Path::toString).collect(Collectors.joining(", "))
          + "; run the agent in the 'gpio' group (systemd: install systemd/holdfast-agent.service.d/gpio.conf, "
          + "docs/gpio.md)");
    }
  }

  private static List<Path> chips(Path dev) throws GpioException {
    List<Path> chips = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dev, "gpiochip*")) {
      s.forEach(chips::add);
    } catch (java.nio.file.NoSuchFileException e) {
      return chips;
    } catch (IOException e) {
      throw new GpioException(GpioException.Reason.FAILED, "cannot list " + dev + ": " + e.getMessage(), e);
    }
    chips.sort(null);
    return chips;
  }

  /** "gpio.input.door.pin = 17, gpio.led.pin = 18". */
  static String named(List<GpioSettings.PinUse> uses) {
    return uses.stream().map(GpioSettings.PinUse::toString).collect(Collectors.joining(", "));
  }
}
