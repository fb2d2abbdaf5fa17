package dev.holdfast.provisioning.broker;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the service reaches the fleet broker.
 *
 * @param mqttUri {@code broker.mqtt-uri}, e.g. {@code ssl://broker.example:8883}; empty: no MQTT
 * @param pidFile {@code broker.pid-file}: Mosquitto's pid, sent SIGHUP after the CRL or the ACL is rewritten
 * @param aclPath {@code broker.acl-path}: the ACL rewritten whenever operators change; empty: not written
 */
public record BrokerSettings(Optional<String> mqttUri, Path pidFile, Optional<Path> aclPath) {
  public static final Path DEFAULT_PID_FILE = Path.of("/run/mosquitto/mosquitto.pid");
  public static final Path DEFAULT_ACL_PATH = Path.of("/etc/mosquitto/holdfast/holdfast.acl");

  public BrokerSettings {
    mqttUri.ifPresent(BrokerSettings::checkUri);
  }

  /** Only TLS: the service authenticates with its client certificate. */
  public static String checkUri(String uri) {
    if (!uri.matches("ssl://[^/:]+(:\\d{1,5})?")) {
      throw new IllegalArgumentException("the broker URI must be ssl://HOST:PORT (TLS with a client certificate), got '"
          + uri + "'");
    }
    return uri;
  }
}
