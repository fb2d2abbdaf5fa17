package dev.holdfast.agent.outbox;

import java.util.Locale;

/** How a record leaves the device. */
public enum Channel {
  SMS,
  WEBHOOK,
  MQTT;

  /** The name used on the command line, in the local API and in JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Channel fromWire(String name) {
    for (Channel c : values()) {
      if (c.wireName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown channel '" + name + "' (sms, webhook, mqtt)");
  }
}
