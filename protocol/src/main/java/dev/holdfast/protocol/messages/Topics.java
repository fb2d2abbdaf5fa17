package dev.holdfast.protocol.messages;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The MQTT topics of the contract (DESIGN.md, "MQTT contract (v5)"), in one place for both sides. */
public final class Topics {
  public static final String PREFIX = "holdfast/v1/devices/";
  /** The shared-subscription group of the provisioning service. */
  public static final String SERVICE_GROUP = "holdfast-prov";
  private static final Pattern DEVICE_TOPIC = Pattern.compile("holdfast/v1/devices/([^/+#]+)/([a-z/]+)");

  private Topics() {}

  public static String state(String deviceId) {
    return PREFIX + deviceId + "/state";
  }

  public static String events(String deviceId) {
    return PREFIX + deviceId + "/events";
  }

  public static String commands(String deviceId) {
    return PREFIX + deviceId + "/cmd";
  }

  public static String provisioningRequests(String deviceId) {
    return PREFIX + deviceId + "/prov/req";
  }

  public static String provisioningResponses(String deviceId) {
    return PREFIX + deviceId + "/prov/res";
  }

  /** What the service subscribes to, shared so several instances can serve one fleet. */
  public static String sharedProvisioningRequests() {
    return "$share/" + SERVICE_GROUP + "/" + PREFIX + "+/prov/req";
  }

  /** Every device's retained state (an operator's view). */
  public static String allStates() {
    return PREFIX + "+/state";
  }

  /** The device id a device topic belongs to, if it is one of ours. */
  public static Optional<String> deviceOf(String topic) {
    Matcher m = DEVICE_TOPIC.matcher(topic);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
