package dev.holdfast.provisioning.cli;

import dev.holdfast.common.cli.CliException;
import dev.holdfast.common.cli.ExitCode;
import dev.holdfast.common.time.Durations;
import dev.holdfast.provisioning.broker.BrokerSettings;
import dev.holdfast.provisioning.registry.Device;
import java.time.Duration;
import java.util.Optional;

/** Option values picocli hands over as text, read with the messages the configuration file uses. */
final class Options {
  private Options() {}

  /** {@code text} as a duration; exit 64 naming the option when it is not one. */
  static Duration duration(String option, String text) throws CliException {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw ExitCodes.usage(option + " = '" + text + "' is not allowed; it must be " + e.getMessage());
    }
  }

  /**
   * The broker a command connects to: {@code --mqtt} if given, else {@code broker.mqtt-uri}; exit 64
   * when there is none or it is not usable. Then the device must be an active one (exit 66).
   */
  static String brokerFor(String mqtt, ProvisioningRuntime rt, String device) throws Exception {
    String uri = broker(mqtt, rt);
    activeDevice(rt, device);
    return uri;
  }

  /** The broker to connect to as the service: {@code --mqtt}, else broker.mqtt-uri; 64 when neither. */
  static String broker(String mqtt, ProvisioningRuntime rt) throws CliException {
    Optional<String> uri = mqtt != null ? Optional.of(mqtt) : rt.config.broker().mqttUri();
    if (uri.isEmpty()) {
      throw ExitCodes.usage("no broker: pass --mqtt ssl://HOST:PORT or set broker.mqtt-uri in "
          + ProvisioningConfig.FILE);
    }
    try {
      BrokerSettings.checkUri(uri.get());
    } catch (IllegalArgumentException e) {
      throw ExitCodes.usage("--mqtt: " + e.getMessage());
    }
    return uri.get();
  }

  /** Refuses (66) a device that is not enrolled and active. */
  static void activeDevice(ProvisioningRuntime rt, String device) throws Exception {
    Optional<Device> d = rt.registry.read(tx -> tx.devices().find(device));
    if (d.isEmpty() || d.get().state() != Device.State.ACTIVE) {
      throw new CliException(ExitCode.NO_INPUT,
          "no active device " + device + " (see 'devices list')");
    }
  }
}
