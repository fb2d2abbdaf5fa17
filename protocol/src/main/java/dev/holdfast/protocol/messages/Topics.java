package dev.holdfast.protocol.messages;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The MQTT topics of the contract (DESIGN.md, "MQTT contract (v5)"), in one place for both sides. */
public final class Topics {
  public static final String PREFIX = "holdfast/v1/devices/";
  /** A device topic: the device id as {@link DeviceIds#VALID} has it (never a dot), then the rest. */
  private static final Pattern DEVICE_TOPIC =
      Pattern.compile("holdfast/v1/devices/(" + DeviceIds.VALID.pattern() + ")/([a-z/]+)");

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

  /**
   * What the service subscribes to: every device's requests, NOT as a shared subscription. Mosquitto
   * 2.0.11 grants any client's SUBSCRIBE to a {@code $share/...} filter and hands each member of a
   * group its turn of the messages; a device's turn is then dropped by the ACL, so a device that
   * joined the service's group would make requests of every device vanish (docs/broker.md).
   */
  public static String allProvisioningRequests() {
    return PREFIX + "+/prov/req";
  }

  /** Every device's retained state (an operator's view). */
  public static String allStates() {
    return PREFIX + "+/state";
  }

  /** Whether {@code topic} is a device's state topic ({@link #state}). */
  public static boolean isState(String topic) {
    return deviceOf(topic).map(d -> topic.equals(state(d))).orElse(false);
  }

  /**
   * The device id a device topic belongs to, if it is one of ours. Only a valid device id counts: an
   * operator's or the service's CN in the device tree ({@code holdfast.operator.NAME}) is no device.
   */
  public static Optional<String> deviceOf(String topic) {
    Matcher m = DEVICE_TOPIC.matcher(topic);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
